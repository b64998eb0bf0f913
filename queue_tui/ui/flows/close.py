"""Close a ticket (`C`) with a resolution the agent picks, saying why the closing rules think
it is ready (or that they do not). When the ticket's SOP still has open steps (a summary in an
internal note before closing, EverBright's final internal comment, a channel partner's second CS
ticket), they are listed and the agent is asked before the ticket is closed. Then the channel is
asked again (`flows.close_channel`) and written before the transition: a close cut off between
the two leaves the ticket open with its channel, and the next `C` reads it again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from queue_tui.core.models import Ticket
from queue_tui.core.plan import plan
from queue_tui.core.playbook import ReminderSpec, TransitionSpec, choose
from queue_tui.core.step_plan import StepPlan, StepStatus
from queue_tui.service.errors import JiraError
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import close_channel, run, show
from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp

RESOLUTIONS = ("Done", "Won't Do", "Duplicate", "Cannot Reproduce")
_SHOWN = 8  # open steps listed by name in the confirm; the rest are counted


def close(app: QueueApp, t: Ticket, ready_because: str) -> None:
    run(app, _close(app, t, ready_because), f"Close {t.key}")


async def _close(app: QueueApp, t: Ticket, ready_because: str) -> None:
    async def search(text: str) -> list[tuple[str, Any]]:
        return [(r, r) for r in RESOLUTIONS if text.lower() in r.lower()]

    title = f"Close {t.key} as…" + (f"  (ready: {ready_because})" if ready_because
                                      else "  (the closing rules do not say it is ready)")
    resolution = await app.push_screen_wait(PickerScreen(title, search))
    if not isinstance(resolution, str) or not resolution:
        return
    name, steps = await open_steps(app, t.key)
    if steps and not await app.push_screen_wait(ConfirmScreen(_open_question(t.key, name, steps), yes="Close anyway")):
        return
    decision = await close_channel.ask(app, t.key, f"Close {t.key} as {resolution}: the channel, every one you used")
    if decision is None:
        return
    gateway = app.services.gateway
    try:
        channel = await close_channel.write(app, t.key, decision)
    except JiraError as exc:
        raise FlowError(f"Could not set the channel of {t.key}; it is not closed: {exc.short()}") from exc
    try:
        await gateway.transition(t.key, "Closed", resolution)
        fresh = await gateway.issue(t.key)
    except JiraError as exc:
        raise FlowError(f"Could not close {t.key} ({channel}): {exc.short()}") from exc
    show(app, fresh)
    app.notify(f"{t.key} closed ({resolution}); {channel}", timeout=4, markup=False)


def _still_open(p: StepPlan) -> bool:
    """A step the SOP still expects before the ticket is closed: not settled, not an option or a route taken
    when it fits, not a countdown, and not the closing itself (what C does)."""
    spec = p.step.spec
    closing = isinstance(spec, TransitionSpec) and spec.on == "ticket" and spec.to.lower() in ("closed", "resolved")
    return not (p.status.settled or p.status == StepStatus.OPTION or p.step.optional or p.step.for_types
                or isinstance(spec, ReminderSpec) or closing)


async def open_steps(app: QueueApp, key: str) -> tuple[str, list[StepPlan]]:
    """The ticket's playbook and its steps still open, as the SOP panel would plan them now."""
    s = app.services
    try:
        full = await s.gateway.ticket_detail(key)
        hit = choose(s.playbooks, full)
        if not hit:
            return "", []
        pb = hit[0]
        ctx = await s.runner().context(key, pb, s.desk_id)
    except JiraError as exc:
        raise FlowError(f"Could not read the SOP steps of {key} before closing it: {exc.short()}") from exc
    return pb.name, [p for p in plan(pb, ctx) if _still_open(p)]


def _open_question(key: str, playbook: str, steps: list[StepPlan]) -> Text:
    out = Text()
    out.append(f"Close {key} with {len(steps)} step{'s' if len(steps) != 1 else ''} of its SOP still open?\n\n", style="bold")
    out.append(f"{playbook}:\n")
    for p in steps[:_SHOWN]:
        out.append(f"  • {p.step.title} ({p.status})\n")
    if len(steps) > _SHOWN:
        out.append(f"  … and {len(steps) - _SHOWN} more\n")
    out.append("\nThe SOP panel (p) shows each of them.", style="italic")
    return out
