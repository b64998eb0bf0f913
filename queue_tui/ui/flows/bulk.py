"""Bulk: one action on every marked ticket (the non-platform SOP, assign, request type, close).

One confirm lists every ticket (colleagues' tickets apart, left out unless included); then each
ticket is read again just before its write, as the single-ticket flows do: a ticket a colleague
took or changed since the confirm is skipped with the reason, never overwritten. Each result is
reported per ticket and every write goes to the audit log through the gateway.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from queue_tui.core.models import Person, Ticket
from queue_tui.core.playbook import Playbook
from queue_tui.service.errors import JiraError
from queue_tui.ui.access import queue_app
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import close_channel, run, show
from queue_tui.ui.flows.close import RESOLUTIONS
from queue_tui.ui.screens.bulk import BulkScreen, holder

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp
    from queue_tui.ui.screens.queue import QueueScreen

log = logging.getLogger(__name__)
Report = Callable[[str, str, str], None]
Step = Callable[[Ticket, Ticket], Awaitable[str]]  # (as confirmed, as read now) -> what was done


class Skip(Exception):
    """This ticket is left as it is, for the reason given."""


def _changed_hands(confirmed: Ticket, fresh: Ticket) -> str | None:
    was = confirmed.assignee.id if confirmed.assignee else None
    now = fresh.assignee.id if fresh.assignee else None
    if now != was and fresh.assignee is not None:
        return f"taken by {fresh.assignee.name} meanwhile"
    return None


async def _each(screen: QueueScreen, tickets: list[Ticket], report: Report, step: Step) -> None:
    app = queue_app(screen)
    for t in tickets:
        report(t.key, "working", "")
        try:
            fresh = await app.services.gateway.issue(t.key)
            moved = _changed_hands(t, fresh)
            if moved:
                raise Skip(moved)
            if fresh.status_category == "done" and t.status_category != "done":
                raise Skip("closed meanwhile")
            done = await step(t, fresh)
            after = await app.services.gateway.issue(t.key)
        except Skip as why:
            report(t.key, "skipped", str(why))
            continue
        except JiraError as exc:
            report(t.key, "failed", exc.short())
            continue
        except Exception as exc:  # noqa: BLE001 - one ticket's fault must not hide the others' results
            log.exception("bulk action on %s", t.key)
            report(t.key, "failed", f"unexpected error ({type(exc).__name__}); see the log")
            continue
        show(app, after)
        report(t.key, "done", done)


def _open(screen: QueueScreen, title: str, tickets: list[Ticket], note: str, step: Step,
          details: dict[str, str] | None = None) -> None:
    me = queue_app(screen).services.gateway.me

    async def run(chosen: list[Ticket], report: Report) -> None:
        await _each(screen, chosen, report, step)
        screen.action_clear_marks()

    screen.app.push_screen(BulkScreen(title, tickets, me.id if me else None, note, run, details))


def bulk_non_platform(screen: QueueScreen, tickets: list[Ticket]) -> None:
    app = queue_app(screen)
    pb = app.services.playbooks.get("non-platform")
    if pb is None:
        screen.notify("The non-platform playbook is missing", severity="error")
        return

    async def step(t: Ticket, fresh: Ticket) -> str:
        from queue_tui.ui.flows.non_platform import BlockedError, apply_as_junk

        try:
            result = await apply_as_junk(app, t.key, pb)
        except BlockedError as why:
            raise Skip(str(why)) from None
        if result.error:
            raise JiraError(result.summary())
        return result.summary()

    from queue_tui.core.playbook import ChoiceSpec
    from queue_tui.ui.flows.non_platform import junk_option

    junk = junk_option(pb)
    steps = ", ".join(s.title for s in pb.steps if not isinstance(s.spec, ChoiceSpec)
                      and (s.answer is None or s.answer == junk))
    note = (f"Each is answered 'not about the platform' and gets: {steps} (Won't Do; the sender as reporter is "
            "replaced). If one might really need attention, cancel and use x on it alone.")

    async def confirm() -> None:
        _open(screen, "Apply the non-platform SOP", tickets, note + await _site_values(app, pb, tickets), step)

    run(app, confirm(), "Non-platform SOP on the marked tickets")


async def _site_values(app: QueueApp, pb: Playbook, tickets: list[Ticket]) -> str:
    """What the one confirm must name as x on one ticket does: the values this site stands in
    with for the SOP's (its anonymous customer, its own request type), and the tickets the SOP
    cannot finish as configured (skipped, nothing written). Read from each ticket's plan."""
    from queue_tui.core.plan import blocked_reason
    from queue_tui.ui.flows.non_platform import junk_option

    s = app.services
    junk = junk_option(pb)
    stand_ins: list[str] = []
    blocked: list[str] = []
    for t in tickets:
        try:
            plans = await s.runner().plan_answered(t.key, pb, s.desk_id, dict([junk]) if junk else {})
        except JiraError as exc:
            blocked.append(f"{t.key} ({exc.short()})")
            continue
        for p in plans:
            said = [f"{w.what} → {w.after} ({p.stand_in})" for w in p.writes()] if p.stand_in else []
            stand_ins += [line for line in said if line not in stand_ins]
        why = blocked_reason(plans)
        if why:
            blocked.append(f"{t.key} ({why})")
    out = "".join(f"\nOn this site: {c}" for c in stand_ins)
    return out + (f"\nSkipped, nothing written: {', '.join(blocked)}" if blocked else "")


def bulk_assign(screen: QueueScreen, tickets: list[Ticket], who: Person | None) -> None:
    app = queue_app(screen)
    target = who or app.services.gateway.me
    if target is None:
        screen.notify("Not connected yet", severity="warning")
        return

    async def step(t: Ticket, fresh: Ticket) -> str:
        if fresh.assignee is not None and fresh.assignee.id == target.id:
            raise Skip(f"already {target.name}'s")
        await app.services.gateway.assign(t.key, target)
        return f"assigned to {target.name}"

    _open(screen, f"Assign to {target.name}", tickets, "", step)


def bulk_close(screen: QueueScreen, tickets: list[Ticket], resolution: str,
               channels: dict[str, close_channel.ChannelDecision]) -> None:
    """Each ticket's channel was asked before this confirm (`_ask_channels`); it is written, merged with
    the field as Jira has it then, just before that ticket's transition."""
    app = queue_app(screen)

    async def step(t: Ticket, fresh: Ticket) -> str:
        if fresh.status_category == "done":
            raise Skip("already closed")
        channel = await close_channel.write(app, t.key, channels[t.key])
        await app.services.gateway.transition(t.key, "Closed", resolution)
        return f"closed ({resolution}); {channel}"

    details = {k: "channel: " + d.says() for k, d in channels.items()}
    _open(screen, f"Close as {resolution}", tickets, "Each ticket's channel is as you answered it, added to what "
          "Jira has when it is closed.", step, details)


async def _ask_channels(screen: QueueScreen, tickets: list[Ticket], resolution: str) -> None:
    """The channel of each ticket, one dialog per ticket (only the agent knows whom they phoned or chatted
    with), then one confirm listing every ticket with its channel; esc on any dialog writes nothing."""
    app = queue_app(screen)
    answers: dict[str, close_channel.ChannelDecision] = {}
    for n, t in enumerate(tickets, 1):
        got = await close_channel.ask(app, t.key, f"Close {len(tickets)} tickets as {resolution} ({n} of "
                                      f"{len(tickets)}): the channel of {t.key}, every one you used")
        if got is None:
            app.notify(f"Closing {len(tickets)} tickets cancelled: nothing was written", timeout=4)
            return
        answers[t.key] = got
    bulk_close(screen, tickets, resolution, answers)


def bulk_request_type(screen: QueueScreen, tickets: list[Ticket], type_id: str, name: str) -> None:
    app = queue_app(screen)

    async def step(t: Ticket, fresh: Ticket) -> str:
        from queue_tui.core import ops

        was = t.request_type.id if t.request_type else None
        now = fresh.request_type.id if fresh.request_type else None
        if now == type_id:
            raise Skip(f"already {name}")
        if now != was and fresh.request_type is not None:
            raise Skip(f"set to {fresh.request_type.name} meanwhile")
        await app.services.runner().do(ops.SetRequestType(t.key, type_id, name))
        return f"request type {name}"

    typed = [t for t in tickets if t.request_type is not None and t.request_type.id != type_id]
    note = (f"{len(typed)} already have another request type ({', '.join(t.key for t in typed[:6])}"
            f"{'…' if len(typed) > 6 else ''}): it will be replaced." if typed else "")
    _open(screen, f"Request type {name}", tickets, note, step)


__all__ = ["bulk_assign", "bulk_close", "bulk_non_platform", "bulk_request_type", "holder"]


def start(screen: QueueScreen, what: str) -> None:
    """A queue key pressed with rows marked: the same action for every marked ticket."""
    tickets = [screen.table.tickets[k] for k in screen.table.ordered_keys if k in screen.marked]
    tickets += [t for k, t in screen.table.tickets.items() if k in screen.marked and t not in tickets]
    if not tickets:
        screen.action_clear_marks()
        return
    app = queue_app(screen)
    from queue_tui.ui.screens.modals import PickerScreen

    if what == "non_platform":
        bulk_non_platform(screen, tickets)
    elif what == "assign_me":
        bulk_assign(screen, tickets, None)
    elif what == "assign_other":
        async def people(text: str) -> list[tuple[str, Any]]:
            found = await app.services.gateway.find_users(text or "", issue_key=tickets[0].key)
            return [(f"{p.name}  <{p.email}>" if p.email else p.name, p) for p in found]

        def picked(p: Person | None) -> None:
            if p is not None:
                bulk_assign(screen, tickets, p)

        app.push_screen(PickerScreen(f"Assign {len(tickets)} tickets to…", people), picked)
    elif what == "close":
        async def search(text: str) -> list[tuple[str, Any]]:
            return [(r, r) for r in RESOLUTIONS if text.lower() in r.lower()]

        def resolved(res: str | None) -> None:
            if res:
                run(app, _ask_channels(screen, tickets, res), f"Close {len(tickets)} tickets")

        app.push_screen(PickerScreen(f"Close {len(tickets)} tickets as…", search), resolved)
    elif what == "request_type":
        run(app, _pick_type(screen, tickets), f"Request type of {len(tickets)} tickets")


async def _pick_type(screen: QueueScreen, tickets: list[Ticket]) -> None:
    from queue_tui.core.type_menu import type_menu
    from queue_tui.ui.screens.request_type import RequestTypeScreen

    app = queue_app(screen)
    try:
        site_types = await app.services.runner().site_request_types(app.services.desk_id)
    except JiraError as exc:
        raise FlowError(f"Cannot read this desk's request types: {exc.short()}") from exc
    menu = type_menu(tickets[0], site_types, app.config.request_type_aliases)
    choice = await app.push_screen_wait(RequestTypeScreen(f"{len(tickets)} tickets", "", menu))
    if choice is not None:
        bulk_request_type(screen, tickets, choice.type.id, choice.type.name)
