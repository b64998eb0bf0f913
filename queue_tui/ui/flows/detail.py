"""Open a ticket's detail (`enter`): description, comments, people, links, SLA cycles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from queue_tui.core.models import Ticket

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp


def open_detail(app: QueueApp, t: Ticket) -> None:
    from queue_tui.ui.screens.detail import DetailScreen

    app.push_screen(DetailScreen(t))

