"""Close a ticket (`C`) with a resolution the agent picks, saying why the closing rules think
it is ready (or that they do not)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from queue_tui.core.models import Ticket
from queue_tui.service.errors import JiraError
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import run, show
from queue_tui.ui.screens.modals import PickerScreen

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp

RESOLUTIONS = ("Done", "Won't Do", "Duplicate", "Cannot Reproduce")


def close(app: QueueApp, t: Ticket, ready_because: str) -> None:
    run(app, _close(app, t, ready_because), f"Close {t.key}")


async def _close(app: QueueApp, t: Ticket, ready_because: str) -> None:
    async def search(text: str) -> list[tuple[str, Any]]:
        return [(r, r) for r in RESOLUTIONS if text.lower() in r.lower()]

    title = f"Close {t.key} as…" + (f"  (ready: {ready_because})" if ready_because
                                      else "  (the closing rules do not say it is ready)")
    resolution = await app.push_screen_wait(PickerScreen(title, search))
    if not isinstance(resolution, str) or not resolution:
        return
    gateway = app.services.gateway
    try:
        await gateway.transition(t.key, "Closed", resolution)
        fresh = await gateway.issue(t.key)
    except JiraError as exc:
        raise FlowError(f"Could not close {t.key}: {exc.short()}") from exc
    show(app, fresh)
    app.notify(f"{t.key} closed ({resolution})", timeout=4, markup=False)
