"""Marks on the queue's rows, for one action on several tickets: space marks the row and moves on,
`*` marks every row shown (after a filter, all that match it), `u` clears; the top bar says how
many are marked and what acts on them all. A mixin of `QueueScreen`, whose commands read `marked`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from queue_tui.ui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from queue_tui.ui.widgets.queue_table import QueueTable


class Marks:
    if TYPE_CHECKING:
        marked: set[str]
        table: QueueTable

        def query_one(self, selector: Any) -> Any: ...

    def _show_marks(self) -> None:
        self.table.set_marked(self.marked)
        n = len(self.marked)
        self.query_one(TopBar).set("marks", Text(f"{n} marked: x a A t C act on all, u clears", style="bold magenta")
                                   if n else None, 95, short=Text(f"{n} marked", style="bold magenta"))

    def action_toggle_mark(self) -> None:
        key = self.table.current_key()
        if key is None:
            return
        self.marked ^= {key}
        self._show_marks()
        self.table.action_cursor_down()

    def action_mark_shown(self) -> None:
        """Mark every row shown (after a filter: all that match it)."""
        shown = set(self.table.ordered_keys)
        self.marked = set() if shown <= self.marked else self.marked | shown
        self._show_marks()

    def action_clear_marks(self) -> None:
        if self.marked:
            self.marked = set()
            self._show_marks()
