"""Open a ticket's page on the Jira site in the agent's browser (`o`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from queue_tui.core.models import Ticket

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp


def open_in_browser(app: QueueApp, t: Ticket) -> None:
    url = app.services.browse_url(t.key)
    app.open_url(url)
    app.notify(f"Opened {url}", timeout=4, markup=False)
