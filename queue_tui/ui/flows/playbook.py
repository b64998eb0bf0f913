"""Apply a playbook: the non-platform SOP in one go (`x`, after the agent's answer and one confirm that
lists every write), and the SOP panel's writes (the previewed steps, a confirmed suggestion or decision, a tick, a value
the agent chose).

Each ends by telling the screens (`PlaybookApplied` or `TicketChanged`), so the panel plans the
ticket afresh and the row shows what changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from queue_tui.core import ops
from queue_tui.core.models import Person, Ticket
from queue_tui.core.playbook import Playbook
from queue_tui.core.step_plan import StepPlan
from queue_tui.service.errors import JiraError
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import close_channel, run, show
from queue_tui.ui.messages import PlaybookApplied, broadcast
from queue_tui.ui.screens.modals import PickerScreen

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp

GROUP = "playbook-apply"  # one apply at a time; the panel does not reload under a running one


def non_platform(app: QueueApp, t: Ticket) -> None:
    """`x`: the agent's answer first (not about the platform, and how it closes; or the Support
    Supervisor), then one confirm that lists every write (`queue_tui.ui.flows.non_platform`)."""
    from queue_tui.ui.flows.non_platform import non_platform as ask_then_apply

    ask_then_apply(app, t)


def apply_steps(app: QueueApp, key: str, pb: Playbook, steps: list[StepPlan],
                confirmed: frozenset[str] = frozenset(), inputs: dict[str, str] | None = None) -> None:
    """Apply the previewed `steps` to `key`, the ticket named when the agent pressed the key (re-read
    first: nothing changed meanwhile is overwritten). A decision, a suggestion or a route among them
    is applied only when its id is in `confirmed`, the agent's explicit answer; `inputs`: what the
    agent typed for steps that ask (a link to record)."""
    run(app, _apply_steps(app, key, pb, steps, confirmed, inputs), f"{pb.name} on {key}", group=GROUP, exclusive=True)


async def _apply_steps(app: QueueApp, key: str, pb: Playbook, steps: list[StepPlan], confirmed: frozenset[str],
                       inputs: dict[str, str] | None = None) -> None:
    s = app.services
    result = await s.runner().apply_previewed(key, pb, steps, s.desk_id, confirmed, inputs)
    app.notify(f"{key}: {result.summary()}", severity="error" if result.error else "information", markup=False,
               timeout=8)
    fresh = await s.gateway.issue(key)
    broadcast(app, lambda: PlaybookApplied(fresh, pb.id, result))


def choose(app: QueueApp, key: str, pb: Playbook, step: StepPlan, answer: str) -> None:
    """Keep the agent's answer at a choice step (or how a status with choices closes) on the ticket."""
    run(app, _choose(app, key, pb, step, answer), f"Answer {step.step.title} on {key}", group=GROUP)


async def _choose(app: QueueApp, key: str, pb: Playbook, step: StepPlan, answer: str) -> None:
    try:
        await app.services.runner().choose(key, pb, step.step.id, answer)
    except JiraError as exc:
        raise FlowError(f"Could not keep the answer on {key}: {exc.short()}") from exc
    show(app, await app.services.gateway.issue(key))


def tick(app: QueueApp, key: str, pb: Playbook, step: StepPlan) -> None:
    """Record a manual step as done, on the ticket, where every agent sees it."""
    run(app, _tick(app, key, pb, step), f"Tick {step.step.title} on {key}", group=GROUP)


async def _tick(app: QueueApp, key: str, pb: Playbook, step: StepPlan) -> None:
    try:
        await app.services.runner().tick(key, pb, step.step.id)
    except JiraError as exc:
        raise FlowError(f"Could not save the tick: {exc.short()}") from exc
    show(app, await app.services.gateway.issue(key))


CHOOSABLE = ("reporter", "organization", "channel", "needs_config")  # fields of a step the agent picks a value for


def choose_value(app: QueueApp, key: str, field: str) -> None:
    """A step the engine cannot decide: the agent picks the customer as reporter, the organization,
    every channel they used, the site's Needs Configuration? option, or someone to add as a watcher, and it
    is set at once."""
    run(app, _choose_value(app, key, field), f"Set the {field} of {key}", group=GROUP)


async def _choose_value(app: QueueApp, key: str, field: str) -> None:
    gw = app.services.gateway

    async def people(text: str) -> list[tuple[str, Any]]:
        found = await gw.find_users(text or "a")
        staff = tuple(app.config.monitor.staff_domains)
        # The reporter is the customer: customers first, staff after (sorted is stable).
        return [(f"{x.name} <{x.email}>" + ("  (staff)" if x.is_staff(staff) else ""), x)
                for x in sorted(found, key=lambda x: x.is_staff(staff))]

    async def orgs(text: str) -> list[tuple[str, Any]]:
        return [(o.name, o) for o in await gw.organizations() if text.lower() in o.name.lower()]

    async def colleagues(text: str) -> list[tuple[str, Any]]:
        found = await gw.find_users(text or "a")  # anyone Jira lets watch, not only those it can assign
        staff = tuple(app.config.monitor.staff_domains)
        # Whoever should be kept in the loop: usually a colleague, so staff first.
        return [(f"{x.name} <{x.email}>" + ("  (staff)" if x.is_staff(staff) else ""), x)
                for x in sorted(found, key=lambda x: not x.is_staff(staff))]

    if field == "watcher":
        x = await app.push_screen_wait(PickerScreen(f"Add a watcher to {key} (someone to keep in the loop)", colleagues))
        if isinstance(x, Person):
            await _set_value(app, key, ops.AddWatchers(key, (x,)), f"watcher + {x.name}")
    elif field == "reporter":
        x = await app.push_screen_wait(PickerScreen(f"Reporter of {key} (the customer)", people))
        if isinstance(x, Person):
            await _set_value(app, key, ops.SetPerson(key, "reporter", x), f"reporter = {x.name}")
    elif field == "needs_config":
        fid = gw.fields.get("needs_config") or ""
        try:
            allowed = (await gw.edit_options(key)).get(fid, ())
        except JiraError as exc:
            raise FlowError(f"Could not read the Needs Configuration? options of {key}: {exc.short()}") from exc

        async def options(text: str) -> list[tuple[str, Any]]:
            return [(o, o) for o in allowed if text.lower() in o.lower()]

        v = await app.push_screen_wait(PickerScreen(f"Needs Configuration? of {key} (this site's options)", options))
        if v:
            await _set_value(app, key, ops.SetNeedsConfig(key, str(v)), f"Needs Configuration? = {v}")
    elif field == "channel":
        # The site's own options, ticked as the field is, added to it as Jira has it then (as C does).
        decision = await close_channel.ask(app, key, f"Channel of {key}: every one you used", closing=False)
        if decision is None or decision.answer.skipped:
            return
        try:
            did = await close_channel.write(app, key, decision)
            fresh = await gw.issue(key)
        except JiraError as exc:
            raise FlowError(f"Could not set the channel of {key}: {exc.short()}") from exc
        app.notify(f"{key}: {did}", timeout=3, markup=False)
        show(app, fresh)
    else:
        o = await app.push_screen_wait(PickerScreen(f"Organization of {key}", orgs))
        if o is not None:
            await _set_value(app, key, ops.SetOrganization(key, o.id, o.name), f"organization = {o.name}")


async def _set_value(app: QueueApp, key: str, op: ops.Op, what: str) -> None:
    try:
        await app.services.runner().do(op)
        fresh = await app.services.gateway.issue(key)
    except JiraError as exc:
        raise FlowError(f"Could not set {what}: {exc.short()}") from exc
    app.notify(f"{key}: {what}", timeout=3, markup=False)
    show(app, fresh)
