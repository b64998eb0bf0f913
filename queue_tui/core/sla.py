"""SLA countdown maths: which clock matters, how long is left at `now`, and its colour stage.

JSM reports each SLA's remaining time at the moment of the fetch; between polls the app counts
down from `breach_at` (or holds still while paused). An instance without SLA data gets the
triage SOP's rule instead: first response within 2 hours of creation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import IntEnum

from queue_tui.core.models import SlaClock, Ticket

FIRST_RESPONSE_GOAL = timedelta(hours=2)


class Stage(IntEnum):
    """Urgency stages, most urgent first (the order sorts by)."""

    BREACHED = 0
    UNDER_30M = 1
    UNDER_1H = 2
    PLENTY = 3
    PAUSED = 4
    NONE = 5


def remaining(clock: SlaClock, now: datetime) -> timedelta:
    """Time left on the clock at `now`: negative once breached, frozen while paused."""
    if clock.paused or clock.completed or clock.breach_at is None:
        return timedelta(milliseconds=clock.remaining_ms)
    return clock.breach_at - now


def fallback_clock(ticket: Ticket, now: datetime) -> SlaClock:
    """The SOP's 2-hour first response, counted from creation, for instances without JSM SLAs."""
    breach_at = ticket.created + FIRST_RESPONSE_GOAL
    left = breach_at - now
    return SlaClock("First response (2 h)", int(FIRST_RESPONSE_GOAL.total_seconds() * 1000),
                    int(left.total_seconds() * 1000), breach_at, False, left < timedelta(0), False, now, computed=True)


def next_clock(ticket: Ticket, now: datetime) -> SlaClock | None:
    """The SLA that breaches next: running clocks before paused ones, completed ones never."""
    open_clocks = [c for c in ticket.slas if not c.completed]
    if not open_clocks:
        if ticket.slas or ticket.status_category == "done":
            return None
        return fallback_clock(ticket, now)
    running = [c for c in open_clocks if not c.paused]
    pool = running or open_clocks
    return min(pool, key=lambda c: remaining(c, now))


def stage(clock: SlaClock | None, now: datetime) -> Stage:
    if clock is None:
        return Stage.NONE
    if clock.paused:
        return Stage.PAUSED
    return time_stage(remaining(clock, now))


def time_stage(left: timedelta) -> Stage:
    """The stage a countdown's time left puts it in, whether it runs or not (a paused clock keeps
    the colour of its time left)."""
    if left < timedelta(0):
        return Stage.BREACHED
    if left < timedelta(minutes=30):
        return Stage.UNDER_30M
    if left < timedelta(hours=1):
        return Stage.UNDER_1H
    return Stage.PLENTY


# How long before its breach a running countdown leaves each stage for the next.
_STAGE_ENDS = {Stage.PLENTY: timedelta(hours=1), Stage.UNDER_1H: timedelta(minutes=30), Stage.UNDER_30M: timedelta(0)}


def stage_turns(clock: SlaClock | None, now: datetime) -> datetime | None:
    """The instant the clock's stage changes by itself (it has changed once `now` is strictly past
    it); None when it never will (paused, breached, no SLA, no breach time)."""
    st = stage(clock, now)
    if clock is None or st not in _STAGE_ENDS or clock.breach_at is None:
        return None
    return clock.breach_at - _STAGE_ENDS[st]


SECONDS_WITHIN = timedelta(minutes=10)


def format_remaining(left: timedelta) -> str:
    """'7m 09s' in the last ten minutes (either side of the breach), '47m' or '1h 05m' otherwise,
    with a leading minus once breached.

    Seconds show only where they matter, so a calm queue redraws a countdown once a minute
    rather than every second: the screen stays cheap all day.
    """
    secs = int(left.total_seconds())
    sign = "-" if secs < 0 else ""
    secs = abs(secs)
    h, rest = divmod(secs, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{sign}{h}h {m:02d}m"
    if abs(left) < SECONDS_WITHIN:
        return f"{sign}{m}m {s:02d}s"
    return f"{sign}{m}m"



def sla_text(clock: SlaClock | None, now: datetime) -> str:
    """A countdown as plain text: remaining time, '‖' before it when paused (a mark common fonts
    have, unlike the pause symbol), '—' when no SLA runs."""
    if clock is None:
        return "—"
    text = format_remaining(remaining(clock, now))
    return f"‖ {text}" if clock.paused else text
