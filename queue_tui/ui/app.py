"""The Textual app: wires the gateway, config and clock to the screens; owns app-wide actions.

Assignment lives here because the queue and the detail screen both offer it: the row shows
the new assignee at once, the write goes out in a worker, and a refusal rolls the row back
with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen

from queue_tui.config import Config, cache_dir, state_dir
from queue_tui.core.models import Person, Queue, Ticket
from queue_tui.service.audit import AuditLog
from queue_tui.service.errors import JiraError
from queue_tui.service.gateway import Connection, Gateway
from queue_tui.service.snapshot_cache import SnapshotCache
from queue_tui.ui.commands import bindings, in_scope, unknown_ids
from queue_tui.ui.palette import CommandsHere
from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen
from queue_tui.ui.screens.queue import QueueScreen
from queue_tui.ui.state import UiState
from queue_tui.ui.themes import load_themes
from queue_tui.ui.widgets.notices import Notices, show_notice

if TYPE_CHECKING:  # imported where used: first paint does not need them
    from queue_tui.core.cs_ticket import CsDraft
    from queue_tui.core.ops import CsRules
    from queue_tui.core.playbook import Playbook
    from queue_tui.service.cs_create import CsCreator, CsOutcome
    from queue_tui.service.playbook_runner import PlaybookRunner
    from queue_tui.ui.drafts import DraftStore


class QueueApp(App[None]):
    CSS_PATH = str(Path(__file__).parent / "app.tcss")
    TITLE = "queue-tui"
    COMMANDS = App.COMMANDS | {CommandsHere}
    COMMAND_SCOPE: ClassVar[str] = "app"
    BINDINGS = bindings("app")

    def __init__(self, conn: Connection, config: Config, *, clock: Callable[[], datetime] | None = None,
                 auto_poll: bool = True, auto_tick: bool = True, desk_label: str = "",
                 gateway_kwargs: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.conn = conn
        self.config = config
        self.clock = clock or (lambda: datetime.now(UTC))
        self.auto_poll = auto_poll
        self.auto_tick = auto_tick
        self.poll_seconds = config.monitor.poll_seconds
        self.desk_label = desk_label or "Service desk"
        self.audit = AuditLog(state_dir() / "audit.jsonl", self.clock)
        self.gateway = Gateway(conn, field_overrides=config.fields, clock=self.clock, audit=self.audit,
                               **(gateway_kwargs or {}))
        self.ui_state = UiState(state_dir() / "ui.json")
        desk = config.desk
        self.snapshot_cache = SnapshotCache(cache_dir() / "snapshots", conn.base_url,
                                            f"{desk.id}|{desk.project}|{','.join(desk.queues)}",
                                            conn.email if conn.cloud else "")
        self.keymap: dict[str, str] = dict(config.ui.keymap)
        self.desk_id: str | None = None
        self.desk_project = ""
        self._opened = False
        self._cs: CsCreator | None = None
        self.last_cs: CsOutcome | None = None
        self._playbooks: dict[str, Playbook] | None = None
        self.playbook_problems: list[str] = []
        self._drafts: DraftStore | None = None
        self.last_run: Any = None
        self._runner: PlaybookRunner | None = None
        self.notices = Notices()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Also on the screens' notice line, which never covers a row or an input (toasts did)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        show_notice(self, Text.from_markup(message).plain if markup else message, title, severity,
                    self.NOTIFICATION_TIMEOUT if timeout is None else timeout)

    # -- lifecycle ------------------------------------------------------------------------
    def on_mount(self) -> None:
        themes, problems = load_themes()
        for theme in themes:
            self.register_theme(theme)
        wanted = self.config.ui.theme or self.ui_state.get("theme") or "textual-dark"
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            problems.append(f"Theme '{wanted}' not found; using textual-dark")
        for p in problems + ([self.ui_state.problem] if self.ui_state.problem else []):
            self.notify(p, severity="warning", markup=False)
        if self.keymap:
            self.set_keymap(self.keymap)
            for unknown in unknown_ids(self.keymap):
                self.notify(f"ui.keymap: '{unknown}' is no command id (? lists them); ignored", severity="warning",
                            markup=False, timeout=15)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(QueueScreen())

    def _theme_changed(self, theme: Any) -> None:
        try:
            self.ui_state.set("theme", theme.name)
        except OSError as exc:
            self.notify(f"Could not remember the theme: {exc.strerror}", severity="warning", markup=False)

    def _handle_exception(self, error: Exception) -> None:
        # Textual has no public hook for an unhandled error, and its own printer shows every frame's
        # local variables (ticket text, credentials). An exception with __rich__ goes through the
        # public App.panic instead: one line on screen, the traceback without locals in the log.
        from queue_tui.ui.crash import short_crash

        super()._handle_exception(short_crash(error, str(state_dir() / "logs" / "queue-tui.log")))

    async def on_unmount(self) -> None:
        await self.gateway.close()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        ours = {c.description for c in in_scope("app")}  # offered by the registry's provider instead
        yield from (c for c in super().get_system_commands(screen) if c.title not in ours)

    async def discover(self) -> tuple[str | None, list[Queue]]:
        """Connect, find the service desk and its queues (config first, else discovered)."""
        if not self._opened:
            await self.gateway.open()
            self._opened = True
        desk = self.config.desk
        desks = await self.gateway.service_desks()
        chosen = None
        if desk.id:
            chosen = next((d for d in desks if str(d.get("id")) == desk.id), None)
            if chosen is None:
                raise JiraError(f"Service desk {desk.id} (desk.id in config) was not found")
        elif desk.project:
            chosen = next((d for d in desks if str(d.get("projectKey", "")).upper() == desk.project.upper()), None)
        elif desks:
            chosen = desks[0]
            if len(desks) > 1:
                names = ", ".join(f"{d.get('projectKey')} (id {d.get('id')})" for d in desks)
                self.notify(f"Several service desks: {names}. Showing {chosen.get('projectKey')}; set desk.project in config.",
                            severity="warning", markup=False, timeout=15)
        if chosen is None:
            raise JiraError("No service desk found for this account")
        self.desk_id = str(chosen.get("id"))
        project = str(chosen.get("projectKey", ""))
        self.desk_project = project
        self.desk_label = f"{chosen.get('projectName', project)} ({project})"
        queues = await self.gateway.queues(self.desk_id)
        if desk.queues:
            wanted = [w.lower() for w in desk.queues]
            queues = [q for q in queues if q.name.lower() in wanted or q.id in desk.queues] or queues
        base = f'project = "{project}" AND resolution = Unresolved'
        if not any("assignee is empty" in q.jql.lower() for q in queues):
            queues.append(Queue("unassigned", "Unassigned", f"{base} AND assignee is EMPTY ORDER BY created ASC", kind="unassigned"))
        if not any("currentuser()" in q.jql.lower() for q in queues):
            queues.append(Queue("mine", "Mine", f"{base} AND assignee = currentUser() ORDER BY created ASC", kind="mine"))
        return self.desk_id, queues

    # -- app-wide actions -----------------------------------------------------------------
    def action_help(self) -> None:
        from queue_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen, self.keymap))

    def action_audit_log(self) -> None:
        from queue_tui.ui.screens.audit import AuditScreen

        self.push_screen(AuditScreen(self.audit.entries()))

    def open_ticket(self, key: str) -> None:
        url = f"{self.conn.base_url.rstrip('/')}/browse/{key}"
        self.open_url(url)
        self.notify(f"Opened {url}", timeout=4, markup=False)

    def _queue_screens(self) -> list[QueueScreen]:
        return [s for s in self.screen_stack if isinstance(s, QueueScreen)]

    def _show(self, t: Ticket) -> None:
        for s in self._queue_screens():
            s.optimistic(t)

    def assign_flow(self, t: Ticket, who: Person | None, on_done: Callable[[Ticket], None] | None = None) -> None:
        """Assign `t` to `who` (None: me). Asks first when someone else holds it."""
        target = who or self.gateway.me
        if target is None:
            self.notify("Not connected yet", severity="warning")
            return
        if t.assignee is not None and t.assignee.id == target.id:
            self.notify(f"{t.key} is already assigned to {target.name}", timeout=3, markup=False)
            return
        holder = t.assignee
        if holder is not None and (self.gateway.me is None or holder.id != self.gateway.me.id):
            question = Text.assemble(("Take over? ", "bold"), f"{t.key} is held by ", (holder.name, "bold"),
                                     f".\nAssign it to {target.name}?")

            def answered(yes: bool | None) -> None:
                if yes:
                    self._assign(t, target, on_done, confirmed_holder=holder)

            self.push_screen(ConfirmScreen(question, yes="Assign"), answered)
            return
        self._assign(t, target, on_done, confirmed_holder=holder)

    def _assign(self, t: Ticket, target: Person, on_done: Callable[[Ticket], None] | None,
                confirmed_holder: Person | None) -> None:
        self._show(replace(t, assignee=target))
        self._assign_write(t, target, on_done, confirmed_holder)

    @work(group="writes", exit_on_error=False, description="assign write")
    async def _assign_write(self, t: Ticket, target: Person, on_done: Callable[[Ticket], None] | None,
                            confirmed_holder: Person | None) -> None:
        try:
            fresh = await self.gateway.issue(t.key, ["assignee"])
            now_holder = fresh.assignee
            if (now_holder is not None and now_holder.id != target.id
                    and (confirmed_holder is None or now_holder.id != confirmed_holder.id)):
                # Someone else took it since the agent looked: show that, and ask again.
                self._show(replace(t, assignee=now_holder))
                self.notify(f"{t.key} was just taken by {now_holder.name}; nothing changed.", severity="warning",
                            markup=False, timeout=8)
                self.assign_flow(replace(t, assignee=now_holder), target if target != self.gateway.me else None, on_done)
                return
            await self.gateway.assign(t.key, target)
        except JiraError as exc:
            self._show(t)
            self.notify(f"Could not assign {t.key}: {exc.short()}. Row restored.", severity="error", markup=False, timeout=10)
            return
        done = replace(t, assignee=target)
        self._show(done)
        self.notify(f"{t.key} assigned to {target.name}", timeout=3, markup=False)
        if on_done:
            on_done(done)

    # -- CS tickets (cs-ticket-creation.txt) --------------------------------------------------
    def cs_creator(self) -> CsCreator:
        from queue_tui.service.cs_create import CsCreator

        if self._cs is None:
            self._cs = CsCreator(self.gateway, self.config.calendar(), self.config.cs.project)
        return self._cs

    def cs_flow(self, t: Ticket, playbook: Playbook | None = None, rules: CsRules | None = None,
                on_done: Callable[[CsOutcome], None] | None = None) -> None:
        """`c`: check for an open CS ticket for this customer, then the filled-in form, then create.

        A playbook's create step passes its own issue type, epic, priority, summary, description and due rule.
        """
        from queue_tui.core.ops import CsRules

        self._cs_run(t, playbook, rules or CsRules(), on_done)

    @work(group="cs", exclusive=True, exit_on_error=False, description="cs run")
    async def _cs_run(self, t: Ticket, playbook: Playbook | None, rules: CsRules,
                      on_done: Callable[[CsOutcome], None] | None) -> None:
        from queue_tui.core.cs_ticket import draft, form_description
        from queue_tui.ui.screens.cs_form import CsFormScreen, ExistingCsScreen

        creator = self.cs_creator()
        try:
            existing = await creator.existing(t)
            components = await creator.components()
            epics = await creator.epics()
        except JiraError as exc:
            self.notify(f"Cannot prepare the CS ticket: {exc.short()}", severity="error", markup=False)
            return
        if existing:
            choice = await self.push_screen_wait(ExistingCsScreen(t.key, existing))
            if choice is None:
                return
            if choice != "new":
                outcome = await creator.link_existing(t.key, choice)
                await self._cs_finished(t, outcome, None)
                return
        d = draft(t, now=self.clock(), cal=creator.cal, components=components, priority_rule=self.config.priority_rule(),
                  roster=self.config.roster, browse_url=f"{self.conn.base_url.rstrip('/')}/browse/{t.key}",
                  rules=self.config.due_rules(), project=self.config.cs.project,
                  playbook_rule=playbook.due_rule if playbook else None, issue_type=rules.issue_type or None,
                  epic=rules.epic or None, summary=t.summary if rules.summary_from_ticket else None,
                  description=form_description(t) if rules.description_from_form else None,
                  customer=rules.customer or None, priority=rules.priority or None)
        edited = await self.push_screen_wait(CsFormScreen(d, creator.cal, components, list(epics)))
        if edited is None:
            return
        self.notify(f"Creating the CS ticket for {t.key}…", timeout=3)
        outcome = await creator.create(edited)
        await self._cs_finished(t, outcome, edited)
        if on_done is not None:
            on_done(outcome)

    async def _cs_finished(self, t: Ticket, outcome: CsOutcome, d: CsDraft | None) -> None:
        from queue_tui.service.cs_create import with_cs_link

        creator = self.cs_creator()
        while True:
            if outcome.cs_key and outcome.linked:
                self._show(with_cs_link(t, outcome.cs_key, d.summary if d else ""))
            if outcome.complete:
                self.last_cs = outcome
                self.notify(outcome.summary(), title="CS ticket", timeout=8, markup=False)
                return
            self.notify(outcome.summary(), title="CS ticket incomplete", severity="error", timeout=15, markup=False)
            retry = await self.push_screen_wait(ConfirmScreen(Text(outcome.summary() + "\n\nFinish the remaining steps now?"),
                                                              yes="Finish"))
            if not retry:
                self.last_cs = outcome
                return
            outcome = await (creator.create(d, outcome) if d is not None else
                             creator.link_existing(outcome.ss_key, outcome.cs_key or "", outcome))

    # -- playbooks --------------------------------------------------------------------------
    @property
    def playbooks(self) -> dict[str, Playbook]:
        """Loaded on first use; a broken file is reported once and the others still load."""
        if self._playbooks is None:
            from queue_tui.config import config_dir
            from queue_tui.service.playbooks import load_all, playbook_dirs

            self._playbooks, self.playbook_problems = load_all(playbook_dirs(config_dir()))
            for p in self.playbook_problems:
                self.notify(f"Playbook skipped: {p}", severity="warning", markup=False, timeout=15)
        return self._playbooks

    @property
    def drafts(self) -> DraftStore:
        if self._drafts is None:
            from queue_tui.ui.drafts import DraftStore

            self._drafts = DraftStore(state_dir() / "drafts")
            if self._drafts.problem:
                self.notify(self._drafts.problem, severity="warning", markup=False)
        return self._drafts

    def runner(self) -> PlaybookRunner:
        from queue_tui.service.playbook_runner import PlaybookRunner

        if self._runner is None:
            cfg = self.config
            self._runner = PlaybookRunner(self.gateway, cfg.roster, cfg.monitor.staff_domains, cfg.channel_partners,
                                          cfg.account_managers, self.clock, cfg.request_type_aliases)
        return self._runner

    def pick_request_type(self, t: Ticket) -> None:
        """`t`: the desk's own request types, grouped under the SOP type each stands for, the
        suggested one first with why; the guidance of both triage SOPs for the one highlighted."""
        self._request_type_flow(t)

    @work(group="writes", exit_on_error=False, description="set request type")
    async def _request_type_flow(self, t: Ticket) -> None:
        from queue_tui.core import ops
        from queue_tui.core.type_menu import type_menu
        from queue_tui.ui.screens.request_type import RequestTypeScreen

        runner = self.runner()
        try:
            site_types = await runner.site_request_types(self.desk_id)
        except JiraError as exc:
            self.notify(f"Cannot read this desk's request types: {exc.short()}", severity="error", markup=False)
            return
        if not site_types:
            self.notify("This service desk has no request types you can set", severity="warning", markup=False)
            return
        now = t.request_type.name if t.request_type else ""
        choice = await self.push_screen_wait(RequestTypeScreen(t.key, now, type_menu(t, site_types,
                                                                                        self.config.request_type_aliases)))
        if choice is None:
            return
        name = choice.type.name
        try:
            fresh = await self.gateway.issue(t.key)
            was = t.request_type.id if t.request_type else None
            if fresh.request_type is not None and fresh.request_type.id == choice.type.id:
                self.ticket_changed(fresh)
                self.notify(f"{t.key} already has request type {name}", timeout=3, markup=False)
                return
            if (fresh.request_type.id if fresh.request_type else None) != was and fresh.request_type is not None:
                # Someone set it while the agent was choosing: theirs stays unless the agent says otherwise.
                question = Text.assemble(("Replace? ", "bold"), f"{t.key}'s request type was just set to ",
                                         (fresh.request_type.name, "bold"), f".\nSet it to {name} instead?")
                if not await self.push_screen_wait(ConfirmScreen(question, yes="Replace")):
                    self.ticket_changed(fresh)
                    return
            await runner.do(ops.SetRequestType(t.key, choice.type.id, name))
            fresh = await self.gateway.issue(t.key)
        except JiraError as exc:
            self.notify(f"Could not set the request type of {t.key}: {exc.short()}", severity="error", markup=False)
            return
        self.ticket_changed(fresh)
        sop = choice.sop or choice.resembles
        self.notify(f"{t.key}: request type {name}" + (f" ({sop})" if sop and sop != name else ""), timeout=4,
                    markup=False)

    def non_platform(self, t: Ticket) -> None:
        """`x`: the whole non-platform SOP after one confirm."""
        pb = self.playbooks.get("non-platform")
        if pb is None:
            self.notify("The non-platform playbook is missing", severity="error")
            return
        lines = "\n".join(f"  • {s.title}" for s in pb.steps)
        question = Text.assemble(("Apply the non-platform SOP to ", "bold"), (t.key, "bold"), f": {t.summary}\n\n{lines}\n\n",
                                 ("If this message might really need attention, answer n and send an internal message "
                                  "to the Support Supervisor instead.", "italic"))

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply_playbook(t, pb)

        self.push_screen(ConfirmScreen(question, yes="Apply all"), answered)

    @work(group="writes", exit_on_error=False, description="apply playbook")
    async def _apply_playbook(self, t: Ticket, pb: Playbook) -> None:
        from queue_tui.core.plan import plan

        runner = self.runner()
        try:
            ctx = await runner.context(t.key, pb, self.desk_id)
            steps = plan(pb, ctx)
            blocked = [p for p in steps if p.status == "blocked"]
            if blocked:
                raise JiraError("; ".join(p.problem for p in blocked))
            result = await runner.apply_all(t.key, pb, self.desk_id)
            fresh = await self.gateway.issue(t.key)
        except JiraError as exc:
            self.notify(f"{pb.name} on {t.key}: {exc.short()}", severity="error", markup=False, timeout=10)
            return
        self.last_run = result
        self.ticket_changed(fresh)
        self.notify(f"{pb.name} on {t.key}: {result.summary()}", severity="error" if result.error else "information",
                    markup=False, timeout=8)

    def close_ticket(self, t: Ticket, reason: str) -> None:
        """`C`: close with a resolution the agent picks; says why the rules think it is ready."""
        resolutions = ["Done", "Won't Do", "Duplicate", "Cannot Reproduce"]

        async def search(text: str) -> list[tuple[str, Any]]:
            return [(r, r) for r in resolutions if text.lower() in r.lower()]

        def picked(res: str | None) -> None:
            if res:
                self._close(t, res)

        title = f"Close {t.key} as…" + (f"  (ready: {reason})" if reason else "  (the closing rules do not say it is ready)")
        self.push_screen(PickerScreen(title, search), picked)

    @work(group="writes", exit_on_error=False, description="close")
    async def _close(self, t: Ticket, resolution: str) -> None:
        try:
            await self.gateway.transition(t.key, "Closed", resolution)
            fresh = await self.gateway.issue(t.key)
        except JiraError as exc:
            self.notify(f"Could not close {t.key}: {exc.short()}", severity="error", markup=False)
            return
        self.ticket_changed(fresh)
        self.notify(f"{t.key} closed ({resolution})", timeout=4, markup=False)

    # -- replies ---------------------------------------------------------------------------
    def compose_reply(self, t: Ticket) -> None:
        self._reply(t)

    @work(group="reply", exclusive=True, exit_on_error=False, description="reply")
    async def _reply(self, t: Ticket) -> None:
        from queue_tui.core.playbook import choose
        from queue_tui.ui.screens.reply import ReplyScreen

        try:
            full = await self.gateway.ticket_detail(t.key)
            full = replace(full, participants=tuple(await self.gateway.participants(t.key)))
        except JiraError as exc:
            self.notify(f"Cannot open the composer for {t.key}: {exc.short()}", severity="error", markup=False)
            return
        hit = choose(self.playbooks, full)
        internal_only = hit[0].refuse_public_reason if hit and not hit[0].customer_visible else ""
        me = self.gateway.me.name if self.gateway.me else ""
        result = await self.push_screen_wait(ReplyScreen(full, me, self.drafts, internal_only))
        if result is None:
            return
        public = bool(result["public"])
        if public:
            screen = ReplyScreen(full, me, self.drafts)
            who = "\n".join("  • " + r for r in screen.recipients()) or "  (nobody: no reporter or participants)"
            ok = await self.push_screen_wait(ConfirmScreen(Text.assemble(
                ("Send to the customer?\n\n", "bold"), f"It will be shared with:\n{who}\n\n",
                ("Edits made after sending are not sent to the customer: proofread first.", "italic")), yes="Send"))
            if not ok:
                return
        try:
            await self.gateway.add_comment(t.key, str(result["body"]), public=public)
            note = ""
            if result.get("kind") == "general" and public:
                # The SOP: after a general initial response the ticket goes back to Waiting for Support.
                await self.gateway.transition(t.key, "Waiting for support")
                note = "; status back to Waiting for support"
            fresh = await self.gateway.issue(t.key)
        except JiraError as exc:
            self.notify(f"Reply not sent on {t.key}: {exc.short()}. Your draft is kept.", severity="error",
                        markup=False, timeout=12)
            return
        self.drafts.drop(t.key)
        self.ticket_changed(fresh)
        self.notify(f"{'Public reply' if public else 'Internal note'} added to {t.key}{note}", timeout=5, markup=False)

    def ticket_changed(self, t: Ticket) -> None:
        """A write changed this ticket: show it in the queue now, not at the next poll."""
        self._show(t)

    def pick_assignee(self, t: Ticket, on_done: Callable[[Ticket], None] | None = None) -> None:
        async def search(text: str) -> list[tuple[str, Any]]:
            people = await self.gateway.find_users(text or "", issue_key=t.key)
            return [(f"{p.name}  <{p.email}>" if p.email else p.name, p) for p in people]

        def picked(p: Person | None) -> None:
            if p is not None:
                self.assign_flow(t, p, on_done)

        self.push_screen(PickerScreen(f"Assign {t.key} to…", search), picked)

