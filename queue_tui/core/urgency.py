"""Queue order: breached and nearest breach first; priority service first at equal urgency.

Equal urgency means the same colour stage: a priority installer with 50 minutes left goes ahead
of another customer with 35, both being "under 1 h". Who counts as priority service is
`PriorityRule` (core.priority). Other sorts are offered by the UI.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from queue_tui.core.models import Ticket
from queue_tui.core.priority import PriorityRule
from queue_tui.core.sla import Stage, next_clock, remaining, stage


def urgency_key(ticket: Ticket, now: datetime, priority: PriorityRule) -> tuple[int, int, float, str]:
    clock = next_clock(ticket, now)
    st = stage(clock, now)
    left = remaining(clock, now).total_seconds() if clock is not None else float("inf")
    if st in (Stage.PAUSED, Stage.NONE):
        left = float("inf") if clock is None else left
    return (int(st), 0 if priority.applies(ticket) else 1, left, ticket.key)


SORTS: dict[str, str] = {
    "urgency": "Urgency (SLA, then priority service)",
    "newest": "Newest first",
    "oldest": "Oldest first",
    "key": "Key",
    "assignee": "Assignee",
    "organization": "Organization",
}


def sort_key(name: str, now: datetime, priority: PriorityRule) -> Callable[[Ticket], object]:
    if name == "urgency":
        return lambda t: urgency_key(t, now, priority)
    if name == "newest":
        return lambda t: -t.created.timestamp()
    if name == "oldest":
        return lambda t: t.created.timestamp()
    if name == "key":
        return lambda t: (t.project, int(t.key.rsplit("-", 1)[1]) if t.key.rsplit("-", 1)[1].isdigit() else 0)
    if name == "assignee":
        return lambda t: (t.assignee is not None, t.assignee.name.lower() if t.assignee else "")
    if name == "organization":
        return lambda t: t.organization_name.lower() or "~"
    raise ValueError(f"unknown sort {name!r}")


def lasting_sort_key(name: str, now: datetime, priority: PriorityRule) -> Callable[[Ticket], tuple[object, ...]]:
    """The order of `sort_key`, in keys that stay comparable as time passes, each ending with the
    ticket's key so no two tie.

    A key computed now still sorts correctly against one computed later as long as neither ticket
    changed colour stage meanwhile: running countdowns compare by the instant they breach, which
    does not move, instead of by the time left, which does. A table can then keep its rows in a
    sorted list and re-place only the tickets that crossed a stage.
    """
    if name != "urgency":
        base = sort_key(name, now, priority)
        return lambda t: (base(t), t.key)

    def key(t: Ticket) -> tuple[object, ...]:
        clock = next_clock(t, now)
        st = stage(clock, now)
        if clock is None:
            at = float("inf")
        elif st != Stage.PAUSED and clock.breach_at is not None and not clock.completed:
            at = clock.breach_at.timestamp()  # time left, plus a constant shared by every ticket
        else:
            at = remaining(clock, now).total_seconds()  # frozen: paused clocks share a stage of their own
        return (int(st), 0 if priority.applies(t) else 1, at, t.key)

    return key


def age_text(created: datetime, now: datetime) -> str:
    age = now - created
    if age < timedelta(hours=1):
        return f"{max(0, int(age.total_seconds() // 60))}m"
    if age < timedelta(days=1):
        return f"{int(age.total_seconds() // 3600)}h"
    return f"{age.days}d"
