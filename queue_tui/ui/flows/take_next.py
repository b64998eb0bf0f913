"""Take next: the most urgent ticket nobody holds becomes mine, with its SOP panel open.

Priority installers go first at an equal stage (the queue's own order). The assignment goes
through the assign flow, which reads the ticket again just before writing: if a colleague took it
meanwhile, the agent is asked before anything is replaced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from queue_tui.core.glance import next_to_take
from queue_tui.core.models import Ticket

if TYPE_CHECKING:
    from queue_tui.ui.screens.queue import QueueScreen


def candidates(screen: QueueScreen) -> list[Ticket]:
    """The current tab's tickets, or every tab polled so far when this one has none free."""
    here = list(screen.table.tickets.values())
    if any(t.assignee is None and t.status_category != "done" for t in here):
        return here
    seen: dict[str, Ticket] = {t.key: t for t in here}
    for snap in (screen.poller.last.values() if screen.poller else ()):
        for key, t in snap.tickets.items():
            seen.setdefault(key, t)
    return list(seen.values())


def take_next(screen: QueueScreen) -> None:
    app = screen.app
    t = next_to_take(candidates(screen), screen.now(), screen.table.priority)
    if t is None:
        screen.notify("Nothing to take: every open ticket here has an assignee", timeout=4)
        return

    def taken(done: Ticket) -> None:
        screen.show_taken(done)

    app.assign_flow(t, None, on_done=taken)  # type: ignore[attr-defined]
