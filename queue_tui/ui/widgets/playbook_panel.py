"""The SOP side panel (`p`): the matching playbook for the selected ticket, step by step.

Each step shows the SOP's own words, the current value, the planned change and its status.
`p` opens it with the keys on its steps: up/down walk them, enter/g apply the highlighted step
(a suggestion read from text is confirmed this way; a step that would replace a colleague's value
asks first, naming them), G previews every change apply-all would make and applies them on one
confirm, space ticks a manual step, P picks another playbook, e chooses a value (reporter,
organization, channel), esc goes back to the queue.

The panel writes only to the ticket its header names, and that is always the ticket under the
queue's cursor: it follows the cursor and the filter, and a key pressed while it has not caught up
yet is refused with a word. A tick or apply lands on the step drawn under the cursor when the key
was pressed (steps are found by id, never by position). While a step waits on someone else the
panel reloads after each poll and says when the wait is over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from queue_tui.core import ops
from queue_tui.core.context import Context
from queue_tui.core.models import Ticket
from queue_tui.core.plan import apply_list, plan
from queue_tui.core.playbook import Playbook, SetFieldSpec, WaitSpec, choose, with_essentials
from queue_tui.core.shorten import shorten_summary
from queue_tui.core.step_plan import StepPlan, StepStatus
from queue_tui.core.triage import suggest_request_type
from queue_tui.core.type_menu import sop_guide_for
from queue_tui.service.errors import JiraError
from queue_tui.service.playbook_runner import replan
from queue_tui.ui.access import queue_app
from queue_tui.ui.commands import bindings
from queue_tui.ui.flows import cs_ticket, playbook
from queue_tui.ui.widgets.panel_choices import apply_special, fix_special
from queue_tui.ui.widgets.step_text import StepLines, decide_question, preview_text, step_text

if TYPE_CHECKING:
    from queue_tui.service.playbook_runner import RunResult
    from queue_tui.ui.services import Services

class StepList(OptionList):
    """The panel's steps: up on the first and down on the last stay where they are (a wrap to the
    other end would put the cursor on a step the agent did not walk to)."""

    def action_cursor_down(self) -> None:
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.highlighted is None or self.highlighted > 0:
            super().action_cursor_up()


class PlaybookPanel(Vertical):
    DEFAULT_CSS = """
    PlaybookPanel { width: 64; dock: right; border-left: thick $accent; background: $surface; padding: 0 1; }
    PlaybookPanel #pb-head { height: auto; }
    PlaybookPanel OptionList { height: 1fr; border: none; }
    /* The step under the cursor on a quiet background, so its coloured words (a colleague's value,
       the change, a problem) stay readable; a bar on its left says where the cursor is. */
    PlaybookPanel OptionList > .option-list--option-highlighted { background: $primary 25%; color: $foreground; }
    PlaybookPanel OptionList:focus > .option-list--option-highlighted { background: $primary 30%; color: $foreground; }
    PlaybookPanel #pb-foot { height: auto; max-height: 12; color: $text-muted; }
    """
    COMMAND_SCOPE: ClassVar[str] = "panel"
    BINDINGS = bindings("panel")

    def __init__(self) -> None:
        super().__init__(id="playbook-panel")
        self.ticket: Ticket | None = None
        self.pb: Playbook | None = None
        self.reason = ""
        self.ctx: Context | None = None
        self.plans: list[StepPlan] = []
        self.chosen: dict[str, str] = {}  # ticket key -> playbook id picked by hand
        self.last_result = ""
        self._planned_for: tuple[str, str] | None = None  # (ticket key, playbook id) of self.plans

    def compose(self) -> ComposeResult:
        yield Static("", id="pb-head")
        yield StepList(id="pb-steps")
        yield Static("", id="pb-foot")

    def focus_steps(self) -> None:
        self.query_one("#pb-steps", OptionList).focus()

    def action_back_to_queue(self) -> None:
        """The panel stays open beside the queue; the keys go back to the table (the screen decides,
        when it has one: on a narrow terminal the panel covers the queue and closes instead)."""
        back = getattr(self.screen, "panel_back", None)
        if callable(back):
            back()
            return
        self.screen.query_one("#table").focus()

    @property
    def services(self) -> Services:
        return queue_app(self).services

    @property
    def _applying(self) -> bool:
        """A playbook write of this app is under way: a poll landing meanwhile does not replan."""
        return any(w.group == playbook.GROUP and not w.is_finished for w in self.app.workers)

    def show_ticket(self, t: Ticket | None) -> None:
        if t is None:  # the filter left nothing on screen: the panel shows nothing it could write to
            self.ticket, self.plans, self._planned_for = None, [], None
            self.query_one("#pb-head", Static).update(Text("No ticket under the cursor."))
            self.query_one("#pb-steps", OptionList).clear_options()
            self.query_one("#pb-foot", Static).update("")
            return
        if self.ticket is None or self.ticket.key != t.key:
            self.last_result = ""
        self.ticket = t
        books = self.services.playbooks
        pick = self.chosen.get(t.key)
        if pick and pick in books:
            self.pb, self.reason = with_essentials(books, books[pick]), "picked by hand"
        else:
            hit = choose(books, t)
            self.pb, self.reason = (hit if hit else (None, ""))
        self.query_one("#pb-head", Static).update(Text(f"{t.key}: loading {self.pb.name if self.pb else 'no playbook'}…"))
        self.load()

    @work(exclusive=True, group="playbook-load", exit_on_error=False, description="load")
    async def load(self) -> None:
        if self.ticket is None or self.pb is None:
            self.query_one("#pb-head", Static).update(Text("No playbook matches this ticket (P to pick one)."))
            return
        key, pb = self.ticket.key, self.pb
        try:
            over = await self._replan()
        except JiraError as exc:
            self.query_one("#pb-head", Static).update(Text(f"Could not load {key}: {exc.short()}", style="red"))
            return
        self.render_plan()
        for p in over:
            self.notify(f"{key}: {p.step.title}: the wait is over", title=pb.name, timeout=10, markup=False)

    async def _replan(self) -> list[StepPlan]:
        """Plan the ticket afresh (JiraError passes through); returns the waits of the same plan
        that were waiting before and are met now."""
        assert self.pb is not None and self.ticket is not None
        key, pb, before = self.ticket.key, self.pb, self.plans
        same = self._planned_for == (key, pb.id)
        self.ctx, self.plans = await replan(self.services.runner(), key, pb, self.services.desk_id)
        self._planned_for = (key, pb.id)
        if not same:
            return []
        waited = {p.step.id for p in before if p.status == "waiting" and isinstance(p.step.spec, WaitSpec)}
        return [p for p in self.plans if p.step.id in waited and p.status == "met"]

    def after_poll(self, changed: set[str]) -> None:
        """A poll came in: reload when this ticket changed, or a step waits on someone (their change
        may be on another ticket, e.g. the CS ticket, that the queue does not show)."""
        if self.ticket is None or self.pb is None or self._applying:
            return
        if self.ticket.key in changed or any(p.status == "waiting" for p in self.plans):
            self.load()

    def render_plan(self) -> None:
        if self.pb is None or self.ticket is None:
            return
        todo = sum(1 for p in self.plans if p.status == "todo")
        asks = sum(1 for p in self.plans if p.status in ("suggested", "decide"))
        head = Text()
        # Over the whole width of a small terminal, the screen's own line above names the ticket,
        # and the key line below names the keys: the steps get those rows.
        narrow = self.screen.has_class("-panel-wide")
        if not narrow:
            head.append(f"{self.ticket.key}", style="bold reverse")
            room = max(20, (self.content_size.width or 60) - len(self.ticket.key) - 2)
            head.append(f"  {shorten_summary(self.ticket.summary, room)}\n", style="bold")
        head.append(f"{self.pb.name} · {self.pb.sop} · matched: {self.reason}\n", style="dim")
        head.append(f"{todo} to do", style="bold yellow" if todo else "green")
        if asks:
            head.append(f"  ·  {asks} for you to confirm or decide", style="bold magenta")
        options = sum(1 for p in self.plans if p.status == "option")
        if options:
            head.append(f"  ·  {options} to take when it fits (g)", style="cyan")
        waiting = next((p for p in self.plans if p.status == "waiting" and isinstance(p.step.spec, WaitSpec)), None)
        if waiting is not None and not todo and not asks:
            head.append(f"  ·  waiting for {waiting.change or 'someone else'}", style="magenta")
        if not narrow or self.app.size.height > 30:
            head.append("\n↑↓ step  g apply/confirm  G all  space tick  esc back", style="dim")
        self.query_one("#pb-head", Static).update(head)
        ol = self.query_one("#pb-steps", OptionList)
        keep = self._highlighted_id()
        ol.clear_options()
        ol.add_options([Option(StepLines(step_text(p, n)), id=p.step.id) for n, p in enumerate(self.plans, start=1)])
        if self.plans:
            ids = [p.step.id for p in self.plans]
            ol.highlighted = ids.index(keep) if keep in ids else 0
        self.query_one("#pb-foot", Static).update(self.footer())
        app = queue_app(self)
        app.reminders.update(self.ticket.key, self.pb.id, self.plans)
        app.check_reminders()

    def footer(self) -> Group:
        parts: list[Text] = []
        t = self.ctx.ticket if self.ctx else self.ticket
        if t is not None and self.pb is not None and any(s.for_types for s in self.pb.steps):
            site = self.ctx.site_request_types if self.ctx else ()
            aliases = self.ctx.request_type_aliases if self.ctx else {}
            sug = suggest_request_type(t, site, aliases)
            name = t.request_type.name if t.request_type else sug.name
            g, how = sop_guide_for(name, aliases, site)
            head = f"Request type: {name}" + ("" if t.request_type else f" (suggested: {sug.reason}; t to set)")
            parts.append(Text(head, style="bold"))
            if g:
                parts.append(Text(f"{g.name}" + (f" ({how})" if how else "") + f": {g.guidance}"))
                parts.append(Text("Its routes are the steps marked › above: g takes one.", style="dim"))
        if self.last_result:
            parts.append(Text(self.last_result, style="bold"))
        return Group(*parts)

    def _highlighted_id(self) -> str | None:
        ol = self.query_one("#pb-steps", OptionList)
        if ol.highlighted is None or ol.highlighted >= ol.option_count:
            return None
        return ol.get_option_at_index(ol.highlighted).id

    def selected(self) -> StepPlan | None:
        """The step drawn under the cursor now, found by its id (never by position in a list that may
        have been replaced since it was drawn)."""
        sid = self._highlighted_id()
        return next((p for p in self.plans if p.step.id == sid), None)

    def in_step(self) -> bool:
        """The panel may write: it shows the ticket under the queue's cursor, planned for that ticket.
        Otherwise it catches up and the key press is refused, so a write never goes to a ticket the
        agent does not see named in the header."""
        current = self.screen_ticket()
        if current is None:
            self.notify("No ticket under the cursor: nothing to apply", severity="warning", timeout=4)
            return False
        if self.ticket is None or self.ticket.key != current.key:
            self.show_ticket(current)
            self.notify(f"The SOP panel now shows {current.key}: check it, then press again", severity="warning",
                        timeout=5, markup=False)
            return False
        if self.pb is None or self._planned_for != (current.key, self.pb.id):
            self.notify(f"Still loading {current.key}…", timeout=3, markup=False)
            return False
        return True

    def screen_ticket(self) -> Ticket | None:
        table = getattr(self.screen, "table", None)
        return table.current_ticket() if table is not None else self.ticket

    @on(OptionList.OptionSelected, "#pb-steps")
    def _enter(self, _event: OptionList.OptionSelected) -> None:
        self.action_apply_step()

    def action_apply_step(self) -> None:
        p = self.selected()
        if p is None or not self.in_step():
            return
        key = self.ticket.key if self.ticket else ""
        if apply_special(self, p, key):
            return
        if p.status == "manual":
            self.action_tick()
        elif isinstance(p.op, ops.CreateCs) and p.status == "todo":
            ticket = self.ctx.ticket if self.ctx else self.ticket
            assert ticket is not None
            cs_ticket.create_cs(queue_app(self), ticket, playbook=self.pb, rules=p.op.rules)
        elif p.status == StepStatus.DECIDE:
            from queue_tui.ui.screens.modals import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    self.run([p], key, confirmed=frozenset({p.step.id}))

            self.app.push_screen(ConfirmScreen(decide_question(key, p), yes="Replace"), answered)
        elif p.status == StepStatus.SUGGESTED:
            self.run([p], key, confirmed=frozenset({p.step.id}))  # the agent read the evidence: one key confirms
        elif p.actionable:
            self.run([p], key)
        elif p.status == "blocked":
            self.notify(p.problem, severity="warning", markup=False)
        else:
            why = f" ({p.change})" if p.status == "waiting" and p.change else ""
            self.notify(f"Nothing to apply: {p.step.title} is {p.status}{why}", timeout=3, markup=False)

    def action_apply_all(self) -> None:
        """G: the list of writes apply-all is about to make, then apply them on one confirm."""
        if not self.in_step() or self.ticket is None:
            return
        key = self.ticket.key
        listed = apply_list(self.plans)
        if not listed.steps:
            where = f": it stops at {listed.stop_reason()}" if listed.stop is not None else ""
            self.notify(f"Nothing to apply on {key}{where}", timeout=6, markup=False)
            return
        from queue_tui.ui.screens.modals import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(list(listed.steps), key)

        self.app.push_screen(ConfirmScreen(preview_text(key, listed), yes="Apply"), answered)

    def run(self, steps: list[StepPlan], key: str, confirmed: frozenset[str] = frozenset(),
            inputs: dict[str, str] | None = None) -> None:
        """Apply the previewed steps to `key`, the ticket the header named when the key was pressed;
        `inputs`: what the agent typed for steps that ask."""
        assert self.pb is not None
        playbook.apply_steps(queue_app(self), key, self.pb, steps, confirmed, inputs)

    def applied(self, key: str, result: RunResult) -> None:
        """Steps were applied to `key`: say so, and plan it afresh when it is the one shown."""
        if self.ticket is not None and self.ticket.key == key:
            self.last_result = f"{key}: {result.summary()}"
            self.reload_after()

    def ticket_changed(self, key: str) -> None:
        """A write reached Jira for `key` (an assignment, a tick, the CS ticket): plan it afresh."""
        if self.ticket is not None and self.pb is not None and self.ticket.key == key:
            self.reload_after()

    @work(exclusive=True, group="playbook-load", exit_on_error=False, description="reload")
    async def reload_after(self) -> None:
        await self.refresh_after()

    async def refresh_after(self) -> None:
        assert self.pb is not None and self.ticket is not None
        try:
            await self._replan()  # after the agent's own apply: nothing to announce
        except JiraError as exc:
            self.notify(f"Could not reload {self.ticket.key}: {exc.short()}", severity="error", markup=False)
            return
        self.render_plan()

    def action_tick(self) -> None:
        p = self.selected()
        if p is None or not self.in_step():
            return
        if p.status != "manual":
            why = f": {p.change}" if p.status == "waiting" and p.change else ""
            self.notify(f"Only a manual step can be ticked ({p.step.title} is {p.status}{why})", timeout=4, markup=False)
            return
        assert self.pb is not None and self.ticket is not None
        playbook.tick(queue_app(self), self.ticket.key, self.pb, p)

    def action_pick_playbook(self) -> None:
        from queue_tui.ui.screens.modals import PickerScreen

        books = self.services.playbooks

        async def search(text: str) -> list[tuple[str, Any]]:
            return [(f"{pb.name}  ({pb.sop})", pb.id) for pb in books.values() if text.lower() in pb.name.lower()]

        def picked(pid: str | None) -> None:
            if pid and self.ticket is not None:
                self.chosen[self.ticket.key] = pid
                self.show_ticket(self.ticket)

        self.app.push_screen(PickerScreen("Playbook for this ticket", search), picked)

    def action_fix_step(self) -> None:
        """Choose a value for a step the engine cannot decide: the customer as reporter, an organization, the channel."""
        p = self.selected()
        if p is None or self.ticket is None or not self.in_step():
            return
        if fix_special(self, p, self.ticket.key):
            return
        field = p.step.spec.field if isinstance(p.step.spec, SetFieldSpec) else ""
        if field in playbook.CHOOSABLE:
            playbook.choose_value(queue_app(self), self.ticket.key, field)
        else:
            self.notify("Nothing to choose for this step", timeout=3)

    async def runner_fix(self, op: ops.Op) -> None:
        """Apply one chosen value (reporter, organization) to the ticket, here and now."""
        await self.services.runner().do(op)

    def planned(self) -> list[StepPlan]:
        return plan(self.pb, self.ctx) if self.pb and self.ctx else []
