"""The audit log screen (`L`): every write this app made to Jira, newest first, with its outcome."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from queue_tui.ui.commands import bindings


class AuditScreen(Screen[None]):
    COMMAND_SCOPE: ClassVar[str] = "audit"
    BINDINGS = bindings("audit")

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        yield Static(Text(f" Audit log: {len(self.entries)} writes ", style="bold reverse"))
        yield DataTable(id="audit", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for col in ("When", "Ticket", "Action", "What", "Outcome"):
            table.add_column(col)
        for e in reversed(self.entries):
            ok = bool(e.get("ok"))
            table.add_row(Text(str(e.get("at", ""))), Text(str(e.get("key", ""))), Text(str(e.get("action", ""))),
                          Text(str(e.get("detail", ""))[:80]),
                          Text("ok" if ok else f"FAILED: {e.get('note', '')}"[:80], style="green" if ok else "bold red"))
        table.focus()
