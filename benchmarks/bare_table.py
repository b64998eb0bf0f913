"""The baseline for cold start: a bare Textual app painting a DataTable of N rows, then exiting."""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable


class Bare(App[None]):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("SLA", "Key", "Organization", "Summary", "Status", "Assignee")
        for k in range(self.n):
            table.add_row("1h 00m 00s", f"SS-{k}", "Helios Home Power", f"Synthetic request {k}", "Waiting", "—")
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    Bare(int(sys.argv[1])).run(headless=True, size=(200, 50))
