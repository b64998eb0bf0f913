"""Customer history (`h` in the detail): the reporter's and the organization's recent tickets,
open and closed, with status and age, fetched when asked for; `enter` reads one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from queue_tui.core.models import Ticket
from queue_tui.core.urgency import age_text
from queue_tui.service.errors import JiraError
from queue_tui.ui.access import queue_app
from queue_tui.ui.commands import bindings
from queue_tui.ui.widgets.footer import KeyLine
from queue_tui.ui.widgets.notices import NoticeLine


class HistoryScreen(Screen[None]):
    COMMAND_SCOPE: ClassVar[str] = "history"
    BINDINGS = bindings("history")

    def __init__(self, ticket: Ticket) -> None:
        super().__init__()
        self.ticket = ticket
        self.found: list[Ticket] = []

    def compose(self) -> ComposeResult:
        t = self.ticket
        who = " and ".join(x for x in (t.reporter.name if t.reporter else "", t.organization_name) if x) or "nobody named"
        yield Static(Text.assemble((f" {t.key} ", "bold reverse"), "  recent tickets of ", (who, "bold")), id="history-head")
        yield Static("Searching…", id="history-status")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield NoticeLine(queue_app(self).notices, id="notices")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for col in ("Key", "State", "Status", "Age", "Reporter", "Summary"):
            table.add_column(col, key=col.lower())
        table.focus()
        self.load()

    @work(exclusive=True, group="history", exit_on_error=False, description="customer history")
    async def load(self) -> None:
        from queue_tui.service.history import customer_history

        status = self.query_one("#history-status", Static)
        try:
            self.found = await customer_history(queue_app(self).services.gateway, self.ticket)
        except JiraError as exc:
            status.update(Text(f"Could not search: {exc.short()}", style="bold red"))
            return
        now = queue_app(self).clock()
        table = self.query_one(DataTable)
        table.clear()
        for t in self.found:
            closed = t.status_category == "done"
            table.add_row(Text(t.key, style="bold"), Text("closed" if closed else "open", style="dim" if closed else "bold"),
                          Text(t.status + (f" ({t.resolution})" if t.resolution else "")), Text(age_text(t.created, now)),
                          Text(t.reporter.name if t.reporter else "—"), Text(" ".join(t.summary.split())), key=t.key)
        opened = sum(t.status_category != "done" for t in self.found)
        status.update(Text(f"{len(self.found)} recent tickets, {opened} open" if self.found else
                           "No other ticket from this reporter or organization"))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.found or table.cursor_row >= len(self.found):
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        hit = next((t for t in self.found if t.key == key), None)
        if hit is not None:
            from queue_tui.ui.screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(hit))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()
