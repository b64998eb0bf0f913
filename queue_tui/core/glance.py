"""The queue at a glance: how many tickets are at each SLA stage, which breach in the next two
hours, the next ticket to take, and who holds what.

Every count here goes through `ticket_stage`, the same function that colours and orders the rows,
so a header, a summary or a tab never says something the rows do not show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from queue_tui.core.models import Person, Ticket
from queue_tui.core.priority import PriorityRule
from queue_tui.core.sla import Stage, next_clock, remaining, stage
from queue_tui.core.urgency import urgency_key

HORIZON_SLOTS = 12
HORIZON_SLOT = timedelta(minutes=10)


def ticket_stage(t: Ticket, now: datetime) -> Stage:
    """The colour stage of a ticket's row: its next breaching SLA's stage at `now`."""
    return stage(next_clock(t, now), now)


def is_open(t: Ticket) -> bool:
    return t.status_category != "done"


@dataclass(frozen=True, slots=True)
class StageCounts:
    """Tickets per stage, and how many have nobody assigned."""

    breached: int = 0
    under_30m: int = 0
    under_1h: int = 0
    plenty: int = 0
    paused: int = 0
    none: int = 0
    unassigned: int = 0

    @property
    def total(self) -> int:
        return self.breached + self.under_30m + self.under_1h + self.plenty + self.paused + self.none

    def summary(self) -> str:
        """'4 breached, 2 under 30 min, 1 unassigned': the stages that have tickets, most urgent first."""
        parts = [(self.breached, "breached"), (self.under_30m, "under 30 min"), (self.under_1h, "under 1 h"),
                 (self.unassigned, "unassigned")]
        return ", ".join(f"{n} {label}" for n, label in parts if n)


def count_stages(tickets: Iterable[Ticket], now: datetime) -> StageCounts:
    by: dict[Stage, int] = dict.fromkeys(Stage, 0)
    unassigned = 0
    for t in tickets:
        by[ticket_stage(t, now)] += 1
        if t.assignee is None and is_open(t):
            unassigned += 1
    return StageCounts(by[Stage.BREACHED], by[Stage.UNDER_30M], by[Stage.UNDER_1H], by[Stage.PLENTY],
                       by[Stage.PAUSED], by[Stage.NONE], unassigned)


def breach_horizon(tickets: Iterable[Ticket], now: datetime, slots: int = HORIZON_SLOTS,
                   slot: timedelta = HORIZON_SLOT) -> list[int]:
    """How many running countdowns reach zero in each of the next `slots` slots of `slot` length.

    A paused clock breaches nothing until it runs again, and one already breached is counted by
    the stage counts, not here.
    """
    out = [0] * slots
    end = slot * slots
    for t in tickets:
        clock = next_clock(t, now)
        if clock is None or clock.paused or clock.completed:
            continue
        left = remaining(clock, now)
        if timedelta(0) <= left < end:
            out[int(left / slot)] += 1
    return out


def next_to_take(tickets: Iterable[Ticket], now: datetime, priority: PriorityRule) -> Ticket | None:
    """The open ticket nobody holds to take next: a priority installer's before any other
    (queue-triage-and-request-types.txt: they "take precedence over other tickets"), then the
    most urgent (by stage, then the nearest breach)."""
    free = [t for t in tickets if t.assignee is None and is_open(t)]
    return min(free, key=lambda t: (not priority.applies(t), urgency_key(t, now, priority))) if free else None


@dataclass(slots=True)
class Holding:
    """What one agent holds (person None: nobody, the unassigned tickets)."""

    person: Person | None
    keys: list[str] = field(default_factory=list)
    breached: int = 0
    under_30m: int = 0
    untouched_since: datetime | None = None  # the oldest last update among their tickets

    @property
    def held(self) -> int:
        return len(self.keys)

    def untouched_for(self, now: datetime) -> timedelta | None:
        return now - self.untouched_since if self.untouched_since is not None else None


def team_load(tickets: Iterable[Ticket], now: datetime) -> list[Holding]:
    """Per assignee: the open tickets held, breached, under 30 min, and the oldest untouched.

    Most breached first, then most under 30 min, then most held; nobody's tickets come last.
    """
    rows: dict[str | None, Holding] = {}
    for t in tickets:
        if not is_open(t):
            continue
        who = t.assignee
        h = rows.get(who.id if who else None)
        if h is None:
            h = rows[who.id if who else None] = Holding(who)
        h.keys.append(t.key)
        st = ticket_stage(t, now)
        h.breached += st == Stage.BREACHED
        h.under_30m += st == Stage.UNDER_30M
        if h.untouched_since is None or t.updated < h.untouched_since:
            h.untouched_since = t.updated
    return sorted(rows.values(), key=lambda h: (h.person is None, -h.breached, -h.under_30m, -h.held,
                                                h.person.name.lower() if h.person else ""))


AGE_BUCKETS: tuple[tuple[str, timedelta], ...] = (
    ("under 20 min", timedelta(minutes=20)), ("20 min–1 h", timedelta(hours=1)), ("1–4 h", timedelta(hours=4)),
    ("4–24 h", timedelta(days=1)), ("over a day", timedelta.max),
)


def unassigned_by_age(tickets: Iterable[Ticket], now: datetime) -> list[tuple[str, list[str]]]:
    """The open tickets nobody holds, by how long they have existed (buckets in AGE_BUCKETS)."""
    out: list[tuple[str, list[str]]] = [(label, []) for label, _ in AGE_BUCKETS]
    for t in sorted(tickets, key=lambda t: t.created):
        if t.assignee is not None or not is_open(t):
            continue
        age = now - t.created
        idx = next(i for i, (_, limit) in enumerate(AGE_BUCKETS) if age < limit)
        out[idx][1].append(t.key)
    return out


BARS = " ▁▂▃▄▅▆▇█"


def bar_row(values: list[int], ascii_only: bool = False) -> str:
    """One character per value, its height relative to the largest ('.' for none, '#' scale in ASCII)."""
    top = max(values, default=0)
    chars = " .:-=+*#%" if ascii_only else BARS
    if top == 0:
        return ("." if ascii_only else "·") * len(values)
    out = []
    for v in values:
        if v == 0:
            out.append("." if ascii_only else "·")
        else:
            out.append(chars[max(1, round(v / top * (len(chars) - 1)))])
    return "".join(out)


def bar(value: int, top: int, width: int) -> str:
    """A horizontal bar of `width` cells for value/top (at least one cell for any value above zero)."""
    if top <= 0 or value <= 0 or width <= 0:
        return ""
    return "█" * max(1, round(value / top * width))
