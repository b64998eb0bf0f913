"""The ticket detail screen: everything an agent reads before acting, internal notes marked."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from queue_tui.core.models import SlaClock, Ticket
from queue_tui.core.sla import format_remaining, remaining
from queue_tui.service.errors import JiraError
from queue_tui.ui.access import queue_app
from queue_tui.ui.commands import bindings
from queue_tui.ui.flows import assign, browser, close, cs_ticket, playbook, reply, request_type
from queue_tui.ui.messages import TicketChanged
from queue_tui.ui.widgets.footer import KeyLine
from queue_tui.ui.widgets.notices import NoticeLine

if TYPE_CHECKING:
    from queue_tui.ui.screens.queue import QueueScreen


def _local(dt: datetime) -> str:
    return dt.astimezone().strftime("%a %d %b %H:%M")


def render_ticket(t: Ticket, slas: list[SlaClock], now: datetime) -> RenderableType:
    """The detail as rich renderables built from Text: ticket text is never read as markup."""
    head = Text()
    head.append(f"{t.key}  ", style="bold magenta")
    head.append(t.summary, style="bold")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()

    def row(label: str, value: str) -> None:
        facts.add_row(label, Text(value or "—"))

    row("Status", t.status + ("" if t.status_category == "done" else f"  (waiting on {t.waiting_on})"))
    row("Priority", t.priority)
    row("Request type", t.request_type.name if t.request_type else "")
    row("Organization", t.organization_name)
    row("Reporter", f"{t.reporter.name} <{t.reporter.email}>" if t.reporter else "")
    row("Assignee", t.assignee.name if t.assignee else "unassigned")
    row("Participants", ", ".join(p.name for p in t.participants))
    row("Watchers", ", ".join(p.name for p in t.watchers))
    row("Channel", ", ".join(t.channel))
    row("Labels", ", ".join(t.labels))
    row("Created", _local(t.created))
    row("Attachments", ", ".join(a.filename for a in t.attachments))
    parts: list[RenderableType] = [head, Text(""), facts, Text("")]

    sla_table = Table(title="SLA cycles", title_justify="left", expand=False, show_edge=False)
    for col in ("SLA", "State", "Remaining", "Goal"):
        sla_table.add_column(col)
    for c in slas:
        if c.completed:  # a finished cycle has no time left to count, only whether it met its goal
            state, left = ("completed, breached" if c.breached else "completed, met"), "—"
        else:
            left = format_remaining(remaining(c, now))
            state = "paused" if c.paused else ("breached" if remaining(c, now).total_seconds() < 0 else "running")
        sla_table.add_row(Text(c.name), Text(state), Text(left), Text(format_remaining(_goal(c))))
    if not slas:
        sla_table.add_row(Text("(no JSM SLA on this ticket)"), Text(""), Text(""), Text(""))
    parts += [sla_table, Text("")]

    if t.links:
        parts.append(Text("Linked tickets", style="bold underline"))
        for lk in t.links:
            parts.append(Text(f"  {lk.relation} {lk.key} [{lk.status}] {lk.summary}"))
        parts.append(Text(""))
    parts.append(Text("Description", style="bold underline"))
    parts.append(Text(t.description or "(empty)"))
    parts.append(Text(""))
    parts.append(Text(f"Comments ({len(t.comments)})", style="bold underline"))
    for c in t.comments:
        tag = Text(" PUBLIC ", style="bold white on dark_green") if c.public else Text(" INTERNAL ", style="bold black on yellow")
        line = Text.assemble(tag, " ", (c.author.name if c.author else "?", "bold"), "  ", (_local(c.created), "dim"))
        parts.append(line)
        parts.append(Text(c.body, style="" if c.public else "italic"))
        parts.append(Text(""))
    return Group(*parts)


def _goal(c: SlaClock) -> object:
    from datetime import timedelta

    return timedelta(milliseconds=c.goal_ms)


class DetailScreen(Screen[None]):
    COMMAND_SCOPE: ClassVar[str] = "detail"
    BINDINGS = bindings("detail")

    def __init__(self, ticket: Ticket) -> None:
        super().__init__()
        self.ticket = ticket
        self.slas: list[SlaClock] = list(ticket.slas)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="detail-body")
        yield NoticeLine(queue_app(self).notices, id="notices")
        yield KeyLine()

    def on_mount(self) -> None:
        self.sub_title = self.ticket.key
        self.show()
        self.action_reload()

    def show(self) -> None:
        self.query_one("#detail-body", Static).update(render_ticket(self.ticket, self.slas, queue_app(self).clock()))

    @work(exclusive=True, group="detail", exit_on_error=False, description="action reload")
    async def action_reload(self) -> None:
        gw = queue_app(self).services.gateway
        try:
            self.ticket = await gw.ticket_detail(self.ticket.key)
            try:
                self.slas = await gw.sla(self.ticket.key)
            except JiraError:
                self.slas = list(self.ticket.slas)
        except JiraError as exc:
            self.notify(f"Could not load {self.ticket.key}: {exc.short()}", severity="error", markup=False)
            return
        self.show()

    def on_ticket_changed(self, message: TicketChanged) -> None:
        """A flow wrote to this ticket (an assignment from here): read it again once Jira has it."""
        if message.settled and message.ticket.key == self.ticket.key:
            self.action_reload()

    def action_assign_me(self) -> None:
        assign.assign_to_me(queue_app(self), self.ticket)

    def action_assign_other(self) -> None:
        assign.assign_to_someone(queue_app(self), self.ticket)

    def action_create_cs(self) -> None:
        cs_ticket.create_cs(queue_app(self), self.ticket)

    def action_open_browser(self) -> None:
        browser.open_in_browser(queue_app(self), self.ticket)

    # Every ticket action works where the agent reads the ticket.
    def action_reply(self) -> None:
        reply.reply(queue_app(self), self.ticket)

    def action_request_type(self) -> None:
        request_type.set_request_type(queue_app(self), self.ticket)

    def action_non_platform(self) -> None:
        playbook.non_platform(queue_app(self), self.ticket)

    def _queue(self) -> QueueScreen | None:
        from queue_tui.ui.screens.queue import QueueScreen

        return next((s for s in reversed(self.app.screen_stack) if isinstance(s, QueueScreen)), None)

    def action_close_ticket(self) -> None:
        queue = self._queue()
        state = queue.table.closing.get(self.ticket.key) if queue is not None else None
        close.close(queue_app(self), self.ticket, state.reason if state and state.ready else "")

    def action_sop_panel(self) -> None:
        """Back to the queue with this ticket's SOP panel open (the panel lives beside the queue)."""
        queue = self._queue()
        if queue is None:
            return
        if not queue.table.cursor_to(self.ticket.key):
            self.notify(f"{self.ticket.key} is not in the tab on screen; its SOP panel opens from a tab that lists it",
                        severity="warning", timeout=6, markup=False)
            return
        self.app.pop_screen()
        queue.show_taken(self.ticket)

    def action_history(self) -> None:
        from queue_tui.ui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.ticket))
