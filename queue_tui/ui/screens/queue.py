"""The queue screen: tabs per queue, the live table, the stale banner, alerts.

Polls run in a worker and the next one is scheduled only when the last finished (never
overlapping). A one-second timer ticks the countdowns of the visible rows and fires the alerts
that have come due; it does no IO.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, Tab, Tabs

from queue_tui.core.alerts import Alert, Watch, stale_text
from queue_tui.core.glance import breach_horizon, count_stages
from queue_tui.core.models import Queue, Ticket
from queue_tui.core.snapshot import Diff, QueueSnapshot
from queue_tui.core.urgency import SORTS
from queue_tui.service.errors import JiraError
from queue_tui.service.poller import Poller
from queue_tui.service.snapshot_cache import CachedDesk
from queue_tui.ui.commands import bindings
from queue_tui.ui.widgets.glance import GlanceBar
from queue_tui.ui.widgets.notices import NoticeLine
from queue_tui.ui.widgets.queue_table import QueueTable
from queue_tui.ui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from queue_tui.ui.desktop import DesktopNotifier
    from queue_tui.ui.widgets.playbook_panel import PlaybookPanel


_ALERT_TITLES = {"new": "New ticket", "under_30m": "Under 30 min", "breached": "SLA breached",
                 "unassigned": "Unassigned", "changed": "Changed", "summary": "Queue"}
_ALERT_GROUP_TITLES = {"new": "{n} new tickets", "under_30m": "{n} tickets under 30 min", "breached": "{n} SLAs breached",
                       "unassigned": "{n} tickets unassigned too long", "changed": "{n} of your tickets changed",
                       "summary": "Queue"}


class QueueScreen(Screen[None]):
    AUTO_FOCUS = "#table"
    COMMAND_SCOPE: ClassVar[str] = "queue"
    BINDINGS = bindings("queue")

    def __init__(self) -> None:
        super().__init__()
        self.queues: list[Queue] = []
        self.active: Queue | None = None
        self.poller: Poller | None = None
        self.watch = Watch()
        self.alerts: list[Alert] = []
        self.polls = 0
        self._poll_timer: Timer | None = None
        self._panel_timer: Timer | None = None
        self._comments: dict[str, tuple[Any, ...]] = {}
        self._comment_seen: dict[str, datetime] = {}
        self._closing_full_at: datetime | None = None
        self._polling = False
        self._cached: CachedDesk | None = None  # painted at start, until the first poll replaces it
        self._glance_minute: datetime | None = None
        self._desktop: DesktopNotifier | None = None
        self._latest: dict[str, Ticket] = {}  # the agent's own writes, until a poll brings them
        self.marked: set[str] = set()  # tickets marked for one action on all of them
        self._membership: dict[tuple[str, str], bool] = {}  # (queue, key) -> in it, as own writes left it

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        yield GlanceBar(id="glance")
        yield Static("", id="stale")
        self._cached = self._load_cache(self.app.snapshot_cache.remembered_account())  # type: ignore[attr-defined]
        tabs = [Tab(self._tab_label(q), id=f"q-{q.id}") for q in self.queues]
        yield Tabs(*tabs, active=f"q-{self.active.id}" if self.active else None, id="tabs")
        yield Static("", id="nomatch")
        yield QueueTable(id="table")
        yield Input(placeholder="Filter: words to match in key, summary, organization, assignee…", id="filter")
        yield NoticeLine(self.app.notices, id="notices")  # type: ignore[attr-defined]
        yield Footer()

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

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

    def on_screen_resume(self) -> None:
        """Back from a dialog or the detail: the keys stay on the SOP panel when they were there
        (a value picked for a step), otherwise they go to the table."""
        focused = self.focused
        if focused is not None and self.panel_open and any(n.id == "playbook-panel" for n in focused.ancestors_with_self):
            return
        if not self.query_one("#filter", Input).has_focus:
            self.table.focus()

    def now(self) -> datetime:
        return self.app.clock()  # type: ignore[attr-defined, no-any-return]

    def on_mount(self) -> None:
        cfg = self.app.config  # type: ignore[attr-defined]
        self.table.priority = cfg.priority_rule()
        self.query_one("#stale").display = False
        self.query_one("#filter").display = False
        self.query_one("#nomatch").display = False
        self.update_topbar()
        from datetime import timedelta

        self.watch.unassigned_after = timedelta(minutes=cfg.monitor.unassigned_alert_minutes)
        if self.app.auto_tick:  # type: ignore[attr-defined]
            self.set_interval(1.0, self.tick, name="sla-tick")
        self._paint_cached()
        # After the first frame: the queue (cached, or the "connecting" line) is on screen before
        # the first poll's requests and parsing compete with painting it.
        self.call_after_refresh(self.connect)

    # -- the last snapshot, painted before Jira answers -----------------------------------------
    def _load_cache(self, account_id: str | None) -> CachedDesk | None:
        if not account_id:
            return None
        cached, problem = self.app.snapshot_cache.load(account_id)  # type: ignore[attr-defined]
        if problem:
            self.notify(problem, severity="warning", markup=False, timeout=10)
        if cached is None or cached.active not in cached.snapshots:
            return None
        self.queues = list(cached.queues)
        self.active = next((q for q in self.queues if q.id == cached.active), None)
        self.app.desk_label = cached.desk_label  # type: ignore[attr-defined]
        return cached

    def _paint_cached(self) -> None:
        if self._cached is None or self.active is None:
            return
        snap = self._cached.snapshots[self.active.id]
        self.table.me_id = self._cached.account_id
        self.table.sync(snap.tickets, Diff(first=True), self.now())
        self.update_topbar(snap.fetched_at)

    def _drop_cached(self) -> None:
        """Jira says this is another account or desk than the cache's: nothing of it stays on screen."""
        self._cached = None
        self.table.clear()
        self.table.flags.clear()

    @work(exclusive=True, group="cache", exit_on_error=False, description="keep the queue for the next start")
    async def save_cache(self) -> None:
        import asyncio

        app = self.app
        me = app.gateway.me  # type: ignore[attr-defined]
        if self.poller is None or me is None or self.active is None or self.active.id not in self.poller.last:
            return
        desk = CachedDesk(self.now(), me.id, self.poller.desk_id or "", app.desk_label,  # type: ignore[attr-defined]
                          tuple(self.queues), self.active.id, dict(self.poller.last))
        try:
            await asyncio.to_thread(app.snapshot_cache.save, desk)  # type: ignore[attr-defined]
        except OSError as exc:
            self.notify(f"Could not keep the queue for the next start: {exc.strerror or exc}", severity="warning",
                        markup=False)

    # -- connecting and polling ------------------------------------------------------------
    @work(exclusive=True, group="connect", exit_on_error=False, description="connect")
    async def connect(self) -> None:
        app = self.app
        try:
            desk_id, queues = await app.discover()  # type: ignore[attr-defined]
        except JiraError as exc:
            self.show_stale(exc)
            self.topbar.set("state", Text(f"could not connect: {exc.short()}", style="bold red"), 90)
            self._poll_timer = self.set_timer(self.app.poll_seconds, self.connect)  # type: ignore[attr-defined]
            return
        me = app.gateway.me  # type: ignore[attr-defined]
        if self._cached is not None and (me is None or me.id != self._cached.account_id or desk_id != self._cached.desk_id):
            self._drop_cached()
        if self._cached is None and me is not None and not self.table.row_count:
            # Without a login to find it by before Jira answered (Data Center), the cache is read now.
            self._cached = self._load_cache(me.id)
            if self._cached is not None and desk_id == self._cached.desk_id:
                self._paint_cached()
            else:
                self._cached = None
        shown = [(q.id, q.name) for q in self.queues]
        active = self.active.id if self.active is not None and self._cached is not None else None
        self.queues = queues
        from datetime import timedelta

        self.poller = Poller(app.gateway, desk_id, app.clock, project=app.desk_project,  # type: ignore[attr-defined]
                             reconcile_every=timedelta(minutes=app.config.monitor.reconcile_minutes))  # type: ignore[attr-defined]
        for snap in (self._cached.snapshots.values() if self._cached is not None else ()):
            if any(q.id == snap.queue_id for q in queues):
                self.poller.seed(snap)  # the first poll applies what changed since, as any poll does
        self.active = next((q for q in queues if q.id == active), queues[0] if queues else None)
        if [(q.id, q.name) for q in queues] != shown:
            tabs = self.query_one(Tabs)
            await tabs.clear()
            for q in queues:
                await tabs.add_tab(Tab(self._tab_label(q), id=f"q-{q.id}"))
            if self.active is not None:
                tabs.active = f"q-{self.active.id}"
        self.update_topbar()
        await self.poll_now()

    def _tab_label(self, q: Queue) -> str:
        return f"{q.name} ({q.count})" if q.count is not None else q.name

    async def poll_now(self) -> None:
        """One poll of the active queue, applied to the table. Tests await this directly."""
        if self.poller is None or self.active is None or self._polling:
            return
        self._polling = True
        try:
            queue = self.active
            outcome = await self.poller.poll(queue)
        finally:
            self._polling = False
        self.polls += 1
        if outcome.error is not None:
            self.show_stale(outcome.error)
        elif outcome.snapshot is not None and queue is self.active:
            was_cached = self._cached is not None
            self.apply(outcome.snapshot, outcome.diff)
            if outcome.diff is not None and (outcome.diff.first or not outcome.diff.empty or was_cached):
                self.save_cache()
        self.schedule_next()

    def schedule_next(self) -> None:
        if self._poll_timer is not None:
            self._poll_timer.stop()
        if self.app.auto_poll:  # type: ignore[attr-defined]
            delay = self.app.poll_seconds  # type: ignore[attr-defined]
            retry_at = self.poller.retry_at if self.poller else None
            if retry_at is not None:
                delay = max(delay, (retry_at - self.now()).total_seconds())
            self._poll_timer = self.set_timer(delay, self.start_poll)

    def start_poll(self) -> None:
        if self.app.screen_stack and isinstance(self.app.screen, QueueScreen | Screen):
            self.run_worker(self.poll_now, exclusive=True, group="poll", exit_on_error=False)

    def apply(self, snap: QueueSnapshot, diff: object) -> None:
        assert isinstance(diff, Diff)
        now = self.now()
        self.hide_stale()
        me = self.app.gateway.me  # type: ignore[attr-defined]
        self.table.me_id = me.id if me else None
        self.table.sync(snap.tickets, diff, now)
        # Over a painted cache the rows show what changed since; the alerts start afresh, as at
        # any start, with one summary rather than news of everything that happened meanwhile.
        fresh_start = self._cached is not None and self._cached.active == snap.queue_id
        self._cached = None
        self.raise_alerts(self.watch.on_poll(replace(diff, first=True) if fresh_start else diff, snap.tickets, now)
                          + ([] if fresh_start else self._changed_alerts(diff, snap.tickets)))
        if self.watch.crossed:  # crossings that came due with this poll move their tickets too
            self.table.reorder(self.watch.crossed, now)
        self._latest.clear()
        self._update_counts(snap)
        if snap.kind == "full":
            # What a full poll built lives as long as the queue does: the collector need not walk
            # it again (at 5,000 tickets some 400,000 objects, a third of a second a full
            # collection, holding up the screen whichever thread triggers it).
            gc.freeze()
        self.update_topbar(snap.fetched_at)
        self.refresh_closing(snap)
        if self.panel_open:
            self.panel.after_poll(set(diff.changed) | set(diff.added))

    # A fixed description: Textual would otherwise build one from repr() of the whole snapshot.
    @work(exclusive=True, group="closing", exit_on_error=False, description="closing rules")
    async def refresh_closing(self, snap: QueueSnapshot) -> None:
        """Comments for tickets that changed since last seen (batched), then the closing rules."""
        from datetime import timedelta

        from queue_tui.core.closing import closing_state

        cfg = self.app.config  # type: ignore[attr-defined]
        stale = [k for k, t in snap.tickets.items() if self._comment_seen.get(k) != t.updated]
        if stale:
            try:
                found = await self.app.gateway.comments_for(stale)  # type: ignore[attr-defined]
            except JiraError:
                return
            for k in stale:
                self._comments[k] = tuple(found.get(k, []))
                self._comment_seen[k] = snap.tickets[k].updated
        now = self.now()
        domains = tuple(cfg.monitor.staff_domains)
        after = timedelta(hours=cfg.monitor.follow_up_hours)
        # The rules depend on time too (24 h without a reply): everything is re-checked every
        # ten minutes; in between only the tickets that changed.
        full = self._closing_full_at is None or now - self._closing_full_at >= timedelta(minutes=10)
        if full:
            self._closing_full_at = now
        keys = list(snap.tickets) if full else [k for k in snap.tickets if k in set(stale) or k not in self.table.closing]
        states = {k: closing_state(replace(snap.tickets[k], comments=self._comments.get(k, ())), domains, now,
                                   follow_up_after=after) for k in keys}
        self.table.set_closing(states)

    def _update_counts(self, snap: QueueSnapshot) -> None:
        self._membership.clear()  # Jira's word replaces what the agent's own writes predicted
        counts = {q.id: q.count for q in snap.queues}
        for i, q in enumerate(self.queues):
            count = counts.get(q.id, q.count)
            if q is self.active or (self.active and q.id == self.active.id):
                count = len(snap.tickets)
            self._set_count(i, count)

    def _set_count(self, i: int, count: int | None) -> None:
        q = self.queues[i]
        if count == q.count:
            return
        self.queues[i] = replace(q, count=count)
        if q is self.active:
            self.active = self.queues[i]
        try:
            self.query_one(f"#q-{q.id}", Tab).label = self._tab_label(self.queues[i])
        except Exception:  # noqa: BLE001 - tabs are being rebuilt
            pass

    def _count_own_write(self, before: Ticket, after: Ticket) -> None:
        """The tabs' counts follow the agent's own write at once (the next poll confirms them)."""
        from queue_tui.core.tab_counts import rest_of, still_in, was_in

        me = self.app.gateway.me  # type: ignore[attr-defined]
        me_id = me.id if me else None

        def listed(q: Queue) -> bool | None:
            known = self._membership.get((q.id, after.key))
            if known is None:
                snap = self.poller.last.get(q.id) if self.poller else None
                known = after.key in snap.tickets if snap is not None else was_in(q, before, me_id)
            return known

        # A queue that is another's JQL without the assignee clause tells whether the rest holds.
        plain = {rest_of(q): listed(q) for q in self.queues if rest_of(q) == " ".join(q.jql.lower().split()).split(" order by ")[0]}
        for i, q in enumerate(self.queues):
            if q.count is None:
                continue
            rest = plain.get(rest_of(q)) is True
            known = listed(q)
            if known is None and rest:
                known = still_in(q, before, me_id, None, rest_holds=True)
            now_in = still_in(q, after, me_id, known, rest_holds=rest)
            if known is None or now_in is None:
                continue
            self._membership[(q.id, after.key)] = now_in
            if now_in != known:
                self._set_count(i, max(0, q.count + (1 if now_in else -1)))

    @property
    def topbar(self) -> TopBar:
        return self.query_one("#topbar", TopBar)

    def update_topbar(self, fetched: datetime | None = None) -> None:
        """The header's pieces: each set by name, so a piece can change without rebuilding the rest."""
        app = self.app
        me = app.gateway.me  # type: ignore[attr-defined]
        bar = self.topbar
        bar.set("app", Text(" queue-tui ", style="bold reverse"), 10, short=Text(" q ", style="bold reverse"))
        bar.set("desk", Text(app.desk_label, style="bold"), 40)  # type: ignore[attr-defined]
        bar.set("me", me.name if me else None, 20)
        if fetched is None and self._cached is not None and self.active is not None:
            fetched = self._cached.snapshots[self.active.id].fetched_at if self.active.id in self._cached.snapshots else None
        if fetched and self._cached is not None:
            hm = fetched.astimezone().strftime("%H:%M")
            bar.set("state", Text(f"from {hm}, refreshing", style="bold yellow"), 90,
                    short=Text(f"{hm}, refreshing", style="bold yellow"))
        elif fetched:
            hms = fetched.astimezone().strftime("%H:%M:%S")
            bar.set("state", Text(f"updated {hms}", style="dim"), 60, short=Text(hms, style="dim"))
        elif self.poller is None:
            bar.set("state", Text("connecting…", style="bold"), 90)
        bar.set("sort", Text(f"sort: {self.table.sort_name}", style="dim"), 30)
        needle = self.table.needle
        bar.set("filter", Text(f"filter: {needle}", style="bold yellow") if needle else None, 100,
                short=Text(f"/{needle}", style="bold yellow"))
        self.update_glance()

    def update_glance(self) -> None:
        """Counts per stage and the breach horizon of the current tab, from the rows' own stage function."""
        now = self.now()
        tickets = self.table.tickets.values()
        shown = self.table.row_count if self.table.needle else None
        self.query_one(GlanceBar).show(count_stages(tickets, now), breach_horizon(tickets, now), shown,
                                       self.table.palette)
        self.query_one("#nomatch", Static).display = bool(self.table.needle) and not self.table.row_count
        if self.table.needle and not self.table.row_count:
            self.query_one("#nomatch", Static).update(Text.assemble(
                "No ticket in this tab matches ", (self.table.needle, "bold"), "  (esc clears the filter)"))

    def show_stale(self, err: JiraError) -> None:
        banner = self.query_one("#stale", Static)
        since = self.poller.stale_since if self.poller and self.poller.stale_since else self.now()
        if self.poller is None and self._cached is not None and self.active is not None:
            since = self._cached.snapshots[self.active.id].fetched_at  # the queue on screen is from then
        retry_at = self.poller.retry_at if self.poller else None
        banner.update(Text(stale_text(since, f"{err.kind}: {err.short()}", retry_at), style="bold"))
        banner.display = True

    def hide_stale(self) -> None:
        self.query_one("#stale").display = False

    @property
    def stale(self) -> bool:
        return bool(self.query_one("#stale").display)

    # -- the tick --------------------------------------------------------------------------
    def tick(self) -> None:
        now = self.now()
        self.table.tick(now)
        self.raise_alerts(self.watch.due(now))
        minute = now.replace(second=0, microsecond=0)
        if self.watch.crossed:
            self.table.reorder(self.watch.crossed, now)
        # Stage counts change only when a ticket crosses a stage (the watch schedules every
        # crossing); the horizon's slots move with the minute.
        if self.watch.crossed or minute != self._glance_minute:
            self._glance_minute = minute
            self.update_glance()

    def raise_alerts(self, alerts: list[Alert]) -> None:
        """One notification per alert; several of a kind at once (a burst of breaches, a poll
        bringing many new tickets) share one notification listing their keys, and one bell."""
        if not alerts:
            return
        self.alerts.extend(alerts)
        by_kind: dict[str, list[Alert]] = {}
        for alert in alerts:
            by_kind.setdefault(alert.kind, []).append(alert)
        # The opening summary is what the glance line shows anyway: it is not repeated as a notice.
        by_kind.pop("summary", None)
        if not by_kind:
            return
        for kind, group in by_kind.items():
            severity = "error" if kind == "breached" else ("warning" if kind in ("under_30m", "unassigned") else "information")
            if len(group) == 1:
                text, title = group[0].text, _ALERT_TITLES[kind]
            else:
                keys = [a.key for a in group]
                text = ", ".join(keys[:8]) + (f" and {len(keys) - 8} more" if len(keys) > 8 else "")
                title = _ALERT_GROUP_TITLES[kind].format(n=len(group))
            self.notify(text, title=title, severity=severity, markup=False, timeout=8)
            self.desktop.send(kind, title, text)
        if self.app.config.monitor.bell:  # type: ignore[attr-defined]
            self.app.bell()

    @property
    def desktop(self) -> DesktopNotifier:
        """Alerts out to the desktop as well, per kind as [notify] says."""
        if self._desktop is None:
            from queue_tui.ui.desktop import DesktopNotifier, terminal_write

            app = self.app
            self._desktop = DesktopNotifier(app.config.notify, lambda data: terminal_write(app, data))  # type: ignore[attr-defined]
        return self._desktop

    def _changed_alerts(self, diff: Diff, tickets: dict[str, Ticket]) -> list[Alert]:
        """Tickets the agent holds that someone else changed since the last poll."""
        me = self.app.gateway.me  # type: ignore[attr-defined]
        if me is None or diff.first:
            return []
        return [Alert("changed", k, f"{k} changed: {tickets[k].summary}") for k in diff.changed
                if k in tickets and k not in self._latest and tickets[k].assignee is not None
                and tickets[k].assignee.id == me.id]  # type: ignore[union-attr]

    # -- keys ------------------------------------------------------------------------------
    def _current(self) -> Ticket | None:
        t = self.table.current_ticket()
        if t is None:
            self.notify("No ticket selected", severity="warning")
        return t

    @on(QueueTable.CursorMoved)
    def _seen(self, event: QueueTable.CursorMoved) -> None:
        if event.key is not None:
            self.table.mark_seen(event.key)
            if self.panel_open:
                if self._panel_timer is not None:
                    self._panel_timer.stop()
                self._panel_timer = self.set_timer(0.4, lambda: self.panel.show_ticket(self.table.current_ticket()))

    @on(QueueTable.TicketSelected)
    def _selected(self, event: QueueTable.TicketSelected) -> None:
        self.action_open_detail()

    def action_assign_me(self) -> None:
        if self.marked:
            self._bulk("assign_me")
            return
        t = self._current()
        if t is not None:
            self.app.assign_flow(t, None, on_done=self._confirmed)  # type: ignore[attr-defined]

    def action_assign_other(self) -> None:
        if self.marked:
            self._bulk("assign_other")
            return
        t = self._current()
        if t is not None:
            self.app.pick_assignee(t, on_done=self._confirmed)  # type: ignore[attr-defined]

    def _confirmed(self, t: Ticket) -> None:
        if t.key in self.table.tickets:
            self.table.set_ticket(t, self.now())

    def optimistic(self, t: Ticket) -> None:
        """The agent's own write (or its rollback): the row, the tab counts and the header now."""
        before = self._latest.get(t.key) or self.table.tickets.get(t.key) or next(
            (s.tickets[t.key] for s in (self.poller.last.values() if self.poller else ()) if t.key in s.tickets), None)
        self._latest[t.key] = t
        if before is not None:
            self._count_own_write(before, t)
        if t.key in self.table.tickets:
            self.table.set_ticket(t, self.now())
        self.update_glance()

    # -- marks: one action on several tickets ---------------------------------------------------
    def _bulk(self, what: str) -> None:
        from queue_tui.ui.flows.bulk import start

        start(self, what)

    def _show_marks(self) -> None:
        self.table.set_marked(self.marked)
        n = len(self.marked)
        self.topbar.set("marks", Text(f"{n} marked: x a A t C act on all, u clears", style="bold magenta") if n else None,
                        95, short=Text(f"{n} marked", style="bold magenta"))

    def action_toggle_mark(self) -> None:
        key = self.table.current_key()
        if key is None:
            return
        self.marked ^= {key}
        self._show_marks()
        self.table.action_cursor_down()

    def action_mark_shown(self) -> None:
        """Mark every row shown (after a filter: all that match it)."""
        shown = set(self.table.ordered_keys)
        self.marked = set() if shown <= self.marked else self.marked | shown
        self._show_marks()

    def clear_marks(self) -> None:
        if self.marked:
            self.marked = set()
            self._show_marks()

    def action_clear_marks(self) -> None:
        self.clear_marks()

    def action_team_view(self) -> None:
        """Who holds what across the desk's open tickets (what the tabs polled shows at once)."""
        from queue_tui.ui.screens.team import TeamScreen

        seed: dict[str, Ticket] = {}
        for snap in (self.poller.last.values() if self.poller else ()):
            seed.update(snap.tickets)
        project = self.app.desk_project  # type: ignore[attr-defined]
        self.app.push_screen(TeamScreen(seed, f'project = "{project}" AND resolution = Unresolved ORDER BY created ASC'))

    def action_take_next(self) -> None:
        from queue_tui.ui.flows.take_next import take_next

        take_next(self)

    def show_taken(self, t: Ticket) -> None:
        """A ticket just taken: the cursor on it and its SOP panel open (or its detail, when this tab
        does not list it)."""
        if t.key not in self.table.tickets:
            from queue_tui.ui.screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(t))
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
        if panel.display:
            self.call_after_refresh(panel.show_ticket, self.table.current_ticket())
            self.call_after_refresh(panel.focus_steps)  # up/down walk the steps, space ticks, esc back to the queue
        else:
            self.table.focus()

    def action_panel_apply_all(self) -> None:
        if not self.panel_open:
            self.notify("Open the SOP panel first (p)", timeout=3)
            return
        self.panel.action_apply_all()

    def action_panel_fix(self) -> None:
        if self.panel_open:
            self.panel.action_fix_step()

    def action_panel_apply_step(self) -> None:
        if self.panel_open:
            self.panel.action_apply_step()

    def action_ready_to_close(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.value = "is:ready"
        self.table.focus()

    def action_close_ticket(self) -> None:
        if self.marked:
            self._bulk("close")
            return
        t = self._current()
        if t is not None:
            state = self.table.closing.get(t.key)
            self.app.close_ticket(t, state.reason if state and state.ready else "")  # type: ignore[attr-defined]

    def action_request_type(self) -> None:
        if self.marked:
            self._bulk("request_type")
            return
        t = self._current()
        if t is not None:
            self.app.pick_request_type(t)  # type: ignore[attr-defined]

    def action_reply(self) -> None:
        t = self._current()
        if t is not None:
            self.app.compose_reply(t)  # type: ignore[attr-defined]

    def action_non_platform(self) -> None:
        if self.marked:
            self._bulk("non_platform")
            return
        t = self._current()
        if t is not None:
            self.app.non_platform(t)  # type: ignore[attr-defined]

    def action_create_cs(self) -> None:
        t = self._current()
        if t is not None:
            self.app.cs_flow(t)  # type: ignore[attr-defined]

    def action_open_detail(self) -> None:
        t = self._current()
        if t is not None:
            from queue_tui.ui.screens.detail import DetailScreen

            self.table.mark_seen(t.key)
            self.app.push_screen(DetailScreen(t))

    def action_open_browser(self) -> None:
        t = self._current()
        if t is not None:
            self.app.open_ticket(t.key)  # type: ignore[attr-defined]

    def action_refresh(self) -> None:
        if self.poller is None:
            self.connect()
            return
        self.start_poll()

    @property
    def filtering(self) -> bool:
        return bool(self.query_one("#filter", Input).display)

    def action_switch_focus(self) -> None:
        """With the SOP panel open, tab moves the keys between the queue and the panel."""
        if not self.panel_open:
            self.focus_next()
        elif self.table.has_focus:
            self.panel.focus_steps()
        else:
            self.table.focus()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.refilter(event.value.strip(), self.now())
        self.update_topbar()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.table.focus()
        if not event.value.strip():
            event.input.display = False

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.table.refilter("", self.now())
            self.table.focus()
            self.update_topbar()

    def action_cycle_sort(self) -> None:
        names = list(SORTS)
        self.table.sort_name = names[(names.index(self.table.sort_name) + 1) % len(names)]
        self.table.resort(self.now())
        self.update_topbar()
        self.notify(f"Sorted by {SORTS[self.table.sort_name]}", timeout=2)

    def action_next_tab(self) -> None:
        self.query_one(Tabs).action_next_tab()

    def action_prev_tab(self) -> None:
        self.query_one(Tabs).action_previous_tab()

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or event.tab.id is None:
            return
        qid = event.tab.id.removeprefix("q-")
        hit = next((q for q in self.queues if q.id == qid), None)
        if hit is None or (self.active is not None and hit.id == self.active.id):
            return
        self.active = hit
        cached = self.poller.last.get(hit.id) if self.poller else None
        self.clear_marks()
        self.table.clear()
        self.table.flags.clear()
        if cached is not None:
            self.table.sync(cached.tickets, Diff(first=True), self.now())
        self.table.focus()
        self.start_poll()
