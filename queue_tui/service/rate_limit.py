"""One rate-limit rule for both clients: how long Jira asks us to wait, capped, and a gate that
holds every request of the agent until then.

Jira says how long in `Retry-After` (seconds, or an HTTP date as RFC 9110 allows) or in
`X-RateLimit-Reset` (a timestamp). The wait is capped (`jira.max_wait_seconds`) so a wrong header
cannot stall the app for days. Waiting never holds a lock: a request that would have to wait past
its own deadline stops at once with `RateLimitedError`, which says until when.

Jira's limit is per user, so the gate is one per site and agent, and both clients meet it where
they touch the wire: the wait starts the moment a 429's headers arrive (in httpx's response hook,
in the `jira` library's adapter, on its thread), whether or not the call that met it is still
there to read the answer; and each request is checked against it just before it goes out
(`GateClosed` when it may not), so neither a request queued behind busy connections nor the second
request inside one library call slips out during a wait.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from queue_tui.service.errors import RateLimitedError

DEFAULT_MAX_WAIT = 300.0
UNSAID_429_WAIT = 5.0  # a 429 that does not say how long: Atlassian asks for a pause before retrying


def _when(raw: str) -> datetime | None:
    """An HTTP date or an ISO 8601 timestamp, as an aware datetime."""
    try:
        dt = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        try:
            dt = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def asked_wait(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds Jira asks us to wait, from Retry-After or else X-RateLimit-Reset; None when it does not say."""
    for name in ("Retry-After", "X-RateLimit-Reset"):
        raw = (headers.get(name) or "").strip()
        if not raw:
            continue
        try:
            number = float(raw)
        except ValueError:
            when = _when(raw)
            if when is not None:
                return max((when - now).total_seconds(), 0.0)
            continue
        if number != number or number < 0:  # NaN or negative: not an answer
            continue
        if name == "X-RateLimit-Reset" and number > 1e9:  # epoch seconds
            return max(number - now.timestamp(), 0.0)
        return number
    return None


class GateClosed(Exception):
    """A request not sent: Jira's wait was not over when it was about to go out."""


class RateGate:
    """Holds requests until Jira's wait is over; shared by every request of both clients.

    `close_for` and `note` may be called from any thread (the `jira` library runs in one); the lock
    only guards the moment itself and is never held while anyone waits."""

    def __init__(self, clock: Callable[[], datetime], sleep: Callable[[float], Awaitable[None]],
                 max_wait: float = DEFAULT_MAX_WAIT) -> None:
        self.clock = clock
        self.sleep = sleep
        self.max_wait = max_wait
        self._lock = threading.Lock()
        self._not_before: datetime | None = None

    @property
    def not_before(self) -> datetime | None:
        with self._lock:
            return self._not_before

    def close_for(self, seconds: float) -> datetime:
        """No request before `seconds` from now (at most `max_wait`); returns when the gate reopens."""
        until = self.clock() + timedelta(seconds=min(max(seconds, 0.0), self.max_wait))
        with self._lock:
            if self._not_before is None or until > self._not_before:
                self._not_before = until
            return self._not_before

    def note(self, status: int, headers: Mapping[str, str]) -> datetime | None:
        """An answer just arrived: a 429 closes the gate for as long as it asks (a pause when it does
        not say), a 503 only when it says how long. Returns when the gate reopens, if it closed."""
        if status not in (429, 503):
            return None
        wait = asked_wait(headers, self.clock())
        if wait is None:
            if status == 503:
                return None
            wait = UNSAID_429_WAIT
        return self.close_for(wait)

    def closed(self) -> bool:
        """Whether a request about to go out now would come before Jira's wait is over."""
        until = self.not_before
        return until is not None and until > self.clock()

    def check(self) -> None:
        """Raise `GateClosed` when a request may not go out now."""
        if self.closed():
            raise GateClosed

    async def wait(self, deadline: datetime) -> None:
        """Return once requests may go; raise `RateLimitedError` at once if that is after `deadline`."""
        while True:
            until = self.not_before
            now = self.clock()
            if until is None or until <= now:
                return
            if until > deadline:
                raise RateLimitedError(f"Rate limited by Jira until {until.astimezone().strftime('%H:%M')}", until)
            await self.sleep((until - now).total_seconds())

    async def on_response(self, response: Any) -> None:
        """httpx's response hook: runs as soon as the headers are in, before anyone reads the body."""
        self.note(response.status_code, response.headers)


_wrote = threading.local()  # per `jira` library call (one thread): whether a write went out


def begin_library_call() -> None:
    """A `jira` library call starts on this thread: no write of it has gone out yet."""
    _wrote.flag = False


def library_call_wrote() -> bool:
    """Whether the `jira` library call on this thread has sent a write."""
    return bool(getattr(_wrote, "flag", False))


def gated_adapter(gate: RateGate) -> Any:
    """A requests adapter for the `jira` library's session that meets the same gate: every request,
    however many one library call makes, is checked just before it goes, and a 429 closes the gate
    on the library's own thread, even when the call that sent it is no longer waiting."""
    from requests.adapters import HTTPAdapter

    class GatedAdapter(HTTPAdapter):
        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            gate.check()
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                _wrote.flag = True
            response = super().send(request, *args, **kwargs)
            gate.note(response.status_code, response.headers)
            return response

    return GatedAdapter()
