"""Drawing one line of the queue table: cells laid out in their columns, clipped with an ellipsis.

The cursor row takes the cursor's colours everywhere but in the countdown columns, which keep
their stage colours so the most important cell reads the same on every row.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from queue_tui.ui.queue_colours import Palette
from queue_tui.ui.widgets.queue_cells import EMPTY, Cell
from queue_tui.ui.widgets.table_layout import Placed


def clip(text: str, width: int, justify: str = "left") -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    size = cell_len(text)
    if size > width:
        return set_cell_size(text, width - 1) + "…"
    pad = " " * (width - size)
    return pad + text if justify == "right" else text + pad


def is_countdown(column_id: str) -> bool:
    return column_id == "sla" or column_id.startswith("goal:")


def render_row(cells: Mapping[str, Cell], columns: tuple[Placed, ...], palette: Palette, base: Style,
               width: int, cursor: Style | None = None) -> Strip:
    """One ticket's line. `base` is the table's own style; `cursor` the cursor's, on its row."""
    row_style = base + cursor if cursor is not None else base
    segments: list[Segment] = []
    x = 0
    for col in columns:
        if col.x > x:
            segments.append(Segment(" " * (col.x - x), row_style))
        cell = cells.get(col.id, EMPTY)
        keep_colours = cursor is None or is_countdown(col.id)
        under = base if keep_colours else row_style
        over = Style() if keep_colours or cursor is None else cursor
        style = under + palette.style(cell.role) + over
        if cell.lead:
            # A countdown's mark and time stay together at the right of a column wider than them,
            # the marks of all rows in one line.
            block = col.inner or col.width
            if col.width > block:
                segments.append(Segment(" " * (col.width - block), under + over))
            lead = cell.lead if cell_len(cell.lead) <= block else clip(cell.lead, block)
            rest = block - cell_len(lead)
            body = clip(cell.text, rest, "right") if col.justify == "right" else clip(" " + cell.text, rest)
            segments.append(Segment(lead, under + palette.style(cell.lead_role or cell.role) + over))
            if body:
                segments.append(Segment(body, style))
        else:
            segments.append(Segment(clip(cell.text, col.width, col.justify), style))
        x = col.x + col.width
    if width > x:
        segments.append(Segment(" " * (width - x), row_style))
    return Strip(segments, max(width, x)).crop(0, width)


def render_header(columns: tuple[Placed, ...], style: Style, width: int) -> Strip:
    segments: list[Segment] = []
    x = 0
    for col in columns:
        if col.x > x:
            segments.append(Segment(" " * (col.x - x), style))
        segments.append(Segment(clip(col.header, col.width, col.justify), style))
        x = col.x + col.width
    if width > x:
        segments.append(Segment(" " * (width - x), style))
    return Strip(segments, max(width, x)).crop(0, width)
