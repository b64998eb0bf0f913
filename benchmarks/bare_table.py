"""The baseline for cold start: a bare Textual app painting a DataTable of N rows, then exiting.

Prints the moment (time.time()) the table was painted: the benchmark counts from the process's
start to that moment, not to the end of its exit.
"""

from __future__ import annotations

import sys
import time

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
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        print(time.time(), flush=True)
        self.exit()


if __name__ == "__main__":
    Bare(int(sys.argv[1])).run(headless=True, size=(200, 50))
