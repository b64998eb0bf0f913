"""The stale banner above the queue: since when the data on screen is old, why, and when the
next try is."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from queue_tui.core.alerts import stale_text
from queue_tui.service.errors import JiraError


class StaleBanner(Static):
    def on_mount(self) -> None:
        self.display = False

    def show(self, err: JiraError, since: datetime, retry_at: datetime | None) -> None:
        self.update(Text(stale_text(since, f"{err.kind}: {err.short()}", retry_at), style="bold"))
        self.display = True

    def hide(self) -> None:
        self.display = False

    @property
    def shown(self) -> bool:
        return bool(self.display)
