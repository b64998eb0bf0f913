"""The audit log screen (`L`): every write this app made to Jira, newest first, with its outcome.

Each line says what the agent did in words, at local time; the highlighted line is shown whole
below the table (a comment as it was posted, why a write failed). The app's own bookkeeping
writes (SOP step progress, the claim on a send) are in the log like every write, but kept out of
the way: `b` shows them, dimmed, between the agent's own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from queue_tui.core.shorten import shorten
from queue_tui.ui.audit_words import AuditLine, audit_line
from queue_tui.ui.commands import bindings

WHEN, KEY, OUTCOME = 17, 8, 7  # "12 Nov 2026 06:02", a ticket key, "Outcome"


class AuditScreen(Screen[None]):
    DEFAULT_CSS = """
    AuditScreen #audit { height: 1fr; }
    AuditScreen #audit-detail { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    /* News from the queue waits on the queue's notice line: a toast would cover the line shown whole. */
    AuditScreen Toast { visibility: hidden; }
    """
    COMMAND_SCOPE: ClassVar[str] = "audit"
    BINDINGS = bindings("audit")

    def __init__(self, entries: list[dict[str, Any]], now: datetime) -> None:
        super().__init__()
        self.lines = [audit_line(e, now) for e in reversed(entries)]
        self.show_bookkeeping = False
        self.shown: list[AuditLine] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="audit-head")
        yield DataTable(id="audit", cursor_type="row")
        yield Static("", id="audit-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self.fill()

    def action_toggle_bookkeeping(self) -> None:
        self.show_bookkeeping = not self.show_bookkeeping
        self.fill()

    def fill(self) -> None:
        """The table at this width: the What column takes what the others leave, shortened at a word."""
        own = sum(not line.bookkeeping for line in self.lines)
        kept = len(self.lines) - own
        head = Text(f" Audit log: {own} write{'' if own == 1 else 's'} ", style="bold reverse")
        if kept:
            head.append(f"  {kept} app bookkeeping writes {'shown dimmed' if self.show_bookkeeping else 'hidden'}"
                        f" (b {'hides' if self.show_bookkeeping else 'shows'} them)", style="dim")
        self.query_one("#audit-head", Static).update(head)
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        when = max(len(line.when) for line in self.lines) if self.lines else 9
        # Each column has a cell of padding either side; two more for the scrollbar.
        what = max(12, self.size.width - (min(when, WHEN) + 2) - (KEY + 2) - (OUTCOME + 2) - 2)
        table.add_column("When", width=min(when, WHEN))
        table.add_column("Ticket", width=KEY)
        table.add_column("What", width=what)
        table.add_column("Outcome", width=OUTCOME)
        self.shown = [line for line in self.lines if self.show_bookkeeping or not line.bookkeeping]
        for line in self.shown:
            style = "dim italic" if line.bookkeeping else ""
            table.add_row(Text(line.when, style=style), Text(line.key, style=style),
                          Text(shorten(line.what, what), style=style),
                          Text("ok", style="green") if line.ok else Text("FAILED", style="bold red"))
        if self.shown:
            table.move_cursor(row=min(max(row, 0), len(self.shown) - 1))
        self.show_detail()

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The highlighted write whole: what it did, when exactly, and why it failed."""
        table = self.query_one(DataTable)
        detail = self.query_one("#audit-detail", Static)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            detail.update(Text("Nothing written yet.", style="dim"))
            return
        line = self.shown[table.cursor_row]
        out = Text()
        out.append(f"{line.key}  ", style="bold")
        out.append(line.what)
        out.append(f"\n{line.when} ({line.at})", style="dim")
        if not line.ok:
            out.append(f"\nFAILED: {line.note}", style="bold red")
        detail.update(out)
