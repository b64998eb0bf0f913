"""What each cell of the queue table says about a ticket, and in which role (the palette colours it).

The cells that change with time (the countdowns and the age) are kept apart from the others, so
a tick rebuilds only those, and says when they next need a look: a countdown shows seconds only
in the ten minutes either side of its breach, minutes otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from queue_tui.core.models import SlaClock, Ticket
from queue_tui.core.priority import PriorityRule
from queue_tui.core.sla import (
    SECONDS_WITHIN,
    Stage,
    format_remaining,
    next_clock,
    remaining,
    stage,
    stage_turns,
    time_stage,
)
from queue_tui.core.urgency import age_text

if TYPE_CHECKING:  # the closing rules load with the first poll, not before the first paint
    from queue_tui.core.closing import ClosingState


class Cell(NamedTuple):
    """A cell's text in a palette role; `lead` is a mark kept at the cell's left edge."""

    text: str
    role: str = "plain"
    lead: str = ""
    lead_role: str = ""


EMPTY = Cell("")


def matches(t: Ticket, needle: str, closing: dict[str, ClosingState] | None = None) -> bool:
    """Every word of the filter appears; `is:ready` and `is:followup` select by closing state."""
    if not needle:
        return True
    words = needle.lower().split()
    state = (closing or {}).get(t.key)
    if "is:ready" in words and not (state and state.ready):
        return False
    if "is:followup" in words and not (state and state.follow_up_due):
        return False
    needle = " ".join(w for w in words if not w.startswith("is:"))
    hay = " ".join([t.key, t.summary, t.organization_name, t.status, t.assignee.name if t.assignee else "unassigned",
                    t.request_type.name if t.request_type else "untyped",  # as its cell reads
                    t.reporter.name if t.reporter else ""]).lower()
    return all(word in hay for word in needle.lower().split())


def one_line(text: str) -> str:
    return " ".join(text.split())


_STAGE_KEYS = {Stage.BREACHED: "breached", Stage.UNDER_30M: "under-30m", Stage.UNDER_1H: "under-1h",
               Stage.PLENTY: "plenty"}


def clock_cell(clock: SlaClock | None, now: datetime, marks: dict[str, str]) -> Cell:
    """A countdown: its stage's mark at the left, the time left, in the stage's colour."""
    if clock is None:
        return Cell("—", "sla.none")
    if clock.completed:
        return Cell("", "sla.met", marks["missed" if clock.breached else "met"], "sla.missed" if clock.breached else "sla.met")
    left = remaining(clock, now)
    key = _STAGE_KEYS[time_stage(left)]
    text = format_remaining(left) + ("*" if clock.computed else "")
    if clock.paused:
        # A paused breached clock keeps its fill under the mark too; the others mark it in its own colour.
        return Cell(text, f"sla.{key}.paused", marks["paused"], f"sla.{key}.paused" if key == "breached" else "sla.paused")
    return Cell(text, f"sla.{key}", marks[key], f"sla.{key}")


@dataclass(frozen=True, slots=True)
class TimeCells:
    """The cells of a row that change with time, as of `at`."""

    at: datetime
    text: str  # the next countdown's text, as `sla_text_of` reports it
    stage: Stage
    sla: Cell
    goals: tuple[Cell, ...]
    age: Cell
    fast: tuple[tuple[datetime, datetime], ...]  # when a countdown of the row shows seconds
    turns: datetime | None = None  # when the row's stage changes (its colour, the glance line's count)

    def stale(self, now: datetime) -> bool:
        """Whether a cell may read differently at `now`: a new minute, seconds ticking, or the
        stage changed (at its own second, not the next minute's)."""
        if now == self.at:
            return False
        if self.turns is not None and now > self.turns:
            return True
        if now.replace(second=0, microsecond=0) != self.at.replace(second=0, microsecond=0):
            return True
        return any(start <= now < end for start, end in self.fast)

    def width(self) -> int:
        return len(self.sla.lead) + 1 + len(self.sla.text)


def time_cells(t: Ticket, now: datetime, goals: tuple[str, ...], marks: dict[str, str]) -> TimeCells:
    clock = next_clock(t, now)
    st = stage(clock, now)
    by_name = {c.name: c for c in t.slas}
    fast = tuple((c.breach_at - SECONDS_WITHIN, c.breach_at + SECONDS_WITHIN) for c in {clock, *by_name.values()}
                 if c is not None and not c.paused and not c.completed and c.breach_at is not None)
    sla = clock_cell(clock, now, marks)
    goal_cells = tuple(clock_cell(by_name[g], now, marks) if g in by_name else EMPTY for g in goals)
    return TimeCells(now, sla.text, st, sla, goal_cells, Cell(age_text(t.created, now)), fast, stage_turns(clock, now))


@dataclass(frozen=True)
class Context:
    """What the static cells depend on besides the ticket."""

    priority: PriorityRule
    me_id: str | None
    flags: dict[str, str]
    closing: dict[str, ClosingState]
    marked: set[str] = field(default_factory=set)


def next_cell(state: ClosingState | None) -> Cell:
    if state is None:
        return EMPTY
    if state.ready:
        return Cell("close ✓", "ok")
    if state.follow_up_due:
        return Cell("follow up", "attention")
    return EMPTY


def static_cells(t: Ticket, ctx: Context) -> dict[str, Cell]:
    """The cells that change only when the ticket (or its flag, or its closing state) does."""
    pi = ctx.priority.applies(t)
    flag = ctx.flags.get(t.key, "")
    if t.assignee is None:
        assignee = Cell("—", "attention")
    elif ctx.me_id and t.assignee.id == ctx.me_id:
        assignee = Cell("me", "strong")
    else:
        assignee = Cell(t.assignee.name)
    # Status says who has the ball by its weight: bold while it is with support, muted while the
    # customer has it, so no second column repeats it.
    waiting = t.waiting_on
    return {
        "flag": (Cell("[x]", "pi") if t.key in ctx.marked else
                 Cell(flag, "new" if flag == "new" else "updated") if flag else EMPTY),
        "key": Cell(t.key, "pi" if pi else "strong"),
        "pi": Cell("★", "pi") if pi else EMPTY,
        "priority": Cell(t.priority or ""),
        "org": Cell(t.organization_name, "pi") if pi else (Cell(t.organization_name) if t.organizations else Cell("—", "muted")),
        "summary": Cell(one_line(t.summary), "strong" if pi else "plain"),
        "rtype": Cell(t.request_type.name) if t.request_type else Cell("— untyped", "muted.italic"),
        "status": Cell(t.status, "strong" if waiting == "support" else "muted"),
        "assignee": assignee,
        "next": next_cell(ctx.closing.get(t.key)),
        "cs": Cell(next((lk.key for lk in t.links if lk.project == "CS"), ""), "plain"),
    }


__all__ = ["EMPTY", "Cell", "Context", "TimeCells", "clock_cell", "matches", "next_cell", "one_line", "static_cells",
           "time_cells"]
