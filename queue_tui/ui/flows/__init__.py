"""Flows: what follows an agent's key, from the first question to the last notification.

One module per flow. Each runs as a worker on the app (`run`), so it outlives the screen that
started it (the detail may close while an assignment is still on its way); questions are asked
with `push_screen_wait`; what a flow changed reaches the screens as messages (`ui/messages.py`);
a failure is raised (`FlowError`, `JiraError`) and shown by the app's one worker-error handler.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from textual.worker import Worker

from queue_tui.core.models import Ticket
from queue_tui.ui.messages import TicketChanged, broadcast

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp


def run(app: QueueApp, work: Coroutine[Any, Any, None], name: str, *, group: str = "writes",
        exclusive: bool = False) -> Worker[None]:
    """Run a flow's coroutine as a worker on the app; `name` is what a failure is reported as."""
    return app.run_worker(work, name=name, group=group, description=name, exclusive=exclusive, exit_on_error=False)


def show(app: QueueApp, t: Ticket, *, settled: bool = True) -> None:
    """Every screen shows `t` as it is now (settled) or as it is about to be (optimistic)."""
    broadcast(app, lambda: TicketChanged(t, settled))
