"""The glance line's figures for a whole tab, kept up to date per ticket and read in O(log n).

Between polls nothing about a ticket changes but the time: its row's stage at `now` follows from
one instant, when its next running countdown reaches zero (the earliest breach among its running
SLAs, or the triage SOP's two hours from creation where the site has no SLA). So the index keeps
those instants in one sorted list, changed only when a poll or the agent's own write changes a
ticket, and answers the stage counts and the breach horizon at any `now` with a binary search per
boundary, however many tickets the tab holds. What does not move with the clock (paused, no SLA)
and who has nobody assigned are counted as tickets come and go.

A running SLA that Jira sent without a breach time counts down from nothing the app can place on
the timeline; such a ticket (never seen from Jira Cloud or Data Center in practice) is asked for
its stage at each read, with the same function the rows use.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from queue_tui.core.glance import (
    HORIZON_SLOT,
    HORIZON_SLOTS,
    StageCounts,
    breach_horizon,
    is_open,
    ticket_stage,
)
from queue_tui.core.models import Ticket
from queue_tui.core.sla import FIRST_RESPONSE_GOAL, Stage

_UNDER_30M = timedelta(minutes=30)
_UNDER_1H = timedelta(hours=1)


def breach_instant(t: Ticket) -> datetime | Stage | None:
    """When the ticket's next running countdown reaches zero; or the stage it keeps whatever the
    time (paused, no SLA); None when that depends on the time in a way no instant captures.

    This is `next_clock` read without a clock: running countdowns come before paused ones, and
    among running ones the least time left is the earliest breach.
    """
    open_clocks = [c for c in t.slas if not c.completed]
    if not open_clocks:
        if t.slas or t.status_category == "done":
            return Stage.NONE
        return t.created + FIRST_RESPONSE_GOAL  # the triage SOP's first response (sla.fallback_clock)
    running = [c for c in open_clocks if not c.paused]
    if not running:
        return Stage.PAUSED
    instants = [c.breach_at for c in running]
    if any(at is None for at in instants):
        return None
    return min(at for at in instants if at is not None)


@dataclass(frozen=True, slots=True)
class _Entry:
    at: datetime | Stage | None
    unassigned: bool


class StageIndex:
    """Stage counts, unassigned and the breach horizon of a set of tickets, at any `now`."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._instants: list[datetime] = []  # sorted; one per ticket with a running countdown
        self._fixed: dict[Stage, int] = dict.fromkeys(Stage, 0)
        self._timeless: dict[str, Ticket] = {}  # running without a breach time: asked at each read
        self._unassigned = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def reset(self, tickets: Iterable[Ticket]) -> None:
        """Exactly these tickets (a queue's first poll, another tab): O(n log n)."""
        self._entries.clear()
        self._timeless.clear()
        self._fixed = dict.fromkeys(Stage, 0)
        self._unassigned = 0
        instants: list[datetime] = []
        for t in tickets:
            entry = self._add(t)
            if isinstance(entry.at, datetime):
                instants.append(entry.at)
        instants.sort()
        self._instants = instants

    def put(self, t: Ticket) -> None:
        """A ticket came or changed: O(log n) to find its place (and a memmove to make room)."""
        self.drop(t.key)
        entry = self._add(t)
        if isinstance(entry.at, datetime):
            at = entry.at
            self._instants.insert(bisect_left(self._instants, at), at)

    def drop(self, key: str) -> None:
        """A ticket left the tab."""
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._unassigned -= entry.unassigned
        if isinstance(entry.at, datetime):
            del self._instants[bisect_left(self._instants, entry.at)]  # an equal instant is as good
        elif isinstance(entry.at, Stage):
            self._fixed[entry.at] -= 1
        else:
            del self._timeless[key]

    def _add(self, t: Ticket) -> _Entry:
        """The entry for `t`, counted everywhere but in the sorted instants (the caller's part)."""
        entry = self._entries[t.key] = _Entry(breach_instant(t), t.assignee is None and is_open(t))
        self._unassigned += entry.unassigned
        if isinstance(entry.at, Stage):
            self._fixed[entry.at] += 1
        elif entry.at is None:
            self._timeless[t.key] = t
        return entry

    def _before(self, at: datetime) -> int:
        """Running countdowns that reach zero strictly before `at`."""
        return bisect_left(self._instants, at)

    def counts(self, now: datetime) -> StageCounts:
        """The tickets per stage at `now`, as `glance.count_stages` counts them, in O(log n)."""
        by = dict(self._fixed)
        for t in self._timeless.values():
            by[ticket_stage(t, now)] += 1
        # A countdown is breached once strictly past zero (sla.stage: time left below zero).
        breached = self._before(now)
        under_30m = self._before(now + _UNDER_30M)
        under_1h = self._before(now + _UNDER_1H)
        by[Stage.BREACHED] += breached
        by[Stage.UNDER_30M] += under_30m - breached
        by[Stage.UNDER_1H] += under_1h - under_30m
        by[Stage.PLENTY] += len(self._instants) - under_1h
        return StageCounts(by[Stage.BREACHED], by[Stage.UNDER_30M], by[Stage.UNDER_1H], by[Stage.PLENTY],
                           by[Stage.PAUSED], by[Stage.NONE], self._unassigned)

    def horizon(self, now: datetime, slots: int = HORIZON_SLOTS, slot: timedelta = HORIZON_SLOT) -> list[int]:
        """How many countdowns reach zero in each of the next `slots` slots, as
        `glance.breach_horizon` says, in O(slots log n)."""
        edges = [self._before(now + slot * i) for i in range(slots + 1)]
        out = [edges[i + 1] - edges[i] for i in range(slots)]
        if self._timeless:
            out = [a + b for a, b in zip(out, breach_horizon(self._timeless.values(), now, slots, slot), strict=True)]
        return out
