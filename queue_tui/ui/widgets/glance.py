"""The header's glance line: tickets per SLA stage and unassigned in the current tab, and the
breach horizon (how many countdowns reach zero in each ten-minute slot of the next two hours).

It fits its width: full words where there is room, short labels at 80 columns, never cut.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from queue_tui.core.glance import HORIZON_SLOTS, StageCounts, bar_row
from queue_tui.ui.queue_colours import Palette

# Each count with the table's mark and colour for its stage, so the line reads as the rows do.
_PARTS = (("breached", "breached", "breached", "breached"), ("under_30m", "under-30m", "under 30 min", "<30m"),
          ("under_1h", "under-1h", "under 1 h", "<1h"), ("unassigned", "", "unassigned", "unassigned"))


class GlanceBar(Widget):
    DEFAULT_CSS = "GlanceBar { height: 1; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.counts: StageCounts | None = None
        self.horizon: list[int] = [0] * HORIZON_SLOTS
        self.shown: int | None = None  # rows the filter leaves, when a filter is on
        self.palette: Palette | None = None

    def show(self, counts: StageCounts, horizon: list[int], shown: int | None, palette: Palette) -> None:
        if (counts, horizon, shown, palette) != (self.counts, self.horizon, self.shown, self.palette):
            self.counts, self.horizon, self.shown, self.palette = counts, horizon, shown, palette
            self.refresh()

    @property
    def content(self) -> Text:
        """The line as it reads with room enough."""
        return glance_text(self.counts, self.horizon, self.shown, 10_000, self.palette)

    def render(self) -> Text:
        return glance_text(self.counts, self.horizon, self.shown, self.size.width, self.palette)


def glance_text(counts: StageCounts | None, horizon: list[int], shown: int | None, width: int,
                palette: Palette | None) -> Text:
    """The line at `width` columns: the longest form that fits."""
    if counts is None or palette is None:
        return Text("")
    for long in (True, False):
        text = Text(no_wrap=True, overflow="crop")
        for attr, stage, label, short in _PARTS:
            n = getattr(counts, attr)
            mark = palette.marks.get(stage, "") if stage else "○"
            style = palette.style(f"sla.{stage}") if stage else palette.style("attention")
            text.append(f" {mark}{n} ", style=style if n else "dim")
            text.append(label if long else short, style="" if n else "dim")
            text.append(" ")
        if shown is not None:
            text.append(f" {shown} shown", style="bold yellow")
        soon = sum(horizon)
        text.append("  next 2 h " if long else "  2h ", style="dim")
        text.append(bar_row(horizon), style=palette.style("sla.under-30m") if soon else "dim")
        text.append(f" {soon}" if soon else "", style="bold")
        if text.cell_len <= width or not long:
            return text
    return text
