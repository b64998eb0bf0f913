"""What the queue's header says: the top bar's pieces (desk, agent, freshness, sort, filter), and
the line that says when the filter leaves no ticket in the tab."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from queue_tui.ui.widgets.topbar import TopBar


def show_header(bar: TopBar, *, desk: str, me: str, fetched: datetime | None, from_cache: bool, connecting: bool,
                sort: str, needle: str) -> None:
    """Each piece set by name, so a piece can change without rebuilding the rest."""
    # The least important piece: it goes whole when the line is short of room ("q" would say nothing).
    bar.set("app", Text(" queue-tui ", style="bold reverse"), 10)
    bar.set("desk", Text(desk, style="bold"), 40)
    bar.set("me", me or None, 20)
    if fetched and from_cache:
        hm = fetched.astimezone().strftime("%H:%M")
        bar.set("state", Text(f"from {hm}, refreshing", style="bold yellow"), 90,
                short=Text(f"{hm}, refreshing", style="bold yellow"))
    elif fetched:
        hms = fetched.astimezone().strftime("%H:%M:%S")
        bar.set("state", Text(f"updated {hms}", style="dim"), 60, short=Text(hms, style="dim"))
    elif connecting:
        bar.set("state", Text("connecting…", style="bold"), 90)
    bar.set("sort", Text(f"sort: {sort}", style="dim"), 30)
    bar.set("filter", Text(f"filter: {needle}", style="bold yellow") if needle else None, 100,
            short=Text(f"/{needle}", style="bold yellow"))


class NoMatch(Static):
    """Shown only while the filter leaves no ticket of the tab."""

    def on_mount(self) -> None:
        self.display = False

    def show(self, needle: str, rows: int) -> None:
        self.display = bool(needle) and not rows
        if self.display:
            self.update(Text.assemble("No ticket in this tab matches ", (needle, "bold"), "  (esc clears the filter)"))
