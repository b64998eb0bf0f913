"""`x`: the non-platform SOP in one go, after the agent's answer and one confirm.

queue-triage-and-request-types.txt, type 9: "If this message seems like it really might need
attention, send an internal message to the Support Supervisor for evaluation", then the six
fields and a status (Closed / Won't Do / Non-Platform Request / Other). The agent answers first,
in one list: not about the platform and closed with one of the SOP's statuses, or it might need
attention. Every write of that answer is listed, naming any value it replaces and whose it is,
and any value the site stands in with (its anonymous customer, its own request type), and applied
on one confirm. The answer is kept on the ticket (the panel shows it) only on that confirm, so
"no" writes nothing; and it is planned before anything is written: when a step cannot be done as
configured, x says what to add, and where.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from queue_tui.core.models import Ticket
from queue_tui.core.plan import blocked_reason, sop_run
from queue_tui.core.playbook import ChoiceSpec, Playbook, Step, TransitionSpec
from queue_tui.core.step_plan import StepPlan, StepStatus
from queue_tui.service.errors import JiraError
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import run, show
from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen

if TYPE_CHECKING:
    from queue_tui.service.playbook_runner import PlaybookRunner, RunResult
    from queue_tui.ui.app import QueueApp


def answers(pb: Playbook) -> tuple[Step | None, Step | None, list[tuple[str, tuple[str, str]]]]:
    """The playbook's question, its closing step with choices, and the list the agent picks from:
    (what they read, (option, closing word or ""))."""
    question = next((s for s in pb.steps if isinstance(s.spec, ChoiceSpec)), None)
    closing = next((s for s in pb.steps if isinstance(s.spec, TransitionSpec) and s.spec.choices), None)
    if question is None or not isinstance(question.spec, ChoiceSpec):
        return None, closing, []
    out: list[tuple[str, tuple[str, str]]] = []
    for option, label in question.spec.options:
        spec = closing.spec if closing is not None else None
        if closing is not None and isinstance(spec, TransitionSpec) and closing.answer == (question.id, option):
            usual = next((w for w, r in spec.choices if r == spec.resolution), "")
            words = [usual] + [w for w, _ in spec.choices if w != usual]
            out += [(f"{label.split('(')[0].strip()}: close it as {w}", (option, w)) for w in words]
        else:
            out.append((label, (option, "")))
    return question, closing, out


def junk_option(pb: Playbook) -> tuple[str, str] | None:
    """(question step, the answer that leads to closing): "not about the platform"."""
    question, closing, _ = answers(pb)
    if question is None or closing is None or closing.answer is None or closing.answer[0] != question.id:
        return None
    return closing.answer


async def apply_as_junk(app: QueueApp, key: str, pb: Playbook) -> RunResult:
    """Bulk `x`: the agent's one confirm answers "not about the platform" for this ticket, and the
    SOP's writes follow, the usual status (Won't Do) and the sender replaced as reporter included.
    Raises BlockedError with the steps' problems when one cannot be done on this ticket."""
    s = app.services
    runner = s.runner()
    junk = junk_option(pb)
    answered = dict([junk]) if junk is not None else {}
    # Planned with the answer before it is kept: a ticket the SOP cannot finish gets nothing written.
    why = blocked_reason(await runner.plan_answered(key, pb, s.desk_id, answered))
    if why:
        raise BlockedError(why)
    if junk is not None:
        await runner.choose(key, pb, *junk)
    return await runner.apply_confirmed_sop(key, pb, s.desk_id)  # the confirm named every step


class BlockedError(Exception):
    """A step of the SOP cannot be done on this ticket; the message says why."""


def non_platform(app: QueueApp, t: Ticket) -> None:
    run(app, _non_platform(app, t), f"Non-platform SOP on {t.key}")


async def _non_platform(app: QueueApp, t: Ticket) -> None:
    s = app.services
    pb = s.playbooks.get("non-platform")
    if pb is None:
        raise FlowError("The non-platform playbook is missing")
    runner = s.runner()
    question, closing, listed = answers(pb)
    answered: dict[str, str] = {}
    try:
        if question is not None:
            async def search(text: str) -> list[tuple[str, Any]]:
                return [(label, value) for label, value in listed if text.lower() in label.lower()]

            picked = await app.push_screen_wait(PickerScreen(f"{t.key}: {question.title}", search))
            if not picked:
                return
            option, word = picked
            answered = {question.id: option} | ({closing.id: word} if word and closing is not None else {})
        # Planned with the answer, which is kept only on the confirm: "no" leaves the ticket as it was,
        # and a step the site cannot stand in for is said (what to add, where) with nothing written.
        steps = await runner.plan_answered(t.key, pb, s.desk_id, answered)
        _refuse_blocked(pb, t, steps)
        todo = sop_run(steps)
        if not todo:
            await _keep(runner, t.key, pb, answered)
            app.notify(f"{pb.name} on {t.key}: nothing to change", timeout=4, markup=False)
            return
    except JiraError as exc:
        raise FlowError(f"{pb.name} on {t.key}: {exc.short()}") from exc
    lines = Text()
    for p in todo:
        for w in p.writes():
            lines.append(f"  • {w.line()}")
            if p.status == StepStatus.DECIDE:
                lines.append(f"  (replaces {p.whose()})", style="bold magenta")
            lines.append("\n")
        if p.stand_in:  # the site's own value for a setting nobody made: the agent's to accept here
            lines.append(f"    ({p.stand_in})\n", style="italic")
    question_text = Text.assemble(("Apply the non-platform SOP to ", "bold"), (t.key, "bold"), f": {t.summary}\n\n",
                                  lines)
    if not await app.push_screen_wait(ConfirmScreen(question_text, yes="Apply all")):
        return
    try:
        await _keep(runner, t.key, pb, answered)
        result = await runner.apply_previewed(t.key, pb, todo, s.desk_id,
                                              {p.step.id for p in todo if p.status == StepStatus.DECIDE})
        fresh = await s.gateway.issue(t.key)
    except JiraError as exc:
        raise FlowError(f"{pb.name} on {t.key}: {exc.short()}") from exc
    show(app, fresh)
    app.notify(f"{pb.name} on {t.key}: {result.summary()}", severity="error" if result.error else "information",
               markup=False, timeout=8)


async def _keep(runner: PlaybookRunner, key: str, pb: Playbook, answered: dict[str, str]) -> None:
    """The agent's answers, kept on the ticket (the panel shows them; the next run starts from them)."""
    for step_id, option in answered.items():
        await runner.choose(key, pb, step_id, option)


def _refuse_blocked(pb: Playbook, t: Ticket, steps: list[StepPlan]) -> None:
    """A step that cannot be done as things are stops `x` here, its problem on screen."""
    why = blocked_reason(steps)
    if why:
        raise FlowError(f"{pb.name} on {t.key}: {why}")
