"""One poll of one queue: fetch, diff against the last snapshot, and track staleness.

The screen runs `poll` in a worker and schedules the next one only when this one finished,
so polls never overlap. A failed poll keeps the last snapshot and says since when the data
is stale and why; the next good poll clears it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from queue_tui.core.models import Queue
from queue_tui.core.snapshot import Diff, QueueSnapshot, diff
from queue_tui.service.errors import JiraError, RateLimitedError
from queue_tui.service.gateway import Gateway


@dataclass(frozen=True)
class PollOutcome:
    snapshot: QueueSnapshot | None
    diff: Diff | None
    error: JiraError | None = None


class Poller:
    def __init__(self, gateway: Gateway, desk_id: str | None, clock: Callable[[], datetime]) -> None:
        self.gateway = gateway
        self.desk_id = desk_id
        self.clock = clock
        self.last: dict[str, QueueSnapshot] = {}
        self.stale_since: datetime | None = None
        self.error: JiraError | None = None

    @property
    def retry_at(self) -> datetime | None:
        return self.error.retry_at if isinstance(self.error, RateLimitedError) else None

    def reason(self) -> str:
        if self.error is None:
            return ""
        return f"{self.error.kind}: {self.error.short()}"

    async def poll(self, queue: Queue) -> PollOutcome:
        try:
            snap = await self.gateway.snapshot(queue, self.desk_id)
        except JiraError as exc:
            if self.stale_since is None:
                prev = self.last.get(queue.id)
                self.stale_since = prev.fetched_at if prev else self.clock()
            self.error = exc
            return PollOutcome(None, None, exc)
        d = diff(self.last.get(queue.id), snap)
        self.last[queue.id] = snap
        self.stale_since = None
        self.error = None
        return PollOutcome(snap, d)
