"""A playbook's plan for a ticket: one `StepPlan` per step, in the SOP's order, and what apply-all does.

`plan` turns the ticket's state into one line per step: met, to do (with the typed operation),
manual, waiting, done, or blocked (with why). A step behind a wait that is not over is held, and
so is a step whose `after` steps are not done. Steps already met are skipped when applying, so
running a playbook twice changes nothing more. Pure: the service layer applies the operations.

Routes (`[[routes]]`) show only for the ticket's request type (`queue_tui.core.routes`); they and
`optional` steps are options, one key each, never part of apply-all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from queue_tui.core.context import Context
from queue_tui.core.ops import CreateCs
from queue_tui.core.plan_steps import plan_step
from queue_tui.core.playbook import Playbook, ReminderSpec, WaitSpec
from queue_tui.core.routes import Fit, fit, sop_type
from queue_tui.core.step_plan import StepPlan, StepStatus

S = StepStatus


_HOLDABLE = (S.TODO, S.MANUAL, S.SUGGESTED, S.DECIDE, S.OPTION)


def plan(pb: Playbook, c: Context) -> list[StepPlan]:
    """One line per step; a step after an unmet wait is held until the wait is over, and a step
    whose `after` steps are not done yet is held until they are (it cannot be applied or ticked)."""
    out: list[StepPlan] = []
    by_id: dict[str, StepPlan] = {}
    held = False
    kind = sop_type(c) if any(s.for_types for s in pb.steps) else (None, False)
    for s in pb.steps:
        shown = fit(s, c, kind)
        if shown == Fit.HIDDEN:
            continue
        p = plan_step(s, c, pb)
        if s.optional and p.status == S.TODO:
            p = replace(p, status=S.OPTION)
        if shown == Fit.HELD and p.status in _HOLDABLE:
            p = replace(p, status=S.WAITING, change=f"once the request type is set (suggested: {kind[0]})", op=None)
        elif p.status in _HOLDABLE:
            open_before = [by_id[a] for a in s.after if a in by_id and not by_id[a].status.settled]
            if held and not s.optional:  # an optional step fits whenever it fits, waits or not
                p = replace(p, status=S.WAITING, change="after the wait above", op=None)
            elif open_before:
                # Kept with its write when it was a plain to-do: apply-all may make it right after those steps.
                names = ", ".join(f"“{b.step.title}”" for b in open_before)
                p = replace(p, status=S.WAITING, change=f"after {names}", op=p.op if p.status == S.TODO else None,
                            held_by=tuple(b.step.id for b in open_before))
        out.append(p)
        by_id[s.id] = p
        if isinstance(s.spec, WaitSpec) and p.status in (S.WAITING, S.SUGGESTED):
            held = True  # a wait read from text is over only once the agent confirms it
    return out


@dataclass(frozen=True)
class ApplyList:
    """What apply-all does: `steps` in order, then it stops at `stop` (None: nothing is left after them)."""

    steps: tuple[StepPlan, ...]
    stop: StepPlan | None = None

    def stop_reason(self) -> str:
        p = self.stop
        if p is None:
            return ""
        why = {S.BLOCKED: p.problem or "blocked", S.DECIDE: "needs your decision", S.SUGGESTED: "needs your confirm",
               S.WAITING: p.change or "waiting"}.get(p.status, "")
        if p.status == S.TODO:
            why = "the CS ticket form opens with g" if isinstance(p.op, CreateCs) else (p.problem or "needs your choice (e)")
        return f"“{p.step.title}”: {why}"


def apply_list(plans: Sequence[StepPlan]) -> ApplyList:
    """The changes apply-all makes: every to-do in order, stopping at the first step that is blocked,
    waits, needs the agent's decision or confirm, or opens a form. Never past such a step."""
    out: list[StepPlan] = []
    for p in plans:
        if p.status.settled or p.status == S.MANUAL or p.step.optional or isinstance(p.step.spec, ReminderSpec):
            continue  # done, done by hand, taken when it fits, or a countdown: none stops the others
        if (p.actionable or after_batch(p, out)) and not isinstance(p.op, CreateCs):
            out.append(p)
            continue
        return ApplyList(tuple(out), p)
    return ApplyList(tuple(out))


def after_batch(p: StepPlan, before: Sequence[StepPlan]) -> bool:
    """A to-do held only by `after` steps that are all applied before it in the same run."""
    ids = {q.step.id for q in before}
    return p.status == S.WAITING and p.op is not None and bool(p.held_by) and all(h in ids for h in p.held_by)


def sop_run(plans: Sequence[StepPlan]) -> list[StepPlan]:
    """What `x` makes after its one confirm that names every change: each to-do and each value it
    replaces, in order, and a step held only by those right after them; never a suggestion, never a form."""
    out: list[StepPlan] = []
    for p in plans:
        if p.op is None or isinstance(p.op, CreateCs):
            continue
        if p.status in (S.TODO, S.DECIDE) or after_batch(p, out):
            out.append(p)
    return out


def remaining(plans: Sequence[StepPlan]) -> list[StepPlan]:
    """The steps apply-all would apply now."""
    return list(apply_list(plans).steps)


def blocked_reason(plans: Sequence[StepPlan]) -> str:
    """Why the SOP cannot be run through on this ticket as things are: the problems of its blocked
    steps, one after another ("" when none is blocked)."""
    return "; ".join(p.problem for p in plans if p.status == S.BLOCKED)
