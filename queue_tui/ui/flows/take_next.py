"""Take next: the most urgent ticket nobody holds becomes mine, with its SOP panel open.

A priority installer's ticket goes before any other, however urgent
(queue-triage-and-request-types.txt: they "take precedence over other tickets"); among them, and
then among the rest, the most urgent first. The table may sort stage first; `n` does not. The assignment goes
through the assign flow, which reads the ticket again just before writing: if a colleague took it
meanwhile, the agent is asked before anything is replaced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from queue_tui.core.glance import next_to_take
from queue_tui.core.models import Ticket
from queue_tui.ui.access import queue_app
from queue_tui.ui.flows import assign, run

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp
    from queue_tui.ui.screens.queue import QueueScreen


def candidates(screen: QueueScreen) -> list[Ticket]:
    """The current tab's tickets, or every tab polled so far when this one has none free."""
    here = list(screen.table.tickets.values())
    if any(t.assignee is None and t.status_category != "done" for t in here):
        return here
    seen: dict[str, Ticket] = {t.key: t for t in here}
    for snap in (screen.feed.poller.last.values() if screen.feed.poller else ()):
        for key, t in snap.tickets.items():
            seen.setdefault(key, t)
    return list(seen.values())


def take_next(screen: QueueScreen) -> None:
    t = next_to_take(candidates(screen), screen.now(), screen.table.priority)
    if t is None:
        screen.notify("Nothing to take: every open ticket here has an assignee", timeout=4)
        return
    app = queue_app(screen)
    run(app, _take(app, screen, t), f"Take {t.key}")


async def _take(app: QueueApp, screen: QueueScreen, t: Ticket) -> None:
    done = await assign.assign(app, t, None)
    if done is not None:
        screen.show_taken(done)
