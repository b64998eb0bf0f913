"""The SOP panel's keys on the steps that need something from the agent first.

- a route or optional step (`option`): `g` takes it (assign to the role it names, an internal
  comment that mentions someone, the CS ticket form with the route's rules);
- a comment that asks for a value (the link to a documented feature request): `g` asks for it,
  then posts the comment with it;
- a choice the SOP leaves to the agent (might this need the Support Supervisor?): `g` or `e`
  lists the answers; the answer is kept on the ticket and decides the steps below it;
- a status with choices (Closed / Won't Do / Non-Platform Request / Other): `e` picks one;
- any other status change: `e` lists the statuses the site offers the ticket it moves (a site
  whose to-do status has another name), kept as the status the SOP means;
- the approver's separate approval ticket: `e` picks which candidate it is, or none;
- the wait for the CS ticket on hold: `e` lists the CS ticket's statuses (where it stands and where
  the site lets it go) to pick the one this site calls on hold, kept on the ticket;
- a step that applies only when the ticket's text says so (EverBright financing): `e` answers
  yes or no, kept on the ticket; the text alone never settles it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from queue_tui.core import ops
from queue_tui.core.approval_ticket import NONE, candidates
from queue_tui.core.conditions import is_judged
from queue_tui.core.cs_hold import HOLD, statuses
from queue_tui.core.plan import plan
from queue_tui.core.playbook import ChoiceSpec, CommentSpec, LinkSpec, ManualSpec, TransitionSpec, WaitSpec
from queue_tui.core.step_plan import StepPlan, StepStatus
from queue_tui.core.transitions import PICKED, moves
from queue_tui.ui.access import queue_app
from queue_tui.ui.flows import cs_ticket, playbook

if TYPE_CHECKING:
    from queue_tui.ui.widgets.playbook_panel import PlaybookPanel


def apply_special(panel: PlaybookPanel, p: StepPlan, key: str) -> bool:
    """`g` on a step that needs the agent first; False when the step is not one of those."""
    spec = p.step.spec
    if isinstance(spec, ChoiceSpec):
        answer_choice(panel, p, key)
        return True
    if isinstance(spec, CommentSpec) and spec.ask and p.status in (StepStatus.TODO, StepStatus.OPTION):
        ask_then_post(panel, p, key)
        return True
    if p.status != StepStatus.OPTION:
        return False
    if isinstance(p.op, ops.CreateCs):
        ticket = panel.ctx.ticket if panel.ctx else panel.ticket
        assert ticket is not None
        cs_ticket.create_cs(queue_app(panel), ticket, playbook=panel.pb, rules=p.op.rules)
    elif p.op is not None:
        panel.run([p], key, confirmed=frozenset({p.step.id}))
    else:
        panel.notify(p.problem or f"{p.step.title}: nothing to apply", timeout=4, markup=False)
    return True


def fix_special(panel: PlaybookPanel, p: StepPlan, key: str) -> bool:
    """`e` on a choice, a status (its choices or the site's statuses), a judged condition, an
    approval ticket to link, or a step that picks watchers; False when the step is none of these."""
    spec = p.step.spec
    if isinstance(spec, ManualSpec) and spec.pick == "watcher":
        playbook.choose_value(queue_app(panel), key, "watcher")
        return True
    if isinstance(spec, ChoiceSpec):
        answer_choice(panel, p, key)
        return True
    if isinstance(spec, TransitionSpec) and spec.choices:
        options = [(f"{word}  (closes as {res})" if word != res else word, word) for word, res in spec.choices]
        _pick(panel, p, key, f"{p.step.title} ({key})", options)
        return True
    if isinstance(spec, TransitionSpec) and panel.ctx is not None:
        return _pick_status(panel, p, key, spec)
    if isinstance(spec, LinkSpec) and panel.ctx is not None:
        found = candidates(panel.ctx, p.step.id)
        if not found:
            return False
        options = [(f"{r.key}  {r.summary[:60]}" + (f"  ({r.reporter.name})" if r.reporter else ""), r.key) for r in found]
        _pick(panel, p, key, f"{p.step.title} ({key}): which ticket is the approval?",
              [*options, ("none of these is the approval ticket", NONE)])
        return True
    if isinstance(spec, WaitSpec) and spec.until == "cs_on_hold" and p.status == StepStatus.WAITING and panel.ctx is not None:
        cs, found = panel.ctx.cs, statuses(panel.ctx)
        if cs is None or not found:
            return False
        options = [(f"{st}  (where {cs.key} is now)" if st == cs.status else st, HOLD + st) for st in found]
        _pick(panel, p, key, f"{p.step.title}: the status of {cs.key} this site calls on hold", options)
        return True
    if p.step.when and is_judged(p.step.when) and p.evidence is not None:
        question = f"{p.step.title} ({key}): {p.evidence.sentence or p.evidence.reason}"
        _pick(panel, p, key, question[:120], [("yes: it applies to this ticket", "yes"), ("no: it does not", "no")])
        return True
    return False


def _pick_status(panel: PlaybookPanel, p: StepPlan, key: str, spec: TransitionSpec) -> bool:
    """`e` on a status change: the statuses the site offers the ticket it moves, for the SOP's one."""
    assert panel.ctx is not None
    ctx = panel.ctx
    moved = {"cs": ctx.cs.key if ctx.cs is not None else "", "ticket": ctx.ticket.key}.get(spec.on) or next(
        (r.key for r in ctx.related if r.key in ctx.transitions), "")
    offered = moves(ctx, moved)
    if not offered:
        return False
    options = [(f"{to}  ({name})" if name.lower() != to.lower() else to, PICKED + to) for name, to in offered]
    _pick(panel, p, key, f"{p.step.title}: the status of {moved} the SOP calls “{spec.to}”", options)
    return True


def answer_choice(panel: PlaybookPanel, p: StepPlan, key: str) -> None:
    spec = p.step.spec
    assert isinstance(spec, ChoiceSpec)
    _pick(panel, p, key, f"{p.step.title} ({key})", [(label, oid) for oid, label in spec.options])


def _pick(panel: PlaybookPanel, p: StepPlan, key: str, title: str, options: list[tuple[str, str]]) -> None:
    from queue_tui.ui.screens.modals import PickerScreen

    async def search(text: str) -> list[tuple[str, Any]]:
        return [(label, value) for label, value in options if text.lower() in label.lower()]

    def picked(value: str | None) -> None:
        if value:
            _save_choice(panel, p, key, value)

    panel.app.push_screen(PickerScreen(title, search), picked)


def _save_choice(panel: PlaybookPanel, p: StepPlan, key: str, value: str) -> None:
    if panel.pb is not None:
        playbook.choose(queue_app(panel), key, panel.pb, p, value)


def ask_then_post(panel: PlaybookPanel, p: StepPlan, key: str) -> None:
    """Ask for the value the comment needs, then post it (the plan is made again with the value)."""
    from queue_tui.ui.screens.ask import AskScreen

    spec = p.step.spec
    assert isinstance(spec, CommentSpec)
    if panel.ctx is None or panel.pb is None:
        return

    def answered(text: str | None) -> None:
        if not text or panel.ctx is None or panel.pb is None:
            return
        ctx = replace(panel.ctx, inputs={**panel.ctx.inputs, p.step.id: text})
        filled = next((q for q in plan(panel.pb, ctx) if q.step.id == p.step.id), None)
        if filled is None or filled.op is None:
            panel.notify(filled.problem if filled is not None and filled.problem else f"{p.step.title}: cannot post it now",
                         severity="warning", markup=False)
            return
        panel.run([filled], key, confirmed=frozenset({p.step.id}), inputs={p.step.id: text})

    then = "then: " + (p.change.split("; then ", 1)[-1] if "; then " in p.change else p.step.title)
    panel.app.push_screen(AskScreen(f"{p.step.title} ({key})", spec.ask, then), answered)
