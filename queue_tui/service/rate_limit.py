"""One rate-limit rule for both clients: how long Jira asks us to wait, capped, and a gate that
holds every request until then.

Jira says how long in `Retry-After` (seconds, or an HTTP date as RFC 9110 allows) or in
`X-RateLimit-Reset` (a timestamp). The wait is capped (`jira.max_wait_seconds`) so a wrong header
cannot stall the app for days. Waiting never holds a lock: a request that would have to wait past
its own deadline stops at once with `RateLimitedError`, which says until when.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

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


class RateGate:
    """Holds requests until Jira's wait is over; shared by every request of both clients."""

    def __init__(self, clock: Callable[[], datetime], sleep: Callable[[float], Awaitable[None]],
                 max_wait: float = DEFAULT_MAX_WAIT) -> None:
        self.clock = clock
        self.sleep = sleep
        self.max_wait = max_wait
        self.not_before: datetime | None = None

    def close_for(self, seconds: float) -> datetime:
        """No request before `seconds` from now (at most `max_wait`); returns when the gate reopens."""
        until = self.clock() + timedelta(seconds=min(max(seconds, 0.0), self.max_wait))
        if self.not_before is None or until > self.not_before:
            self.not_before = until
        return self.not_before

    async def wait(self, deadline: datetime) -> None:
        """Return once requests may go; raise `RateLimitedError` at once if that is after `deadline`."""
        while self.not_before is not None:
            now = self.clock()
            until = self.not_before
            if until <= now:
                return
            if until > deadline:
                raise RateLimitedError(f"Rate limited by Jira until {until.astimezone().strftime('%H:%M')}", until)
            await self.sleep((until - now).total_seconds())
