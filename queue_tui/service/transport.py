"""The way to Jira: one httpx client and the `jira` library's client, under the same rules.

- Every call has a total deadline (three times `jira.timeout_seconds`), each try at most one
  timeout: a hanging server costs a bounded time, and nothing here holds a lock while it waits,
  so polling goes on while one write hangs.
- Reads are retried with backoff inside the deadline. A write is sent again only when it surely
  never reached Jira (no connection, 429, 503); a write whose answer was lost raises
  `UnclearWriteError` and the caller checks Jira once.
- One rate-limit rule (`rate_limit`): no request of the agent before Jira's wait is over, from
  either client, checked as each request goes out; at most `MAX_CONNECTIONS` httpx requests at
  once, so none waits for a connection after that check. A request already sent is read to its
  answer even when its caller is cancelled or gives up (for as long again), so a 429 in that
  answer still starts the wait.
- Redirects are never followed by either client; TLS failures name the certificate problem.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import random
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from queue_tui.service import responses
from queue_tui.service.errors import (
    JiraError,
    RateLimitedError,
    RedirectError,
    UnavailableError,
    UnclearWriteError,
)
from queue_tui.service.rate_limit import (
    DEFAULT_MAX_WAIT,
    UNSAID_429_WAIT,
    GateClosed,
    RateGate,
    asked_wait,
    begin_library_call,
    gated_adapter,
    library_call_wrote,
)

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")
Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]

DEADLINE_TRIES = 3  # a call's total deadline, in timeouts
MAX_CONNECTIONS = 6  # httpx requests in flight at once; more wait for a slot before meeting the gate
_single_try: contextvars.ContextVar[bool] = contextvars.ContextVar("single_try", default=False)


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
    max_wait: float = DEFAULT_MAX_WAIT

    @property
    def cloud(self) -> bool:
        return self.deployment == "cloud"

    def secret(self) -> str:
        return self.token if self.cloud else self.pat

    @property
    def deadline(self) -> float:
        """Seconds one call may take in all, retries and short rate-limit waits included."""
        return DEADLINE_TRIES * self.timeout


class _Failure(Exception):
    """One try that got no usable answer; `sent` is False when the request surely never reached Jira.

    `what` says what went wrong with the connection; `message` replaces the whole line when the
    answer itself says more (a web page, cut-off JSON, a 5xx)."""

    def __init__(self, what: str, sent: bool, message: str = "", status: int | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.sent = sent
        self.message = message
        self.status = status

    def read_error(self) -> UnavailableError:
        return UnavailableError(self.message or f"Jira unreachable: {self.what}", self.status)

    def write_error(self) -> UnclearWriteError:
        first = self.message or f"Jira did not answer ({self.what})"
        return UnclearWriteError(f"{first}; the change may or may not have been made", self.status)


class Transport:
    """Sends API calls through httpx or the `jira` library, under one rate-limit rule."""

    def __init__(self, conn: Connection, *, clock: Clock = utcnow, sleep: Sleep = asyncio.sleep,
                 max_retries: int = 3) -> None:
        self.conn = conn
        self.clock = clock
        self.sleep = sleep
        self.max_retries = max_retries
        self.requests_sent = 0
        self.gate = RateGate(clock, sleep, conn.max_wait)
        self._slots = asyncio.Semaphore(MAX_CONNECTIONS)
        self._exchanges: set[asyncio.Task[Any]] = set()
        self._rng = random.Random(5)
        self._client: httpx.AsyncClient | None = None
        self._jira_client: Any = None

    @property
    def client(self) -> httpx.AsyncClient:
        """The httpx client, made with the first request: the app paints its first screen before
        it imports httpx at all."""
        if self._client is None:
            import httpx

            conn = self.conn
            headers = {"Accept": "application/json", "User-Agent": "queue-tui"}
            auth: httpx.Auth | None = None
            if conn.cloud:
                auth = httpx.BasicAuth(conn.email, conn.token)
            else:
                headers["Authorization"] = f"Bearer {conn.pat}"
            self._client = httpx.AsyncClient(
                base_url=conn.base_url.rstrip("/"), auth=auth, headers=headers, timeout=httpx.Timeout(conn.timeout),
                follow_redirects=False, verify=conn.verify_tls if conn.base_url.startswith("https:") else False,
                limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=4),
                event_hooks={"response": [self.gate.on_response]})
        return self._client

    def _exchange(self, seconds: float, method: str, path: str, **kwargs: Any) -> asyncio.Task[httpx.Response]:
        """One request sent and its answer read, in a task of its own that holds a connection slot.

        Its caller may be cancelled (a screen reloading its reads) or give up after `seconds`; the
        answer is still read for as long again, so a 429 in it still starts Jira's wait (the response
        hook sees it) instead of the next request going out blind."""
        async def run() -> httpx.Response:
            try:
                async with asyncio.timeout(2 * seconds):
                    return await self.client.request(method, path, **kwargs)
            finally:
                self._slots.release()

        task = asyncio.ensure_future(run())
        self._exchanges.add(task)
        task.add_done_callback(_settled)
        task.add_done_callback(self._exchanges.discard)
        return task

    async def ready(self) -> None:
        """Make the httpx client in a thread: importing httpx and setting up TLS take tens of
        milliseconds, which on the event loop would hold up the queue just painted and the keys."""
        if self._client is None:
            await asyncio.to_thread(lambda: self.client)

    async def close(self) -> None:
        for task in list(self._exchanges):
            task.cancel()
        await asyncio.gather(*self._exchanges, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
        if self._jira_client is not None:
            self._jira_client.close()

    def backoff(self, attempt: int) -> float:
        return float(min(0.5 * (2 ** attempt), 8.0) * (0.8 + 0.4 * self._rng.random()))

    @contextlib.contextmanager
    def single_try(self) -> Iterator[None]:
        """Calls made inside go out once, without retries: checking whether a lost write happened."""
        token = _single_try.set(True)
        try:
            yield
        finally:
            _single_try.reset(token)

    # -- the shared loop ---------------------------------------------------------------------
    async def _call(self, send: Callable[[float], Awaitable[T]], write: bool) -> T:
        """Run `send(seconds)` until it answers, under the deadline, the gate and the retry rules.

        `send` raises `_Failure` for a try without an answer, `_Busy` for 429/503, `_Held` when the
        gate closed before the request went out (it waits again; no try is spent), or a typed error.
        """
        tries = 1 if _single_try.get() else self.max_retries + 1
        deadline = self.clock() + timedelta(seconds=self.conn.deadline)
        attempt = 0
        while True:
            await self.gate.wait(deadline)
            remaining = (deadline - self.clock()).total_seconds()
            if remaining <= 0:
                raise UnavailableError(f"Jira did not answer within {self.conn.deadline:g} s")
            self.requests_sent += 1
            try:
                return await send(min(self.conn.timeout, remaining))
            except _Held:
                self.requests_sent -= 1
                continue
            except _Failure as failure:
                if write and failure.sent:
                    raise failure.write_error() from None
                last: JiraError = failure.read_error()
                pause: float | None = self.backoff(attempt)
            except _Busy as busy:
                if busy.status == 429:
                    # The response hook closed the gate as the answer arrived; this says until when.
                    until = self.gate.close_for(UNSAID_429_WAIT if busy.wait is None else busy.wait)
                    last = RateLimitedError(f"Rate limited by Jira until {until.astimezone().strftime('%H:%M')}", until)
                    pause = None
                else:
                    if busy.wait is not None:
                        self.gate.close_for(busy.wait)
                    last = UnavailableError("Jira is unavailable (503)", 503)
                    pause = None if busy.wait is not None else self.backoff(attempt)
            attempt += 1
            if attempt >= tries:
                raise last
            if pause is not None:
                if self.clock() + timedelta(seconds=pause) >= deadline:
                    raise last
                await self.sleep(pause)
            elif isinstance(last, RateLimitedError) and last.retry_at > deadline:
                raise last

    # -- httpx -------------------------------------------------------------------------------
    async def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      body: Any = None, idempotent: bool | None = None, experimental: bool = False,
                      decode: Callable[[bytes], Awaitable[Any]] | None = None,
                      files: dict[str, tuple[str, bytes, str]] | None = None,
                      headers: dict[str, str] | None = None) -> Any:
        """Send one API call with retries; return its JSON (None for an empty answer), or what
        `decode` makes of a 2xx body (polls decode theirs off the event loop). `files` goes as
        multipart/form-data instead of a JSON body (attachments)."""
        write = not (method in ("GET", "PUT", "DELETE") if idempotent is None else idempotent)
        headers = {**({"X-ExperimentalApi": "opt-in"} if experimental else {}), **(headers or {})} or None

        async def send(seconds: float) -> Any:
            import httpx

            try:
                async with asyncio.timeout(seconds):
                    await self._slots.acquire()
            except TimeoutError:
                raise _Failure(f"no free connection within {seconds:g} s", sent=False) from None
            if self.gate.closed():  # a 429 came while this request waited for its slot
                self._slots.release()
                raise _Held
            exchange = self._exchange(seconds, method, path, params=params, json=body if files is None else None,
                                      files=files, headers=headers)
            try:
                async with asyncio.timeout(seconds):
                    # Shielded: a caller that is cancelled or gives up leaves the answer to be read anyway.
                    resp = await asyncio.shield(exchange)
            except TimeoutError:
                raise _Failure(f"timed out after {seconds:g} s", sent=True) from None
            except httpx.TransportError as exc:
                cert = responses.tls_problem(exc)
                if cert is not None:
                    raise cert from None
                if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
                    raise _Failure(responses.connect_failure(exc), sent=False) from None
                what = f"timed out after {seconds:g} s" if isinstance(exc, httpx.TimeoutException) else "the connection broke"
                raise _Failure(what, sent=True) from None
            if resp.status_code in (429, 503):
                raise _Busy(resp.status_code, asked_wait(resp.headers, self.clock()))
            try:
                if decode is not None and 200 <= resp.status_code < 300:
                    return await decode(resp.content)
                return responses.result_of(resp)
            except UnavailableError as exc:
                # An answer the server could not finish (5xx, a web page, cut-off JSON): a write may have happened.
                raise _Failure("no usable answer", sent=True, message=exc.message, status=resp.status_code) from exc

        return await self._call(send, write)

    # -- the jira library --------------------------------------------------------------------
    def jira(self) -> Any:
        """The `jira` library's client, made on first use (it is only needed for some writes)."""
        if self._jira_client is None:
            from jira import JIRA

            opts = {"server": self.conn.base_url, "verify": self.conn.verify_tls, "rest_api_version": "2"}
            if self.conn.cloud:
                client = JIRA(options=opts, basic_auth=(self.conn.email, self.conn.token),
                              max_retries=0, timeout=self.conn.timeout, get_server_info=False)
            else:
                client = JIRA(options=opts, token_auth=self.conn.pat, max_retries=0,
                              timeout=self.conn.timeout, get_server_info=False)
            # The library offers no switch for redirects: its requests session is the only place to refuse
            # them, before the ticket body (or the credentials) can go to wherever Jira points.
            session = client._session  # noqa: SLF001
            session.hooks["response"].append(responses.refuse_redirect)
            for scheme in ("https://", "http://"):
                session.mount(scheme, gated_adapter(self.gate))
            self._jira_client = client
        return self._jira_client

    async def jira_call(self, fn: Callable[[], T], write: bool) -> T:
        """Call the jira library in a thread, under the same deadline, rate-limit rule and typed errors."""
        async def send(seconds: float) -> T:
            from jira.exceptions import JIRAError

            def run() -> T:
                begin_library_call()
                try:
                    return fn()
                except GateClosed:
                    # One of the call's requests met the gate: sent again whole once the wait is over,
                    # unless a write of it already went out (then the caller checks Jira first).
                    if write and library_call_wrote():
                        raise _Failure("held by Jira's rate limit after a write went out", sent=True) from None
                    raise _Held from None

            try:
                # The thread cannot be stopped; past the deadline the answer, if any, is ignored (a 429 in
                # it still closes the gate: the adapter notes it on the thread).
                return await asyncio.wait_for(asyncio.to_thread(run), seconds + 1.0)
            except TimeoutError:
                raise _Failure(f"timed out after {seconds:g} s", sent=True) from None
            except (RedirectError, _Held, _Failure):
                raise
            except JIRAError as exc:
                status = exc.status_code
                if status in (429, 503):
                    headers = exc.response.headers if exc.response is not None else {}
                    raise _Busy(status, asked_wait(headers, self.clock())) from None
                if status is None or status >= 500:
                    raise _Failure("no usable answer", sent=True, message=responses.jira_library_error(exc).message,
                                   status=status) from None
                raise responses.jira_library_error(exc) from None
            except Exception as exc:  # noqa: BLE001 - requests' own failures become typed errors here
                cert = responses.tls_problem(exc)
                if cert is not None:
                    raise cert from None
                sent = responses.was_sent(exc)
                if sent is None:
                    raise responses.jira_library_error(exc) from None
                what = responses.connect_failure(exc) if not sent else (
                    "timed out" if "timeout" in type(exc).__name__.lower() else "the connection broke")
                raise _Failure(what, sent=sent) from None

        return await self._call(send, write)


def _settled(task: asyncio.Task[Any]) -> None:
    """An exchange whose caller left: its failure is of no one's concern (and must not be logged as unseen)."""
    if not task.cancelled():
        task.exception()


class _Held(Exception):
    """The request did not go out: Jira's wait began after the gate let it through."""


class _Busy(Exception):
    """A 429 or 503, with the wait Jira asked for (None when it did not say)."""

    def __init__(self, status: int, wait: float | None) -> None:
        super().__init__(status)
        self.status = status
        self.wait = wait
