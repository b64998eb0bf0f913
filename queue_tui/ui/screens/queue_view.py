"""The live queue: tabs per queue, the table, the top bar, the stale banner and the alerts.

Polls run in a worker and the next one is scheduled only when the last finished (never
overlapping). A one-second timer ticks the countdowns of the visible rows and fires the alerts
that have come due; it does no IO. The queue kept from the last run is painted at start, until
the first poll replaces it. The agent's keys are added by the queue screen (`queue.py`).
"""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static, Tabs

from queue_tui import startup
from queue_tui.core.alerts import Alert, Watch
from queue_tui.core.snapshot import Diff, QueueSnapshot
from queue_tui.service.closing_watch import ClosingWatch
from queue_tui.service.errors import JiraError
from queue_tui.service.queue_feed import QueueFeed
from queue_tui.ui.access import queue_app
from queue_tui.ui.alert_notices import AlertNotices
from queue_tui.ui.messages import TicketChanged
from queue_tui.ui.widgets.filter_box import FilterBox
from queue_tui.ui.widgets.footer import KeyLine
from queue_tui.ui.widgets.glance import GlanceBar
from queue_tui.ui.widgets.notices import NoticeLine
from queue_tui.ui.widgets.queue_header import NoMatch, show_header
from queue_tui.ui.widgets.queue_table import QueueTable
from queue_tui.ui.widgets.queue_tabs import QueueTabs, queue_id
from queue_tui.ui.widgets.stale_banner import StaleBanner
from queue_tui.ui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp


class QueueView(Screen[None]):
    AUTO_FOCUS = "#table"

    def __init__(self) -> None:
        super().__init__()
        s, cfg = self.qapp.services, self.qapp.config
        self.feed = QueueFeed(s.gateway, s.snapshot_cache, self.qapp.clock,
                              timedelta(minutes=cfg.monitor.reconcile_minutes), s.desk_label)
        self.closing = ClosingWatch(s.gateway, cfg.monitor.staff_domains, timedelta(hours=cfg.monitor.follow_up_hours),
                                    cfg.cs.project, cfg.request_type_aliases, cfg.monitor.dev_projects,
                                    cfg.monitor.low_priorities)
        self.watch = Watch()
        self.alerts: list[Alert] = []
        self.alerting = AlertNotices(self.qapp)
        self._poll_timer: Timer | None = None

    @property
    def qapp(self) -> QueueApp:
        return queue_app(self)

    def compose(self) -> ComposeResult:
        problem = self.feed.load_cache(self.qapp.services.snapshot_cache.remembered_account())
        if problem:
            self.notify(problem, severity="warning", markup=False, timeout=10)
        yield TopBar(id="topbar")
        yield GlanceBar(id="glance")
        yield StaleBanner(id="stale")
        yield QueueTabs(self.feed.queues, self.feed.active, id="tabs")
        yield Static("", id="panel-ticket")  # the ticket's one line above a full-width SOP panel
        yield NoMatch(id="nomatch")
        yield QueueTable(id="table")
        yield FilterBox(id="filter")
        yield NoticeLine(self.qapp.notices, id="notices")
        yield KeyLine()

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    @property
    def stale(self) -> bool:
        return self.query_one(StaleBanner).shown

    def now(self) -> datetime:
        return self.qapp.clock()

    def on_mount(self) -> None:
        cfg = self.qapp.config
        self.table.priority = cfg.priority_rule()
        self.update_topbar()
        self.watch.unassigned_after = timedelta(minutes=cfg.monitor.unassigned_alert_minutes)
        if self.qapp.auto_tick:
            self.set_interval(1.0, self.tick, name="sla-tick")
        cached = self.feed.cached_snapshot()
        if cached is not None:
            self._paint(cached)
        # After the first frame: the queue (cached, or the "connecting" line) is on screen before
        # the first poll's requests and parsing compete with painting it.
        self.call_after_refresh(startup.resume)
        self.call_after_refresh(self.connect)

    # -- connecting and polling ------------------------------------------------------------
    def _paint(self, snap: QueueSnapshot) -> None:
        """The queue as kept from the last run, until the first poll replaces it."""
        self.table.me_id = self.feed.cached.account_id if self.feed.cached else None
        self.table.sync(snap.tickets, Diff(first=True), self.now())
        self.update_topbar(snap.fetched_at)

    @work(exclusive=True, group="connect", exit_on_error=False, description="connect")
    async def connect(self) -> None:
        try:
            desk = await self.qapp.services.connect()
        except JiraError as exc:
            self.show_stale(exc)
            self.query_one(TopBar).set("state", Text(f"could not connect: {exc.short()}", style="bold red"), 90)
            self._poll_timer = self.set_timer(self.qapp.config.monitor.poll_seconds, self.connect)
            return
        changed, problem = self.feed.connected(desk, painted=bool(self.table.row_count))
        if problem:
            self.notify(problem, severity="warning", markup=False, timeout=10)
        if changed.drop:
            self.table.clear()
            self.table.flags.clear()
        cached = self.feed.cached_snapshot()
        if changed.paint and cached is not None:
            self._paint(cached)
        if changed.tabs:
            await self.query_one(QueueTabs).show(self.feed.queues, self.feed.active)
        self.update_topbar()
        await self.poll_now()

    async def poll_now(self) -> None:
        """One poll of the active queue, applied to the table. Tests await this directly."""
        polled = await self.feed.poll()
        if polled is None:
            return
        queue, outcome = polled
        if outcome.error is not None:
            self.show_stale(outcome.error)
        elif outcome.snapshot is not None and queue is self.feed.active:
            was_cached = self.feed.cached is not None
            self.apply(outcome.snapshot, outcome.diff)
            if outcome.diff is not None and (outcome.diff.first or not outcome.diff.empty or was_cached):
                self.save_cache()
        self.schedule_next()

    def schedule_next(self) -> None:
        if self._poll_timer is not None:
            self._poll_timer.stop()
        if self.qapp.auto_poll:
            self._poll_timer = self.set_timer(self.feed.delay(self.qapp.config.monitor.poll_seconds), self.start_poll)

    def start_poll(self) -> None:
        self.run_worker(self.poll_now, exclusive=True, group="poll", exit_on_error=False)

    def apply(self, snap: QueueSnapshot, diff: Diff | None) -> None:
        assert diff is not None
        now = self.now()
        self.query_one(StaleBanner).hide()
        me = self.qapp.services.gateway.me
        self.table.me_id = me.id if me else None
        self.table.sync(snap.tickets, diff, now)
        fresh_start = self.feed.taking_over(snap)
        self.raise_alerts(self.watch.on_poll(replace(diff, first=True) if fresh_start else diff, snap.tickets, now)
                          + ([] if fresh_start else self.feed.changed_for_me(diff, snap.tickets)))
        if self.watch.crossed:  # crossings that came due with this poll move their tickets too
            self.table.reorder(self.watch.crossed, now)
        self.feed.counted(snap)
        self.recount_tabs()
        if snap.kind == "full":
            # What a full poll built lives as long as the queue does: the collector need not walk
            # it again (at 5,000 tickets some 400,000 objects, a third of a second a full
            # collection, holding up the screen whichever thread triggers it).
            gc.freeze()
        self.update_topbar(snap.fetched_at)
        self.refresh_closing(snap)
        self.polled(diff)

    # A fixed description: Textual would otherwise build one from repr() of the whole snapshot.
    @work(exclusive=True, group="closing", exit_on_error=False, description="closing rules")
    async def refresh_closing(self, snap: QueueSnapshot) -> None:
        try:
            self.table.set_closing(await self.closing.states(snap, self.now(), set(self.table.closing)))
        except JiraError:
            return  # the next poll tries again; the marks on screen stay as they were

    @work(exclusive=True, group="cache", exit_on_error=False, description="keep the queue for the next start")
    async def save_cache(self) -> None:
        try:
            await self.feed.save_cache(self.now())
        except OSError as exc:
            self.notify(f"Could not keep the queue for the next start: {exc.strerror or exc}", severity="warning",
                        markup=False)

    def update_topbar(self, fetched: datetime | None = None) -> None:
        me = self.qapp.services.gateway.me
        cached = self.feed.cached_snapshot()
        if fetched is None and cached is not None:
            fetched = cached.fetched_at
        show_header(self.query_one(TopBar), desk=self.feed.desk_label, me=me.name if me else "", fetched=fetched,
                    from_cache=self.feed.cached is not None, connecting=self.feed.poller is None,
                    sort=self.table.sort_name, needle=self.table.needle)
        self.update_glance()

    def update_glance(self) -> None:
        """Counts per stage and the breach horizon of the current tab, as the rows' stages read at
        `now` (kept per ticket by the table's stage index: O(log n), however big the tab)."""
        now, needle, stages = self.now(), self.table.needle, self.table.stages
        self.query_one(GlanceBar).show(stages.counts(now), stages.horizon(now),
                                       self.table.row_count if needle else None, self.table.palette)
        self.query_one(NoMatch).show(needle, self.table.row_count)

    def recount_tabs(self) -> None:
        """Every tab's count as known now; those of other queues dimmed once older than two polls."""
        fresh = timedelta(seconds=2 * self.qapp.config.monitor.poll_seconds)
        self.query_one(QueueTabs).recount(self.feed.queues, self.feed.stale_counts(self.now(), fresh))

    def show_stale(self, err: JiraError) -> None:
        poller = self.feed.poller
        since = poller.stale_since if poller and poller.stale_since else self.now()
        cached = self.feed.cached_snapshot()
        if poller is None and cached is not None:
            since = cached.fetched_at  # the queue on screen is from then
        self.query_one(StaleBanner).show(err, since, poller.retry_at if poller else None)

    # -- the tick --------------------------------------------------------------------------
    def tick(self) -> None:
        now = self.now()
        self.table.tick(now)
        self.raise_alerts(self.watch.due(now))
        if self.watch.crossed:
            self.table.reorder(self.watch.crossed, now)
        # Every second: a ticket enters a horizon slot at its own second, and the index answers in
        # O(log n); the line is redrawn only when it reads differently.
        self.update_glance()

    def raise_alerts(self, alerts: list[Alert]) -> None:
        self.alerts.extend(alerts)
        self.alerting.show(alerts)

    # -- what flows changed ----------------------------------------------------------------
    def polled(self, diff: Diff) -> None:
        """A poll was applied to the table (for what the screen shows beside it)."""

    def on_ticket_changed(self, message: TicketChanged) -> None:
        """The agent's own write (or its rollback): the row, the tab counts and the header now."""
        t = message.ticket
        self.feed.own_write(t, self.table.tickets.get(t.key))
        self.recount_tabs()
        if t.key in self.table.tickets:
            self.table.set_ticket(t, self.now())
        self.update_glance()

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        qid = queue_id(event.tab) if event.tab is not None else None
        last = self.feed.switch(qid) if qid else False
        if last is False:
            return
        self.table.clear()
        self.table.flags.clear()
        if isinstance(last, QueueSnapshot):
            self.table.sync(last.tickets, Diff(first=True), self.now())
        self.recount_tabs()  # the tab left is now one whose count may be behind
        self.table.focus()
        self.start_poll()
