"""Assign a ticket (`a` to me, `A` to someone picked), as the queue and the detail offer it.

The row shows the new assignee at once; the write goes out after a check of who holds the ticket
now. A colleague's ticket is only taken on the agent's confirm naming them; when someone took it
meanwhile, the agent sees that and is asked again; a refusal rolls the row back with the reason.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text

from queue_tui.core.models import Person, Ticket
from queue_tui.service.errors import JiraError
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import run, show
from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp


def assign_to_me(app: QueueApp, t: Ticket) -> None:
    run(app, assign(app, t, None), f"Assign {t.key}")


def assign_to_someone(app: QueueApp, t: Ticket) -> None:
    run(app, pick_and_assign(app, t), f"Assign {t.key}")


async def pick_and_assign(app: QueueApp, t: Ticket) -> None:
    gateway = app.services.gateway

    async def search(text: str) -> list[tuple[str, Any]]:
        people = await gateway.find_users(text or "", issue_key=t.key)
        return [(f"{p.name}  <{p.email}>" if p.email else p.name, p) for p in people]

    who = await app.push_screen_wait(PickerScreen(f"Assign {t.key} to…", search))
    if isinstance(who, Person):
        await assign(app, t, who)


async def assign(app: QueueApp, t: Ticket, who: Person | None) -> Ticket | None:
    """Assign `t` to `who` (None: me); returns the ticket as assigned, None when nothing was written."""
    gateway = app.services.gateway
    target = who or gateway.me
    if target is None:
        raise FlowError("Not connected yet", severity="warning", timeout=4)
    while True:
        if t.assignee is not None and t.assignee.id == target.id:
            app.notify(f"{t.key} is already assigned to {target.name}", timeout=3, markup=False)
            return None
        holder = t.assignee
        if holder is not None and (gateway.me is None or holder.id != gateway.me.id):
            mine = gateway.me is not None and target.id == gateway.me.id
            question = Text.assemble(("Take over? " if mine else "Reassign? ", "bold"), f"{t.key} is held by ",
                                     (holder.name, "bold"), f".\nAssign it to {'yourself' if mine else target.name}?")
            if not await app.push_screen_wait(ConfirmScreen(question, yes="Assign")):
                return None
        show(app, replace(t, assignee=target), settled=False)
        try:
            now_holder = (await gateway.issue(t.key, ["assignee"])).assignee
            if (now_holder is not None and now_holder.id != target.id
                    and (holder is None or now_holder.id != holder.id)):
                # Someone else took it since the agent looked: show that, and ask again.
                t = replace(t, assignee=now_holder)
                show(app, t, settled=False)
                app.notify(f"{t.key} was just taken by {now_holder.name}; nothing changed.", severity="warning",
                           markup=False, timeout=8)
                continue
            await gateway.assign(t.key, target)
        except JiraError as exc:
            show(app, t, settled=False)
            raise FlowError(f"Could not assign {t.key}: {exc.short()}. Row restored.") from exc
        done = replace(t, assignee=target)
        show(app, done)
        app.notify(f"{t.key} assigned to {target.name}", timeout=3, markup=False)
        return done
