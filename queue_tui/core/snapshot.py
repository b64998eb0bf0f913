"""A poll's result and how it differs from the last one.

The poller builds an immutable `QueueSnapshot`; `diff` says which keys were added, changed and
removed, which is all the queue screen needs to update its table without rebuilding it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from queue_tui.core.models import Queue, Ticket


@dataclass(frozen=True)
class QueueSnapshot:
    queue_id: str
    tickets: dict[str, Ticket]  # key -> ticket, in the server's order
    fetched_at: datetime
    queues: tuple[Queue, ...] = ()
    requests: int = 0  # HTTP requests this poll took


@dataclass(frozen=True)
class Diff:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    first: bool = False  # the first snapshot of this queue: nothing is "new" yet

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass
class _Acc:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def diff(old: QueueSnapshot | None, new: QueueSnapshot) -> Diff:
    if old is None or old.queue_id != new.queue_id:
        return Diff(added=tuple(new.tickets), first=True)
    acc = _Acc()
    for key, t in new.tickets.items():
        before = old.tickets.get(key)
        if before is None:
            acc.added.append(key)
        elif before.fingerprint() != t.fingerprint():
            acc.changed.append(key)
    removed = tuple(k for k in old.tickets if k not in new.tickets)
    return Diff(tuple(acc.added), tuple(acc.changed), removed)
