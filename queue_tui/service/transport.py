"""The way to Jira: one httpx client and the `jira` library's client, the request loop, retries
and the rate-limit rule.

No request is sent before a Retry-After expires. Reads are retried with backoff; a write whose
answer was lost raises `UnclearWriteError` and is never repeated here.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx

from queue_tui.service import parse
from queue_tui.service.errors import RateLimitedError, UnavailableError, UnclearWriteError
from queue_tui.service.responses import jira_library_error, result_of

T = TypeVar("T")
Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Connection:
    """Where Jira is and how to prove who we are. Secrets are never logged or shown."""

    base_url: str
    deployment: str = "cloud"  # cloud | dc
    email: str = ""
    token: str = field(default="", repr=False)
    pat: str = field(default="", repr=False)
    verify_tls: bool = True
    timeout: float = 10.0

    @property
    def cloud(self) -> bool:
        return self.deployment == "cloud"

    def secret(self) -> str:
        return self.token if self.cloud else self.pat


class Transport:
    """Sends API calls through httpx or the `jira` library, under one rate-limit rule."""

    def __init__(self, conn: Connection, *, clock: Clock = utcnow, sleep: Sleep = asyncio.sleep,
                 max_retries: int = 3) -> None:
        self.conn = conn
        self.clock = clock
        self.sleep = sleep
        self.max_retries = max_retries
        self.requests_sent = 0
        self._not_before: datetime | None = None
        self._send_lock = asyncio.Lock()
        self._rng = random.Random(5)
        headers = {"Accept": "application/json", "User-Agent": "queue-tui"}
        auth: httpx.Auth | None = None
        if conn.cloud:
            auth = httpx.BasicAuth(conn.email, conn.token)
        else:
            headers["Authorization"] = f"Bearer {conn.pat}"
        self.client = httpx.AsyncClient(base_url=conn.base_url.rstrip("/"), auth=auth, headers=headers,
                                        timeout=httpx.Timeout(conn.timeout),
                                        verify=conn.verify_tls if conn.base_url.startswith("https:") else False,
                                        limits=httpx.Limits(max_connections=6, max_keepalive_connections=4))
        self._jira_client: Any = None

    async def close(self) -> None:
        await self.client.aclose()
        if self._jira_client is not None:
            self._jira_client.close()

    async def _wait_rate_limit(self) -> None:
        while self._not_before is not None:
            delay = (self._not_before - self.clock()).total_seconds()
            if delay <= 0:
                self._not_before = None
                return
            await self.sleep(delay)

    def _retry_after(self, resp: httpx.Response) -> float | None:
        raw = resp.headers.get("Retry-After")
        if raw is None:
            return None
        try:
            return min(max(float(raw), 0.0), 600.0)
        except ValueError:
            when = parse.parse_time(raw)
            return max((when - self.clock()).total_seconds(), 0.0) if when else None

    def backoff(self, attempt: int) -> float:
        return float(min(0.5 * (2 ** attempt), 8.0) * (0.8 + 0.4 * self._rng.random()))

    async def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      body: Any = None, idempotent: bool | None = None, experimental: bool = False,
                      decode: Callable[[bytes], Awaitable[Any]] | None = None) -> Any:
        """Send one API call with retries; return its JSON (None for an empty answer), or what
        `decode` makes of a 2xx body (polls decode theirs off the event loop)."""
        if idempotent is None:
            idempotent = method in ("GET", "PUT", "DELETE")
        headers = {"X-ExperimentalApi": "opt-in"} if experimental else None
        attempt = 0
        while True:
            # One request at a time: once Jira says "retry after", nothing else is already on its way.
            failure: httpx.TransportError | None = None
            async with self._send_lock:
                await self._wait_rate_limit()
                self.requests_sent += 1
                try:
                    resp = await self.client.request(method, path, params=params, json=body, headers=headers)
                except httpx.TransportError as exc:
                    failure = exc
                else:
                    if resp.status_code == 429:
                        # Before anyone else may send: the next request waits out Retry-After.
                        wait = self._retry_after(resp)
                        self._not_before = self.clock() + timedelta(seconds=5.0 if wait is None else wait)
                    elif resp.status_code == 503 and self._retry_after(resp) is not None:
                        self._not_before = self.clock() + timedelta(seconds=self._retry_after(resp) or 0)
            if failure is not None:
                what = "timed out" if isinstance(failure, httpx.TimeoutException) else "connection failed"
                if not idempotent:
                    raise UnclearWriteError(f"Jira did not answer ({what}); the change may or may not have been made") from failure
                if attempt >= self.max_retries:
                    raise UnavailableError(f"Jira unreachable: {what}") from failure
                await self.sleep(self.backoff(attempt))
                attempt += 1
                continue
            if resp.status_code == 429 or resp.status_code == 503:
                if resp.status_code == 429:
                    if attempt >= self.max_retries:
                        raise RateLimitedError("Rate limited by Jira", self._not_before or self.clock())
                else:
                    if attempt >= self.max_retries:
                        raise UnavailableError("Jira is unavailable (503)", 503)
                    if self._retry_after(resp) is None:
                        await self.sleep(self.backoff(attempt))
                attempt += 1
                continue
            try:
                if decode is not None and 200 <= resp.status_code < 300:
                    return await decode(resp.content)
                return result_of(resp)
            except UnavailableError as exc:
                if not idempotent:
                    raise UnclearWriteError(f"{exc.message}; the change may or may not have been made", resp.status_code) from exc
                if attempt >= self.max_retries:
                    raise
                await self.sleep(self.backoff(attempt))
                attempt += 1

    # -- the jira library ----------------------------------------------------------------
    def jira(self) -> Any:
        """The `jira` library's client, made on first use (it is only needed for some writes)."""
        if self._jira_client is None:
            from jira import JIRA

            opts = {"server": self.conn.base_url, "verify": self.conn.verify_tls, "rest_api_version": "2"}
            if self.conn.cloud:
                self._jira_client = JIRA(options=opts, basic_auth=(self.conn.email, self.conn.token),
                                         max_retries=0, timeout=self.conn.timeout, get_server_info=False)
            else:
                self._jira_client = JIRA(options=opts, token_auth=self.conn.pat, max_retries=0,
                                         timeout=self.conn.timeout, get_server_info=False)
        return self._jira_client

    async def jira_call(self, fn: Callable[[], T], write: bool) -> T:
        """Call the jira library in a thread: the same Retry-After rule, typed errors."""
        from jira.exceptions import JIRAError

        attempt = 0
        while True:
            async with self._send_lock:
                await self._wait_rate_limit()
                try:
                    return await asyncio.to_thread(fn)
                except Exception as exc:  # noqa: BLE001 - every failure becomes a typed error below
                    status = exc.status_code if isinstance(exc, JIRAError) else None
                    if isinstance(exc, JIRAError) and status in (429, 503):
                        raw = exc.response.headers.get("Retry-After") if exc.response is not None else None
                        wait = float(raw) if raw and raw.isdigit() else (5.0 if status == 429 else self.backoff(attempt))
                        self._not_before = self.clock() + timedelta(seconds=wait)
                        if attempt < self.max_retries:
                            attempt += 1
                            continue
                    raise jira_library_error(exc, write) from exc
