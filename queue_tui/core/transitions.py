"""Planning a status change: of the ticket, of its CS ticket, or of a linked approval ticket.

A site's workflows are its own: the statuses a ticket can move to from where it stands are read
from Jira (`Context.transitions`, the ticket's available transitions). The SOP's status ("change
the CS ticket status back to 'to do'") is looked for among them, by the status it leads to or by
the transition's name. When the site has no such move from here, the step says so before
anything is sent and names the moves the site has; `e` lets the agent pick the one the SOP means,
kept on the ticket. Where the transitions were not read, the SOP's name is used as it is and Jira
answers at the write.
"""

from __future__ import annotations

from queue_tui.core import ops
from queue_tui.core.approval_ticket import link_type, linked, plan_close
from queue_tui.core.context import Context
from queue_tui.core.playbook import Playbook, Step, TransitionSpec
from queue_tui.core.step_plan import StepPlan, StepStatus

S = StepStatus
PICKED = "status:"  # prefix of the agent's pick of the site's status, kept as the step's choice


def moves(c: Context, key: str) -> tuple[tuple[str, str], ...] | None:
    """(transition name, status it leads to) the site offers `key` from where it stands; None: not read."""
    return c.transitions.get(key)


def reachable(c: Context, key: str, status: str) -> str | None:
    """The status `key` reaches for the SOP's `status` (by the status's name or the transition's);
    `status` itself when the transitions were not read; None when the site has no such move."""
    found = moves(c, key)
    if found is None:
        return status
    want = status.lower()
    return next((to for _, to in found if to.lower() == want), None) or next(
        (to for name, to in found if name.lower() == want), None)


def _target(s: Step, spec: TransitionSpec, c: Context, key: str, current: str) -> tuple[str | None, str]:
    """The status to move `key` to, and a note when it is not the SOP's own name."""
    picked = c.chosen(s.id) or ""
    if picked.startswith(PICKED):
        return picked.removeprefix(PICKED), f" (for the SOP's “{spec.to}”, picked by {c.progress[s.id].by or '?'})"
    if current.lower() == spec.to.lower():
        return spec.to, ""
    return reachable(c, key, spec.to), ""


def _no_move(key: str, spec: TransitionSpec, current: str, c: Context) -> str:
    names = ", ".join(sorted({to for _, to in moves(c, key) or ()})) or "none"
    return (f"{key} cannot move to “{spec.to}” from {current} on this site (it can go to: {names}): "
            "e to pick the status the SOP means")


def plan_transition(s: Step, spec: TransitionSpec, c: Context, pb: Playbook) -> StepPlan:
    t = c.ticket
    resolution = spec.resolution
    if spec.choices:  # the agent picks how it closes (e); the SOP's usual one until they do
        words = dict(spec.choices)
        resolution = words.get(c.chosen(s.id) or "", resolution)
        said = next((w for w, r in spec.choices if r == resolution), resolution)
        if t.status.lower() != spec.to.lower():
            others = ", ".join(w for w in words if w != said)
            return StepPlan(s, S.TODO, t.status, f"status: → {spec.to} ({said}); e for another: {others}",
                            ops.Transition(t.key, spec.to, resolution))
    if spec.on == "related":
        first = next((r for r in linked(c, link_type(pb)) if r.status_category != "done" and r.key in c.transitions), None)
        target = _target(s, spec, c, first.key, first.status)[0] if first is not None else spec.to
        if target is None and first is not None:
            return StepPlan(s, S.BLOCKED, f"{first.key}: {first.status}", problem=_no_move(first.key, spec, first.status, c))
        return plan_close(s, spec, c, pb, target or spec.to)
    if spec.on == "cs":
        if c.cs is None:
            return StepPlan(s, S.BLOCKED, problem="no CS ticket is linked yet")
        cur = c.cs.status
        if c.done(s.id):
            return StepPlan(s, S.DONE, f"{c.cs.key}: {cur}")
        target, note = _target(s, spec, c, c.cs.key, cur)
        if cur.lower() in (spec.to.lower(), (target or "").lower()):
            return StepPlan(s, S.MET, f"{c.cs.key}: {cur}")
        if target is None:
            return StepPlan(s, S.BLOCKED, f"{c.cs.key}: {cur}", problem=_no_move(c.cs.key, spec, cur, c))
        return StepPlan(s, S.TODO, f"{c.cs.key}: {cur}", f"{c.cs.key} status: → {target}{note}",
                        ops.Transition(c.cs.key, target, resolution))
    target, note = _target(s, spec, c, t.key, t.status)
    if t.status.lower() in (spec.to.lower(), (target or "").lower()):
        return StepPlan(s, S.MET, t.status)
    if target is None:
        return StepPlan(s, S.BLOCKED, t.status, problem=_no_move(t.key, spec, t.status, c))
    return StepPlan(s, S.TODO, t.status, f"status: → {target}{note}" + (f" ({resolution})" if resolution else ""),
                    ops.Transition(t.key, target, resolution))
