"""The messages the UI's parts send each other, all in one place.

Flows run on the app and outlive the screen that started them; what they changed reaches every
screen on the stack as one of these (each screen takes what concerns it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from queue_tui.core.models import Ticket

if TYPE_CHECKING:
    from queue_tui.service.playbook_runner import RunResult
    from queue_tui.ui.app import QueueApp


class TicketChanged(Message, bubble=False):
    """A write changed this ticket: show it now rather than at the next poll.

    `settled` is False for the optimistic display before Jira answered (and for its rollback);
    True once Jira has the change, when views that read more than the row (detail, SOP panel)
    read it again.
    """

    def __init__(self, ticket: Ticket, settled: bool = True) -> None:
        super().__init__()
        self.ticket = ticket
        self.settled = settled


class PlaybookApplied(Message, bubble=False):
    """Steps of a playbook were applied to a ticket (all that could be, or the ones previewed);
    `ticket` is as Jira has it afterwards."""

    def __init__(self, ticket: Ticket, playbook_id: str, result: RunResult) -> None:
        super().__init__()
        self.ticket = ticket
        self.playbook_id = playbook_id
        self.result = result


def broadcast(app: QueueApp, make: Callable[[], Message]) -> None:
    """Post a fresh message from `make` to every screen on the stack (a message is delivered once)."""
    for screen in app.screen_stack:
        screen.post_message(make())
