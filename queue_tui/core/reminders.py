"""Reminders a playbook names: a follow-up that comes due some hours after another step.

everbright-partner-onboarding.txt: "Support will slack David for an update within 24 hours if we
don't hear back from him". The reminder counts down from the moment the question was sent (the
step's stored progress, a datetime), is due once the hours are over, and is not needed once the
`unless` condition holds (he answered). Before it is due the plan carries `due_at`, so the panel
shows the countdown and the app can announce it the moment it comes due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from queue_tui.core.conditions import holds
from queue_tui.core.context import Context
from queue_tui.core.mentions import shown
from queue_tui.core.playbook import Playbook, ReminderSpec, Step
from queue_tui.core.step_plan import StepPlan, StepStatus

S = StepStatus


def countdown(due_at: datetime, now: datetime) -> str:
    """'in 5 h 12 min' before, '40 min ago' after: what the panel says about a reminder."""
    left = due_at - now
    seconds = int(abs(left).total_seconds())
    minutes = -(-seconds // 60) if left > timedelta(0) else seconds // 60  # never "in 0 min" while not due
    hours, rest = divmod(minutes, 60)
    text = f"{hours} h {rest:02d} min" if hours else f"{rest} min"
    return f"in {text}" if left > timedelta(0) else f"{text} ago"


def plan_reminder(s: Step, spec: ReminderSpec, c: Context, pb: Playbook) -> StepPlan:
    if c.done(s.id):
        p = c.progress[s.id]
        return StepPlan(s, S.DONE, f"ticked by {p.by or '?'}")
    if spec.unless:
        ok, _ = holds(spec.unless, c)
        if ok:
            return StepPlan(s, S.SKIP, "not needed", f"no reminder: {spec.unless.replace('_', ' ')}")
    since = c.progress.get(spec.since)
    start = pb.step(spec.since)
    name = f"“{start.title}”" if start else spec.since
    if since is None or since.at is None or not c.done(spec.since):
        return StepPlan(s, S.WAITING, "", f"counts {spec.hours:g} h from {name}, once it is done")
    due_at = since.at + timedelta(hours=spec.hours)
    copy = "  ".join(f"{k}: {shown(v, c)}" for k, v in spec.copy)
    if c.now < due_at:
        return StepPlan(s, S.WAITING, "", f"due {countdown(due_at, c.now)} ({spec.hours:g} h after {name})", due_at=due_at)
    return StepPlan(s, S.MANUAL, f"due {countdown(due_at, c.now)}", copy or "tick when done (space)", due_at=due_at)
