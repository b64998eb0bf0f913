"""The queue table: one keyed row per ticket, updated in place from each poll's diff, all day.

Built on Textual's Line API (a `ScrollView` drawing one line at a time): only the lines on screen
are drawn, each drawn line is kept per ticket and thrown away only when that ticket's cells
change, rows are kept in a sorted list that moves a ticket by binary search, and the cursor
belongs to a ticket, not a position, so polls, sorts, filters and moves never take it elsewhere.
The columns fit the width by priority (see `table_layout`), the colours come from the theme
(see `palette`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from queue_tui.core.models import Ticket
from queue_tui.core.priority import PriorityRule
from queue_tui.core.sla import Stage
from queue_tui.core.snapshot import Diff
from queue_tui.core.stage_index import StageIndex
from queue_tui.ui.commands import bindings
from queue_tui.ui.queue_colours import Palette, palette_for
from queue_tui.ui.widgets.queue_cells import Cell, matches
from queue_tui.ui.widgets.queue_rows import Forward, QueueRows
from queue_tui.ui.widgets.row_keys import RowKeys
from queue_tui.ui.widgets.table_render import render_header, render_row

if TYPE_CHECKING:  # the closing rules load with the first poll, not before the first paint
    from queue_tui.core.closing import ClosingState

__all__ = ["QueueTable", "matches"]


class QueueTable(RowKeys, ScrollView, can_focus=True):
    """Rows keyed by ticket key; the cursor stays on its ticket."""

    DEFAULT_CSS = """
    QueueTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        & > .queue-table--header { background: $panel; color: $foreground; text-style: bold; }
        & > .queue-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .queue-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"queue-table--header", "queue-table--cursor"}
    COMMAND_SCOPE: ClassVar[str] = "table"
    BINDINGS = bindings("table")

    class CursorMoved(Message):
        """The cursor is on another ticket (None: the table is empty)."""

        def __init__(self, table: QueueTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> QueueTable:
            return self.table

    class TicketSelected(Message):
        """The agent chose a ticket: a click on the cursor's row (enter is the screen's Detail)."""

        def __init__(self, table: QueueTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> QueueTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rows = QueueRows(self._row_changed, self._row_moved)
        # Public counters for tests and benchmarks: rows drawn into lines, and drawn lines thrown
        # away because a cell of their ticket changed (see `row_invalidated`).
        self.row_renders = 0
        self.invalidations = 0
        self._lines: LRUCache[str, tuple[tuple[object, ...], Strip]] = LRUCache(1024)
        self._header: tuple[tuple[object, ...], Strip] | None = None
        self._cursor: str | None = None
        self._palette: Palette | None = None
        self._version = 0  # bumped when every drawn line is out of date (layout, palette, focus)
        self._changes = 0  # rows whose cells read differently, drawn or not

    # What the screen sets and reads; kept in the rows.
    tickets: Forward[dict[str, Ticket]] = Forward()
    flags: Forward[dict[str, str]] = Forward()
    marked: Forward[set[str]] = Forward()
    closing: Forward[dict[str, ClosingState]] = Forward()
    me_id: Forward[str | None] = Forward()
    priority: Forward[PriorityRule] = Forward()
    sort_name: Forward[str] = Forward()
    needle: Forward[str] = Forward()
    stages: Forward[StageIndex] = Forward()  # the tab's stage counts and breach horizon at any time

    # -- reading ---------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.rows.order)

    @property
    def ordered_keys(self) -> list[str]:
        """The tickets shown, top to bottom."""
        return self.rows.order.keys()

    @property
    def cursor_row(self) -> int:
        index = self.rows.order.index_of(self._cursor) if self._cursor is not None else None
        return index or 0

    def current_key(self) -> str | None:
        return self._cursor

    def current_ticket(self) -> Ticket | None:
        return self.tickets.get(self._cursor) if self._cursor else None

    def cell(self, key: str, column: str) -> Cell:
        """What the row of `key` shows in `column` (ids as in `queue_columns`)."""
        return self.rows.cells(key)[column]

    def cell_text(self, key: str, column: str) -> str:
        return self.cell(key, column).text

    def sla_text_of(self, key: str) -> str:
        return self.rows.time(key).text if self.rows.has_time(key) else ""

    def stage_of(self, key: str) -> Stage:
        return self.rows.time(key).stage if self.rows.has_time(key) else Stage.NONE

    @property
    def columns(self) -> tuple[str, ...]:
        """The ids of the columns shown, left to right."""
        return tuple(c.id for c in self.rows.columns.placed)

    @property
    def palette(self) -> Palette:
        if self._palette is None:
            ascii_marks = "utf" not in (self.app.console.encoding or "").lower()
            self._palette = palette_for(self.app.current_theme, ascii_marks=ascii_marks)
            self.rows.set_marks(self._palette.marks)
        return self._palette

    # -- drawing ---------------------------------------------------------------------------
    def _row_changed(self, key: str) -> None:
        self._changes += 1
        if self._lines.get(key) is not None:
            self._lines.discard(key)
            self.invalidations += 1
            self.row_invalidated(key)
        self._refresh_key(key)

    def row_invalidated(self, key: str) -> None:
        """Called whenever the drawn line of `key`'s row is thrown away because a cell of it
        changed (a hook for tests and benchmarks; does nothing)."""

    def _row_moved(self, was: int, now_at: int) -> None:
        self._refresh_rows(*range(min(was, now_at), max(was, now_at) + 1))

    @property
    def _width(self) -> int:
        return self.scrollable_content_region.width

    def render_line(self, y: int) -> Strip:
        width = self._width
        if self.rows.columns_dirty:  # placed at the first drawing, when the table knows its width
            self._fit_columns()
        if y == 0:
            return self._header_strip(width)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.rows.order):
            return Strip.blank(width, self.rich_style)
        return self._row_strip(self.rows.order.key_at(index), width)

    def _header_strip(self, width: int) -> Strip:
        sig = (self._version, width)
        if self._header is None or self._header[0] != sig:
            style = self.rich_style + self.get_component_rich_style("queue-table--header")
            self._header = (sig, render_header(self.rows.columns.placed, style, width))
        return self._header[1]

    def _row_strip(self, key: str, width: int) -> Strip:
        palette = self.palette
        cells = self.rows.cells(key)  # brings its countdowns to the table's clock first
        if self.rows.columns_dirty:
            self._fit_columns()
        cursor = key == self._cursor
        sig = (self._version, width, cursor)
        hit = self._lines.get(key)
        if hit is not None and hit[0] == sig:
            return hit[1]
        cursor_style = self.get_component_rich_style("queue-table--cursor") if cursor else None
        strip = render_row(cells, self.rows.columns.placed, palette, self.rich_style, width, cursor_style)
        self.row_renders += 1
        self._lines.set(key, (sig, strip))
        return strip

    def _refresh_rows(self, *indexes: int) -> None:
        top, height = int(self.scroll_y), self.scrollable_content_region.height
        for index in indexes:
            y = index - top + 1
            if 1 <= y < height:
                self.refresh(Region(0, y, self.size.width, 1))

    def _refresh_key(self, key: str) -> None:
        index = self.rows.order.index_of(key)
        if index is not None:
            self._refresh_rows(index)

    def _visible(self) -> list[str]:
        top = int(self.scroll_y)
        return self.rows.order.keys(top, top + max(0, self.scrollable_content_region.height - 1))

    def _fit_columns(self) -> None:
        """The columns placed again for the width when they would sit differently."""
        columns = self.rows.columns
        if self._width <= 0:
            return  # no size yet (a queue painted while mounting): placed when first drawn
        self.rows.columns_dirty = False
        if columns.changed(self._width):
            columns.place(self._width)
            self._version += 1
            self._lines.clear()
            self.refresh()

    def notify_style_update(self) -> None:
        """A new theme, or focus moving in or out (the cursor's colours): draw everything again."""
        super().notify_style_update()
        self._palette = None
        self._version += 1
        self._lines.clear()
        self._header = None

    def on_resize(self, event: events.Resize) -> None:
        # Only when the columns sit differently: the first frame's resize would otherwise draw
        # every row on screen twice before the queue is painted.
        self._fit_columns()
        self.virtual_size = Size(self._width, len(self.rows.order) + 1)
        self._scroll_to_cursor()

    # -- the cursor ------------------------------------------------------------------------
    def _set_cursor(self, key: str | None, scroll: bool = True) -> None:
        old = self._cursor
        if key != old:
            self._cursor = key
            for k in (old, key):
                if k is not None:
                    self._lines.discard(k)
                    self._refresh_key(k)
            self.post_message(self.CursorMoved(self, key))
        if scroll:
            self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        index = self.rows.order.index_of(self._cursor) if self._cursor is not None else None
        rows = self.scrollable_content_region.height - 1
        if index is None or rows <= 0:
            return
        top = int(self.scroll_y)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + rows:
            self.scroll_to(y=index - rows + 1, animate=False, immediate=True)

    def cursor_to(self, key: str) -> bool:
        """Put the cursor on `key`'s row; False when the ticket is not shown."""
        if key not in self.rows.order:
            return False
        self._set_cursor(key)
        return True

    def action_select(self) -> None:
        if self._cursor is not None:
            self.post_message(self.TicketSelected(self, self._cursor))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on its row; a click on the cursor's row opens the ticket."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = int(self.scroll_y) + offset.y - 1
        if index >= len(self.rows.order):
            return
        key = self.rows.order.key_at(index)
        if key == self._cursor:
            self.post_message(self.TicketSelected(self, key))
        else:
            self._set_cursor(key)

    # -- updates ---------------------------------------------------------------------------
    def clear(self) -> None:
        """No rows (another queue is coming)."""
        self.rows.clear()
        self._lines.clear()
        self._set_cursor(None, scroll=False)
        self.virtual_size = Size(self._width, 1)
        self.refresh()

    def sync(self, tickets: dict[str, Ticket], diff: Diff | None, now: datetime) -> None:
        """Bring the rows in line with `tickets` (and the filter), touching only what changed;
        the cursor stays on its ticket, or where it was when its ticket went."""
        order = self.rows.order
        fresh = not len(order)
        keep_index = self.cursor_row
        self.palette  # noqa: B018 - the marks of the theme, before any countdown is written
        result = self.rows.sync(tickets, diff, now)
        if result is None:
            return
        gone, new = result
        for k in gone:
            self._lines.discard(k)
        self._fit_columns()
        self.virtual_size = Size(self._width, len(order) + 1)
        if gone or new:
            self.refresh()  # rows shifted; the lines of unchanged rows are still drawn
        key = self._cursor
        if fresh or key is None:
            key = order.key_at(0) if len(order) else None  # a fresh table starts on its most urgent ticket
        elif key not in order:
            key = order.key_at(min(keep_index, len(order) - 1)) if len(order) else None
        self._set_cursor(key)

    def set_ticket(self, t: Ticket, now: datetime) -> None:
        """Replace one ticket (an optimistic or confirmed write) and redraw its row."""
        self.rows.set_ticket(t, now)
        self._scroll_to_cursor()

    def set_marked(self, keys: set[str]) -> None:
        self.rows.set_marked(keys)

    def mark_seen(self, key: str) -> None:
        self.rows.mark_seen(key)

    def set_closing(self, states: dict[str, ClosingState]) -> None:
        """New closing states: redraw the rows whose Next cell reads differently."""
        self.rows.set_closing(states)
        if self.rows.columns_dirty:
            self._fit_columns()

    def resort(self, now: datetime) -> None:
        """Every row placed again (another sort); the cursor stays on its ticket."""
        if len(self.rows.order):
            self.rows.resort(now)
            self.refresh()
            self._scroll_to_cursor()

    def reorder(self, keys: list[str], now: datetime) -> bool:
        """Put tickets that changed colour stage back in their place; True when any row moved."""
        moved = self.rows.reorder(keys, now)
        if moved:
            self._scroll_to_cursor()
        return moved

    def tick(self, now: datetime) -> int:
        """Bring the countdowns and ages on screen to `now`; returns how many rows read differently.

        Rows off screen catch up when they are drawn. A countdown shows seconds only within ten
        minutes of its breach, so on most seconds most rows need nothing.
        """
        self.rows.now = now
        before = self._changes
        for key in self._visible():
            self.rows.time(key)
        if self.rows.columns_dirty:
            self._fit_columns()
        return self._changes - before

    def refilter(self, needle: str, now: datetime) -> None:
        self.rows.needle = needle
        self.sync(self.tickets, Diff(), now)
