"""Reply (`m`): the composer with the triage SOP's templates; a public reply is confirmed with
its recipients first; the SOP's status move after a general initial response follows (service)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text

from queue_tui.core.models import Ticket
from queue_tui.core.playbook import choose
from queue_tui.service.errors import JiraError, UnclearWriteError
from queue_tui.service.send_reply import already_sent, move_after, send_reply
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import run, show
from queue_tui.ui.screens.modals import ConfirmScreen
from queue_tui.ui.screens.reply import ReplyScreen, recipients

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp


def reply(app: QueueApp, t: Ticket) -> None:
    run(app, _reply(app, t), f"Reply on {t.key}", group="reply", exclusive=True)


async def _reply(app: QueueApp, t: Ticket) -> None:
    s = app.services
    gateway = s.gateway
    try:
        full = await gateway.ticket_detail(t.key)
        full = replace(full, participants=tuple(await gateway.participants(t.key)))
    except JiraError as exc:
        raise FlowError(f"Cannot open the composer for {t.key}: {exc.short()}") from exc
    hit = choose(s.playbooks, full)
    internal_only = hit[0].refuse_public_reason if hit and not hit[0].customer_visible else ""
    me = gateway.me.name if gateway.me else ""
    result = await app.push_screen_wait(ReplyScreen(full, me, s.drafts, internal_only))
    if result is None:
        return
    public = bool(result["public"])
    if public:
        who = "\n".join("  • " + r for r in recipients(full)) or "  (nobody: no reporter or participants)"
        # The text as the customer will get it: the SOP's "proofread first", since later edits are not sent.
        ok = await app.push_screen_wait(ConfirmScreen(Text.assemble(
            ("Send to the customer?\n\n", "bold"), f"It will be shared with:\n{who}\n\n",
            ("Edits made after sending are not sent to the customer: proofread first.\n", "italic"),
            ("─" * 40 + "\n", "dim"), (str(result["body"]), ""), ("\n" + "─" * 40, "dim")), yes="Send"))
        if not ok:
            return
    body, kind = str(result["body"]), str(result.get("kind", ""))
    began = s.drafts.sending(t.key)
    try:
        # A send of this draft began before and the app never heard how it ended: Jira says first.
        found = await already_sent(gateway, t.key, body, public=public, since=began) if began else None
        if found is None:
            s.drafts.mark_sending(t.key, app.clock())
            moved = await send_reply(gateway, t.key, body, public=public, kind=kind)
        else:
            moved = await move_after(gateway, t.key, public=public, kind=kind)
        fresh = await gateway.issue(t.key)
    except UnclearWriteError as exc:
        raise FlowError(f"Reply on {t.key}: {exc.short()}. Your draft is kept; sending it again looks for it "
                        "in Jira first.", timeout=12) from exc
    except JiraError as exc:
        raise FlowError(f"Reply not sent on {t.key}: {exc.short()}. Your draft is kept.", timeout=12) from exc
    s.drafts.drop(t.key)
    show(app, fresh)
    note = f"; status back to {moved}" if moved else ""
    what = "Public reply" if public else "Internal note"
    if found is not None:
        app.notify(f"{what} on {t.key} was already in Jira (sent {found.created.astimezone():%H:%M} before the app "
                   f"stopped); not sent again{note}", timeout=8, markup=False)
        return
    app.notify(f"{what} added to {t.key}{note}", timeout=5, markup=False)
