"""Ask the channel again before a ticket is closed (queue-triage-and-request-types.txt: the channel
covers every channel used "to resolve the original request", so it is final only at close), and
write the answer just before the transition. Used by `C` on one ticket and on marked tickets, and
by the SOP panel's `e` on the channel step (the same dialog and the same merged write)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from queue_tui.core.close_channel import ChannelAnswer, hints
from queue_tui.service import channel_field
from queue_tui.service.errors import JiraError
from queue_tui.ui.errors import FlowError
from queue_tui.ui.screens.close_channel import CloseChannelScreen

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp


@dataclass(frozen=True)
class ChannelDecision:
    answer: ChannelAnswer
    merges: bool = True  # the site's field takes add/remove
    found: bool = True  # the site has a channel field

    def says(self) -> str:
        return self.answer.says() if self.found else "no channel field on this Jira"


async def ask(app: QueueApp, key: str, heading: str, closing: bool = True) -> ChannelDecision | None:
    """The agent's channels for `key`, read from Jira now; None when they cancelled. `closing`: asked
    by `C` (else by the SOP panel's `e`, where nothing is closed)."""
    gw = app.services.gateway
    try:
        fld, full = await channel_field.read(gw, key)
    except JiraError as exc:
        raise FlowError(f"Could not read the channel of {key} before closing it: {exc.short()}") from exc
    if not fld.found:
        app.notify("No channel field was found on this Jira: set its id under [fields] channel in the config"
                   + (f" to have C ask for it. {key} is closed without it." if closing else "."),
                   severity="warning", timeout=6, markup=False)
        return ChannelDecision(ChannelAnswer((), (), skipped=True), found=False)
    answer = await app.push_screen_wait(CloseChannelScreen(
        key, heading, fld.options, fld.values, fld.setters, hints(full, fld.options), gw.me, fld.editable, closing))
    if answer is None:
        return None
    return ChannelDecision(answer, fld.merges)


async def write(app: QueueApp, key: str, decision: ChannelDecision) -> str:
    """Make the channel what the agent answered (merged with the field as it is now); what was done."""
    if not decision.found:
        return decision.says()
    return await channel_field.write(app.services.gateway, app.services.runner().do, key, decision.answer,
                                     decision.merges)
