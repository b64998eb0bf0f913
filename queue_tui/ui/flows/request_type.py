"""Set the request type (`t`): the desk's own request types, grouped under the SOP type each
stands for, the suggested one first with why, the guidance of both triage SOPs for the one
highlighted. A type a colleague set while the agent was choosing stays unless the agent confirms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from queue_tui.core import ops
from queue_tui.core.models import Ticket
from queue_tui.core.type_menu import type_menu
from queue_tui.service.errors import JiraError
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import run, show
from queue_tui.ui.screens.modals import ConfirmScreen
from queue_tui.ui.screens.request_type import RequestTypeScreen

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp


def set_request_type(app: QueueApp, t: Ticket) -> None:
    run(app, _pick_and_set(app, t), f"Request type of {t.key}")


async def _pick_and_set(app: QueueApp, t: Ticket) -> None:
    s = app.services
    runner = s.runner()
    try:
        site_types = await runner.site_request_types(s.desk_id)
    except JiraError as exc:
        raise FlowError(f"Cannot read this desk's request types: {exc.short()}") from exc
    if not site_types:
        raise FlowError("This service desk has no request types you can set", severity="warning")
    now = t.request_type.name if t.request_type else ""
    from queue_tui.core.routes import routes_by_type

    menu = type_menu(t, site_types, s.config.request_type_aliases)
    choice = await app.push_screen_wait(RequestTypeScreen(t.key, now, menu, routes_by_type(s.playbooks)))
    if choice is None:
        return
    name = choice.type.name
    try:
        fresh = await s.gateway.issue(t.key)
        was = t.request_type.id if t.request_type else None
        if fresh.request_type is not None and fresh.request_type.id == choice.type.id:
            show(app, fresh)
            app.notify(f"{t.key} already has request type {name}", timeout=3, markup=False)
            return
        if (fresh.request_type.id if fresh.request_type else None) != was and fresh.request_type is not None:
            # Someone set it while the agent was choosing: theirs stays unless the agent says otherwise.
            question = Text.assemble(("Replace? ", "bold"), f"{t.key}'s request type was just set to ",
                                     (fresh.request_type.name, "bold"), f".\nSet it to {name} instead?")
            if not await app.push_screen_wait(ConfirmScreen(question, yes="Replace")):
                show(app, fresh)
                return
        await runner.do(ops.SetRequestType(t.key, choice.type.id, name))
        fresh = await s.gateway.issue(t.key)
    except JiraError as exc:
        raise FlowError(f"Could not set the request type of {t.key}: {exc.short()}") from exc
    show(app, fresh)
    sop = choice.sop or choice.resembles
    app.notify(f"{t.key}: request type {name}" + (f" ({sop})" if sop and sop != name else ""), timeout=4, markup=False)
