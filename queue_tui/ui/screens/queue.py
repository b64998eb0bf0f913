"""The queue screen: the live queue (`queue_view.py`) with the agent's keys and the SOP panel.

A key that acts on the selected ticket starts a flow (`ui/flows/`); the SOP panel docks on the
right and follows the cursor; filter, sort and queue tabs stay on this screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.timer import Timer
from textual.widgets import Input, Static, Tabs

from queue_tui.core.models import Ticket
from queue_tui.core.shorten import shorten_summary
from queue_tui.core.snapshot import Diff
from queue_tui.core.urgency import SORTS
from queue_tui.ui.commands import bindings
from queue_tui.ui.messages import PlaybookApplied, TicketChanged
from queue_tui.ui.screens.queue_marks import Marks
from queue_tui.ui.screens.queue_view import QueueView
from queue_tui.ui.widgets.filter_box import FilterBox
from queue_tui.ui.widgets.queue_table import QueueTable
from queue_tui.ui.widgets.queue_tabs import QueueTabs

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp
    from queue_tui.ui.widgets.playbook_panel import PlaybookPanel


def ticket_flow(name: str) -> Callable[[QueueApp, Ticket], object]:
    """The flow a queue command starts on the selected ticket (imported when first used: the
    first paint does not need them)."""
    from queue_tui.ui.flows import assign, browser, cs_ticket, detail, playbook, reply, request_type

    flows: dict[str, Callable[[QueueApp, Ticket], object]] = {
        "assign_me": assign.assign_to_me, "assign_other": assign.assign_to_someone, "create_cs": cs_ticket.create_cs,
        "request_type": request_type.set_request_type, "reply": reply.reply, "non_platform": playbook.non_platform,
        "open_browser": browser.open_in_browser, "detail": detail.open_detail,
    }
    return flows[name]


# Commands that act on every marked ticket when there are marks, and the bulk action each is.
BULK = {"assign_me": "assign_me", "assign_other": "assign_other", "close": "close", "request_type": "request_type",
        "non_platform": "non_platform"}


class QueueScreen(Marks, QueueView):
    COMMAND_SCOPE: ClassVar[str] = "queue"
    BINDINGS = bindings("queue")

    def __init__(self) -> None:
        super().__init__()
        self._panel_timer: Timer | None = None
        self.marked: set[str] = set()  # tickets marked for one action on all of them

    @property
    def panel(self) -> PlaybookPanel:
        """The SOP panel, mounted the first time it is asked for (first paint does not need it)."""
        from queue_tui.ui.widgets.playbook_panel import PlaybookPanel

        found = self.query(PlaybookPanel)
        if found:
            return found.first()
        panel = PlaybookPanel()
        panel.display = False
        self.mount(panel, after=self.table)
        return panel

    @property
    def panel_open(self) -> bool:
        found = self.query("#playbook-panel")  # by id: asking at start must not import the panel
        return bool(found) and bool(found.first().display)

    @property
    def filtering(self) -> bool:
        return self.query_one(FilterBox).shown

    def on_screen_resume(self) -> None:
        """Back from a dialog or the detail: the keys stay on the SOP panel when they were there
        (a value picked for a step), otherwise they go to the table."""
        focused = self.focused
        if focused is not None and self.panel_open and any(n.id == "playbook-panel" for n in focused.ancestors_with_self):
            return
        if not self.query_one(FilterBox).has_focus:
            self.table.focus()

    def polled(self, diff: Diff) -> None:
        if self.panel_open:
            self.panel.after_poll(set(diff.changed) | set(diff.added))

    @on(TicketChanged)
    def _panel_follows(self, message: TicketChanged) -> None:
        if message.settled and self.panel_open:
            self.panel.ticket_changed(message.ticket.key)

    def on_playbook_applied(self, message: PlaybookApplied) -> None:
        if message.ticket.key in self.table.tickets:
            self.table.set_ticket(message.ticket, self.now())
        if self.panel_open:
            self.panel.applied(message.ticket.key, message.result)

    # -- keys ------------------------------------------------------------------------------
    @on(QueueTable.CursorMoved)
    def _seen(self, event: QueueTable.CursorMoved) -> None:
        if event.key is not None:
            self.table.mark_seen(event.key)
            self.panel_follows()

    def panel_follows(self) -> None:
        """The SOP panel shows the ticket under the cursor (a moment after the cursor rests, so walking
        the queue stays quick); until it has caught up, the panel refuses to write."""
        if self.panel_open:
            if self._panel_timer is not None:
                self._panel_timer.stop()
            self._panel_timer = self.set_timer(0.4, lambda: self.panel.show_ticket(self.table.current_ticket()))
            self._panel_line()

    @on(QueueTable.TicketSelected)
    def _selected(self, event: QueueTable.TicketSelected) -> None:
        self.action_on_ticket("detail")

    def action_on_ticket(self, flow: str) -> None:
        """The commands that act on the selected ticket (on all marked ones, for those that can):
        `flow` names one of `ticket_flow`'s."""
        if self.marked and flow in BULK:
            from queue_tui.ui.flows.bulk import start

            start(self, BULK[flow])
            return
        t = self.table.current_ticket()
        if t is None:
            self.notify("No ticket selected", severity="warning")
            return
        if flow == "detail":
            self.table.mark_seen(t.key)
        elif flow == "close":
            from queue_tui.ui.flows import close

            state = self.table.closing.get(t.key)
            close.close(self.qapp, t, state.reason if state and state.ready else "")
            return
        ticket_flow(flow)(self.qapp, t)

    @on(Tabs.TabActivated)
    def _marks_stay_in_their_tab(self) -> None:
        self.action_clear_marks()

    def action_team_view(self) -> None:
        """Who holds what across the desk's open tickets (what the tabs polled shows at once)."""
        from queue_tui.ui.screens.team import TeamScreen

        seed: dict[str, Ticket] = {}
        for snap in (self.feed.poller.last.values() if self.feed.poller else ()):
            seed.update(snap.tickets)
        project = self.qapp.services.desk_project
        self.app.push_screen(TeamScreen(seed, f'project = "{project}" AND resolution = Unresolved ORDER BY created ASC'))

    def action_take_next(self) -> None:
        from queue_tui.ui.flows.take_next import take_next

        take_next(self)

    def show_taken(self, t: Ticket) -> None:
        """A ticket just taken: the cursor on it and its SOP panel open (or its detail, when this tab
        does not list it)."""
        if t.key not in self.table.tickets:
            from queue_tui.ui.flows.detail import open_detail

            open_detail(self.qapp, t)
            return
        self.table.cursor_to(t.key)
        if not self.panel_open:
            self.action_toggle_panel()
        else:
            self.panel.show_ticket(t)
            self.panel.focus_steps()

    def action_toggle_panel(self) -> None:
        panel = self.panel
        panel.display = not panel.display
        self._panel_line()
        if panel.display:
            self.call_after_refresh(panel.show_ticket, self.table.current_ticket())
            self.call_after_refresh(panel.focus_steps)  # up/down walk the steps, space ticks, esc back to the queue
        else:
            self.table.focus()

    async def action_panel(self, action: str) -> None:
        """`g`, `G`, `e` from the queue: the SOP panel's own action, when the panel is open."""
        if self.panel_open:
            await self.panel.run_action(action)
        elif action == "apply_all":
            self.notify("Open the SOP panel first (p)", timeout=3)

    def action_switch_focus(self) -> None:
        """With the SOP panel open, tab moves the keys between the queue and the panel."""
        if not self.panel_open:
            self.focus_next()
        elif self.table.has_focus:
            self.panel.focus_steps()
        else:
            self.panel_back()

    # -- narrow terminals: at 100 columns or fewer the SOP panel takes the whole width --------------
    NARROW = 100

    @property
    def narrow(self) -> bool:
        return self.size.width <= self.NARROW

    def on_resize(self) -> None:
        was = self.has_class("-narrow")
        self.set_class(self.narrow, "-narrow")
        self._panel_line()
        if self.panel_open and was != self.narrow:
            self.panel.render_plan()  # its header leaves out what the line above says when narrow
            if self.narrow and not self.panel.has_focus_within:
                # The panel now covers the queue: the keys go to it, so esc takes the agent back.
                self.panel.focus_steps()

    def _panel_line(self) -> None:
        """Above a full-width panel, the ticket in one line: key, countdown, organization, summary."""
        self.call_after_refresh(self.recount_tabs)  # beside the panel: narrower
        line = self.query_one("#panel-ticket", Static)
        t = self.table.current_ticket()
        show = self.panel_open and self.narrow and t is not None
        self.set_class(show, "-panel-wide")
        if show and t is not None:
            head = Text.assemble((f" {t.key} ", "bold reverse"), f" {self.table.sla_text_of(t.key)}  ",
                                 (t.organization_name or "—", "bold"), "  ", no_wrap=True, overflow="ellipsis", end="")
            head.append(shorten_summary(t.summary, max(8, self.size.width - head.cell_len - 1)))
            line.update(head)

    def panel_back(self) -> None:
        """esc in the SOP panel: the keys back to the queue; on a narrow terminal, where the panel
        took the queue's place, the panel closes too."""
        if self.narrow and self.panel_open:
            self.panel.display = False
            self._panel_line()
        self.table.focus()

    def action_refresh(self) -> None:
        if self.feed.poller is None:
            self.connect()
            return
        self.start_poll()

    # -- filter, sort, tabs ---------------------------------------------------------------------
    def action_ready_to_close(self) -> None:
        self.query_one(FilterBox).open("is:ready")
        self.table.focus()

    def action_filter(self) -> None:
        self.query_one(FilterBox).open()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.refilter(event.value.strip(), self.now())
        self.update_topbar()
        self.panel_follows()  # the panel never shows a ticket the filter took off the screen

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        if self.query_one(FilterBox).close():
            self.table.refilter("", self.now())
            self.table.focus()
            self.update_topbar()
            self.panel_follows()

    def action_cycle_sort(self) -> None:
        names = list(SORTS)
        self.table.sort_name = names[(names.index(self.table.sort_name) + 1) % len(names)]
        self.table.resort(self.now())
        self.update_topbar()
        self.notify(f"Sorted by {SORTS[self.table.sort_name]}", timeout=2)

    def action_next_tab(self) -> None:
        self.query_one(QueueTabs).action_next_tab()

    def action_prev_tab(self) -> None:
        self.query_one(QueueTabs).action_previous_tab()
