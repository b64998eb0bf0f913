"""A poll's result and how it differs from the last one.

The poller builds an immutable `QueueSnapshot`, either from the whole queue (`diff` compares
every ticket) or from the last one and what changed (`apply_changes` compares only those);
a `Diff` says which keys were added, changed and removed, which is all the queue screen needs
to update its table without rebuilding it.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    kind: str = "full"  # full: the whole queue fetched | delta: what changed | reconcile: delta and membership


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


def apply_changes(old: QueueSnapshot, fresh: Iterable[Ticket], gone: Iterable[str], fetched_at: datetime,
                  queues: tuple[Queue, ...], requests: int, kind: str = "delta") -> tuple[QueueSnapshot, Diff]:
    """The last snapshot with `fresh` tickets put in (replaced in place, or added at the end) and
    `gone` keys taken out; the diff looks only at those, so it costs nothing for the rest."""
    tickets = dict(old.tickets)
    added: list[str] = []
    changed: list[str] = []
    for t in fresh:
        before = tickets.get(t.key)
        if before is None:
            added.append(t.key)
        elif before.fingerprint() != t.fingerprint():
            changed.append(t.key)
        tickets[t.key] = t
    removed = tuple(k for k in dict.fromkeys(gone) if tickets.pop(k, None) is not None)
    snap = QueueSnapshot(old.queue_id, tickets, fetched_at, queues, requests, kind)
    return snap, Diff(tuple(added), tuple(changed), removed)
