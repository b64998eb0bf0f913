"""The notice line: the app's notifications on a line of their own above the footer.

Textual's toasts float over the bottom right of the screen, where they covered the queue's rows,
the filter input and the detail's SLA table for seconds at a time. Screens that show a notice
line hide the toasts (app.tcss); the line takes its own row, so it never covers the cursor row or
an input. The newest notice shows first, with how many others are still current.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual.app import App
from textual.timer import Timer
from textual.widget import Widget

from queue_tui.core.shorten import shorten

_STYLES = {"error": "bold reverse red", "warning": "bold reverse yellow", "information": "bold reverse"}


@dataclass(frozen=True)
class Notice:
    message: str
    title: str
    severity: str
    until: float  # time.monotonic(), as Textual's own notifications expire


class Notices:
    """The notifications still current, newest first."""

    def __init__(self) -> None:
        self.items: list[Notice] = []

    def add(self, message: str, title: str, severity: str, timeout: float) -> None:
        self.items.insert(0, Notice(" ".join(message.split()), title, severity, time.monotonic() + timeout))
        del self.items[20:]

    def current(self) -> list[Notice]:
        now = time.monotonic()
        self.items = [n for n in self.items if n.until > now]
        return self.items


class NoticeLine(Widget):
    DEFAULT_CSS = "NoticeLine { height: 1; width: 1fr; }"

    def __init__(self, notices: Notices, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.notices = notices
        self._expiry: Timer | None = None

    def on_mount(self) -> None:
        self.update_state()

    def update_state(self) -> None:
        """Shown while a notice is current (the table gets the line back after), redrawn at each expiry."""
        current = self.notices.current()
        if self._expiry is not None:
            self._expiry.stop()
            self._expiry = None
        self.display = bool(current)
        if current:
            self._expiry = self.set_timer(max(0.1, min(n.until for n in current) - time.monotonic()), self.update_state)
        self.refresh()

    def render(self) -> Text:
        current = self.notices.current()
        if not current:
            return Text("")
        top = current[0]
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {top.title or top.severity.capitalize()} ", style=_STYLES.get(top.severity, "bold reverse"))
        more = Text(f"  +{len(current) - 1} more", style="dim") if len(current) > 1 else Text()
        # Cut at a word, ending in "…": a notice cut mid-word reads as if it said something else.
        room = (self.size.width or 10_000) - line.cell_len - more.cell_len - 1
        line.append(" " + shorten(top.message, max(1, room)))
        line.append_text(more)
        return line


def show_notice(app: App[object], message: str, title: str, severity: str, timeout: float) -> None:
    """Add a notice to the app's list and redraw every notice line on the screen stack."""
    notices: Notices | None = getattr(app, "notices", None)
    if notices is None:
        return
    notices.add(message, title, severity, timeout)
    for screen in app.screen_stack:
        for line in screen.query(NoticeLine):
            line.update_state()
