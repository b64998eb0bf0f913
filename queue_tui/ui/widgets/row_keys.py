"""The queue table's row keys: up, down, a page, first, last, and moving to a row by its index.

A mixin of `QueueTable`, which keeps the rows (`rows.order`, a sorted list with `key_at`/`index_of`)
and the cursor (a ticket key, set through `_set_cursor`); these only turn a key press into the
ticket the cursor goes to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.geometry import Region

    from queue_tui.ui.widgets.queue_rows import QueueRows


class RowKeys:
    if TYPE_CHECKING:
        rows: QueueRows
        scrollable_content_region: Region

        @property
        def cursor_row(self) -> int: ...

        def _set_cursor(self, key: str | None, scroll: bool = True) -> None: ...

    def cursor_to_row(self, index: int) -> None:
        order = self.rows.order
        if len(order):
            self._set_cursor(order.key_at(max(0, min(index, len(order) - 1))))

    def action_cursor_up(self) -> None:
        self.cursor_to_row(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.cursor_to_row(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.cursor_to_row(self.cursor_row - max(1, self.scrollable_content_region.height - 2))

    def action_page_down(self) -> None:
        self.cursor_to_row(self.cursor_row + max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self.cursor_to_row(0)

    def action_last(self) -> None:
        self.cursor_to_row(len(self.rows.order) - 1)
