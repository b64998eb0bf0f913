"""The queue tabs: one per queue of the desk, with its ticket count.

When the tabs do not fit their width (80 columns, or beside the SOP panel) the queue names are
shortened with an ellipsis, all by the same amount, so every tab and every count stays on screen.
The count of the queue on screen is live; another queue's count is as Jira last gave it (on the
reconcile cadence): once older than a poll or two it reads "(~34)", dimmed, rather than as current.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.text import Text
from textual.widgets import Tab, Tabs

from queue_tui.core.models import Queue


def tab_id(q: Queue) -> str:
    return f"q-{q.id}"


def queue_id(tab: Tab) -> str | None:
    return tab.id.removeprefix("q-") if tab.id else None


def _count(q: Queue, stale: bool) -> str:
    """" (34)", or " (~34)" when it may be behind: as Jira gave it a while ago."""
    return "" if q.count is None else f" ({'~' if stale else ''}{q.count})"


def _label(q: Queue, limit: int = 10_000, stale: bool = False) -> Text:
    name = q.name if len(q.name) <= limit else q.name[: max(1, limit - 1)].rstrip() + "…"
    return Text.assemble(name, (_count(q, stale), "dim italic" if stale else ""))


def name_limit(queues: Sequence[Queue], width: int, stale: Collection[str] = ()) -> int:
    """The longest queue name that lets every tab (two cells of padding each) fit `width`."""
    if not width:
        return 10_000
    extra = [len(_count(q, q.id in stale)) for q in queues]
    names = [len(q.name) for q in queues]
    for limit in range(max(names, default=0), 3, -1):
        if sum(min(n, limit) + e + 2 for n, e in zip(names, extra, strict=True)) <= width:
            return limit
    return 4


class QueueTabs(Tabs):
    def __init__(self, queues: Sequence[Queue], active: Queue | None, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(*[Tab(_label(q), id=tab_id(q)) for q in queues], active=tab_id(active) if active else None, id=id)
        self._queues = list(queues)
        self._stale: set[str] = set()

    async def show(self, queues: Sequence[Queue], active: Queue | None) -> None:
        """Replace the tabs with these queues, `active` selected."""
        await self.clear()
        self._queues = list(queues)
        for q in queues:
            await self.add_tab(Tab(_label(q), id=tab_id(q)))
        if active is not None:
            self.active = tab_id(active)
        self.recount(queues, self._stale)

    def recount(self, queues: Sequence[Queue], stale: Collection[str] = ()) -> None:
        """Label every tab of the desk's `queues` (all of them: the names are shortened together);
        `stale`: ids of queues whose count may be behind."""
        self._queues, self._stale = list(queues), set(stale)
        limit = name_limit(queues, self.size.width, self._stale)
        for q in queues:
            for tab in self.query(f"#{tab_id(q)}").results(Tab):  # absent while the tabs are being rebuilt
                tab.label = _label(q, limit, q.id in self._stale)

    def on_resize(self) -> None:
        self.recount(self._queues, self._stale)
