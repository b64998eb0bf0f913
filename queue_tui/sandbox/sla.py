"""JSM's SLA clock for the simulator: time to first response and time to resolution.

The maths here is the simulator's own, written from JSM's documented behaviour, and
deliberately shares nothing with the app's `core/sla.py`: the simulator exists to catch
mistakes there, not to repeat them. One cycle per SLA; the clock pauses while the ticket
waits for the customer; first response stops at an agent's first public comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from queue_tui.sandbox.state import WAITING_FOR_CUSTOMER, Issue, World

TTFR_GOAL = timedelta(hours=2)
TTR_GOAL = timedelta(hours=24)


@dataclass
class SlaCycle:
    start: datetime
    goal: timedelta
    elapsed: timedelta
    paused: bool
    stopped_at: datetime | None
    breach_at: datetime | None  # None while paused

    @property
    def remaining(self) -> timedelta:
        return self.goal - self.elapsed

    @property
    def breached(self) -> bool:
        return self.elapsed > self.goal


def _running_time(issue: Issue, start: datetime, end: datetime) -> tuple[timedelta, bool]:
    """Time the SLA clock ran between start and end; paused while waiting for customer."""
    total = timedelta()
    hist = issue.status_history
    for i, (status, since) in enumerate(hist):
        until = hist[i + 1][1] if i + 1 < len(hist) else end
        lo, hi = max(since, start), min(until, end)
        if hi > lo and status != WAITING_FOR_CUSTOMER:
            total += hi - lo
    paused_now = bool(hist) and hist[-1][0] == WAITING_FOR_CUSTOMER
    return total, paused_now


def first_response_at(w: World, issue: Issue) -> datetime | None:
    for c in issue.comments:
        u = w.users.get(c.author)
        if c.public and u is not None and u.staff:
            return c.created
    return None


def sla_cycle(w: World, issue: Issue, which: str, now: datetime | None = None) -> SlaCycle | None:
    """The single cycle of 'ttfr' or 'ttr' for a service-desk issue."""
    if issue.project != w.service_desk_project or not w.sla_enabled:
        return None
    now = now or w.clock.now()
    goal = TTFR_GOAL if which == "ttfr" else TTR_GOAL
    stop = first_response_at(w, issue) if which == "ttfr" else issue.resolution_date
    end = min(stop, now) if stop else now
    elapsed, paused = _running_time(issue, issue.created, end)
    if stop:
        paused = False
    breach_at = None if (paused or stop) else now + (goal - elapsed)
    if stop:
        breach_at = stop + (goal - elapsed)
    return SlaCycle(issue.created, goal, elapsed, paused, stop, breach_at)
