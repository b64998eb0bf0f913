"""The team view (`T`), for the supervisor: who holds what, with bars.

Per assignee: tickets held, breached, under 30 min, and the oldest untouched (longest since its
last update); then the tickets nobody holds, by age. `enter` on a row lists those tickets; `A`
on one reassigns it with the picker (which asks before taking a colleague's ticket). The figures
come from one search of the desk's open tickets, counted with the rows' own stage function.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from queue_tui.core.glance import Holding, bar, team_load, ticket_stage, unassigned_by_age
from queue_tui.core.models import Ticket
from queue_tui.core.sla import Stage, next_clock, sla_text
from queue_tui.core.urgency import age_text
from queue_tui.service.errors import JiraError
from queue_tui.ui.access import queue_app
from queue_tui.ui.commands import bindings
from queue_tui.ui.flows import assign
from queue_tui.ui.messages import TicketChanged
from queue_tui.ui.widgets.footer import KeyLine
from queue_tui.ui.widgets.notices import NoticeLine

BAR = 24


def _span(d: timedelta | None) -> str:
    if d is None:
        return "—"
    mins = int(d.total_seconds() // 60)
    return f"{mins}m" if mins < 60 else (f"{mins // 60}h" if mins < 1440 else f"{mins // 1440}d")


class TeamScreen(Screen[None]):
    COMMAND_SCOPE: ClassVar[str] = "team"
    BINDINGS = bindings("team")
    DEFAULT_CSS = """
    TeamScreen #team { height: 1fr; }
    TeamScreen #held { height: 1fr; border-top: solid $accent; }
    TeamScreen #team-head, TeamScreen #held-head { height: 1; }
    """

    def __init__(self, seed: dict[str, Ticket], jql: str) -> None:
        super().__init__()
        self.tickets = dict(seed)
        self.jql = jql
        self.rows: list[tuple[str, list[str]]] = []  # (label, keys) per row of the team table
        self.holdings: list[Holding] = []
        self.bar_width = BAR

    def compose(self) -> ComposeResult:
        yield Static(Text(" Team ", style="bold reverse"), id="team-head")
        yield DataTable(id="team", cursor_type="row")
        yield Static("", id="held-head")
        yield DataTable(id="held", cursor_type="row")
        yield NoticeLine(queue_app(self).notices, id="notices")
        yield KeyLine()

    def now(self) -> datetime:
        return queue_app(self).clock()

    def on_mount(self) -> None:
        team = self.query_one("#team", DataTable)
        self.bar_width = max(6, min(BAR, self.app.size.width - 70))
        for col, width in (("Who", 22), ("Held", self.bar_width + 5), ("Breached", 10), ("<30 min", 7), ("Untouched", 9)):
            team.add_column(col, key=col, width=width)
        held = self.query_one("#held", DataTable)
        for col, width in (("SLA", 10), ("Key", 9), ("Assignee", 16), ("Age", 5), ("Summary", 80)):
            held.add_column(col, key=col, width=width)
        self.show()
        team.focus()
        self.action_reload()

    @work(exclusive=True, group="team", exit_on_error=False, description="team view")
    async def action_reload(self) -> None:
        try:
            found = await queue_app(self).services.gateway.search_tickets(self.jql)
        except JiraError as exc:
            self.notify(f"Could not read the desk's open tickets: {exc.short()}", severity="error", markup=False)
            return
        self.tickets = {t.key: t for t in found}
        self.show()

    def show(self) -> None:
        now = self.now()
        tickets = list(self.tickets.values())
        self.holdings = [h for h in team_load(tickets, now) if h.person is not None]
        ages = unassigned_by_age(tickets, now)
        top = max([h.held for h in self.holdings] + [len(k) for _, k in ages] + [1])
        team = self.query_one("#team", DataTable)
        keep = team.cursor_row
        team.clear()
        self.rows = []
        for h in self.holdings:
            assert h.person is not None
            self.rows.append((h.person.name, h.keys))
            team.add_row(Text(h.person.name, style="bold"),
                         Text.assemble((bar(h.held, top, self.bar_width), "bold"), f" {h.held}"),
                         Text.assemble(("!" * min(h.breached, 5), "bold red"), f" {h.breached}" if h.breached else " 0"),
                         Text(str(h.under_30m), style="bold" if h.under_30m else "dim"),
                         Text(_span(h.untouched_for(now))))
        for label, keys in ages:
            self.rows.append((f"unassigned, {label}", keys))
            team.add_row(Text(f"nobody · {label}", style="bold yellow" if keys else "dim"),
                         Text.assemble((bar(len(keys), top, self.bar_width), "yellow"), f" {len(keys)}"),
                         Text(str(sum(ticket_stage(self.tickets[k], now) == Stage.BREACHED for k in keys))),
                         Text(str(sum(ticket_stage(self.tickets[k], now) == Stage.UNDER_30M for k in keys))),
                         Text(""))
        if self.rows:
            team.move_cursor(row=min(keep, len(self.rows) - 1), animate=False)
        total = len([t for t in tickets if t.status_category != "done"])
        self.query_one("#team-head", Static).update(Text.assemble(
            (" Team ", "bold reverse"), f"  {total} open tickets, {len(self.holdings)} people holding some"))
        self.show_held()

    def selected_keys(self) -> tuple[str, list[str]]:
        team = self.query_one("#team", DataTable)
        if not self.rows:
            return "", []
        return self.rows[min(team.cursor_row, len(self.rows) - 1)]

    def show_held(self) -> None:
        label, keys = self.selected_keys()
        now = self.now()
        held = self.query_one("#held", DataTable)
        held.clear()
        for k in keys:
            t = self.tickets[k]
            held.add_row(Text(sla_text(next_clock(t, now), now), justify="right"), Text(k, style="bold"),
                         Text(t.assignee.name if t.assignee else "—"), Text(age_text(t.created, now)),
                         Text(" ".join(t.summary.split())), key=k)
        self.query_one("#held-head", Static).update(Text.assemble((f" {label} ", "bold reverse"), f"  {len(keys)} tickets"))

    @on(DataTable.RowHighlighted, "#team")
    def _team_row(self, event: DataTable.RowHighlighted) -> None:
        self.show_held()

    @on(DataTable.RowSelected, "#team")
    def _team_selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#held", DataTable).focus()

    def current_ticket(self) -> Ticket | None:
        held = self.query_one("#held", DataTable)
        _, keys = self.selected_keys()
        if not keys:
            return None
        return self.tickets.get(keys[min(held.cursor_row, len(keys) - 1)])

    def action_reassign(self) -> None:
        t = self.current_ticket()
        if t is None:
            self.notify("Choose a row with tickets first (enter)", timeout=3)
            return

        assign.assign_to_someone(queue_app(self), t)

    def on_ticket_changed(self, message: TicketChanged) -> None:
        """A reassignment from here (or any write) reached Jira: the team's rows show it."""
        if message.settled and message.ticket.key in self.tickets:
            self.tickets[message.ticket.key] = message.ticket
            self.show()

    def action_back(self) -> None:
        held = self.query_one("#held", DataTable)
        if held.has_focus:
            self.query_one("#team", DataTable).focus()
        else:
            self.app.pop_screen()
