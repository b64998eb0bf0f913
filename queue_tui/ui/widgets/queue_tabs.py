"""The queue tabs: one per queue of the desk, with its ticket count."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Tab, Tabs

from queue_tui.core.models import Queue


def tab_id(q: Queue) -> str:
    return f"q-{q.id}"


def queue_id(tab: Tab) -> str | None:
    return tab.id.removeprefix("q-") if tab.id else None


def _label(q: Queue) -> str:
    return f"{q.name} ({q.count})" if q.count is not None else q.name


class QueueTabs(Tabs):
    def __init__(self, queues: Sequence[Queue], active: Queue | None, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(*[Tab(_label(q), id=tab_id(q)) for q in queues], active=tab_id(active) if active else None, id=id)

    async def show(self, queues: Sequence[Queue], active: Queue | None) -> None:
        """Replace the tabs with these queues, `active` selected."""
        await self.clear()
        for q in queues:
            await self.add_tab(Tab(_label(q), id=tab_id(q)))
        if active is not None:
            self.active = tab_id(active)

    def recount(self, queues: Sequence[Queue]) -> None:
        for q in queues:
            for tab in self.query(f"#{tab_id(q)}").results(Tab):  # absent while the tabs are being rebuilt
                tab.label = _label(q)
