"""The desk's queues as the queue screen shows them: which queue is on screen, its poller, and the
queue kept from the last run, painted at start until Jira answers.

Nothing here draws: the queue screen asks, and paints what it is told. The cache is only trusted
for the account and desk it was saved for; when Jira says otherwise it goes, at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from queue_tui.core.alerts import Alert
from queue_tui.core.models import Queue, Ticket
from queue_tui.core.snapshot import Diff, QueueSnapshot
from queue_tui.service.desk import Desk
from queue_tui.service.gateway import Gateway
from queue_tui.service.poller import Poller, PollOutcome
from queue_tui.service.snapshot_cache import CachedDesk, SnapshotCache


@dataclass(frozen=True)
class Connected:
    """What changed on screen when Jira answered: `drop` the painted cache (another account or
    desk), `paint` the cache just read (Data Center: the account is known only now), new `tabs`."""

    drop: bool
    paint: bool
    tabs: bool


class QueueFeed:
    def __init__(self, gateway: Gateway, cache: SnapshotCache, clock: Callable[[], datetime],
                 reconcile_every: timedelta, desk_label: str = "") -> None:
        self.gateway = gateway
        self.cache = cache
        self.clock = clock
        self.reconcile_every = reconcile_every
        self.queues: list[Queue] = []
        self.active: Queue | None = None
        self.poller: Poller | None = None
        self.cached: CachedDesk | None = None  # painted at start, until the first poll replaces it
        self.desk_label = desk_label
        self.polls = 0
        self._polling = False
        self.latest: dict[str, Ticket] = {}  # the agent's own writes, until a poll brings them
        self._membership: dict[tuple[str, str], bool] = {}  # (queue, key) -> in it, as own writes left it
        self._own_counts: dict[str, tuple[int | None, int | None]] = {}  # queue -> (Jira's count, after own writes)

    # -- the queue kept from the last run ------------------------------------------------------
    def load_cache(self, account_id: str | None) -> str:
        """Read the cache of `account_id` (the one remembered, before Jira answered); returns a
        problem to tell the agent (a file set aside), or ""."""
        if not account_id:
            return ""
        cached, problem = self.cache.load(account_id)
        if cached is None or cached.active not in cached.snapshots:
            return problem
        self.cached = cached
        self.queues = list(cached.queues)
        self.active = next((q for q in self.queues if q.id == cached.active), None)
        self.desk_label = cached.desk_label
        return problem

    def cached_snapshot(self) -> QueueSnapshot | None:
        """The painted snapshot of the queue on screen, while it is still the cache's."""
        if self.cached is None or self.active is None:
            return None
        return self.cached.snapshots.get(self.active.id)

    def connected(self, desk: Desk, painted: bool) -> tuple[Connected, str]:
        """Jira answered with `desk`: drop or read the cache as the account says, make the poller
        (seeded with the cache: the first poll applies what changed since), keep the queue on screen
        when the desk still has it. `painted`: rows are on screen. Returns what to redraw and a
        problem to tell, or ""."""
        me = self.gateway.me
        drop = self.cached is not None and (me is None or me.id != self.cached.account_id or desk.id != self.cached.desk_id)
        if drop:
            self.cached = None
            painted = False
        paint, problem = False, ""
        if self.cached is None and me is not None and not painted:
            # Without a login to find it by before Jira answered (Data Center), the cache is read now.
            problem = self.load_cache(me.id)
            paint = self.cached is not None and self.cached.desk_id == desk.id
            if not paint:
                self.cached = None
        shown = [(q.id, q.name) for q in self.queues]
        keep = self.active.id if self.active is not None and self.cached is not None else None
        self.queues = list(desk.queues)
        self.desk_label = desk.label
        self.poller = Poller(self.gateway, desk.id, self.clock, project=desk.project, reconcile_every=self.reconcile_every)
        for snap in (self.cached.snapshots.values() if self.cached is not None else ()):
            if any(q.id == snap.queue_id for q in self.queues):
                self.poller.seed(snap)
        self.active = next((q for q in self.queues if q.id == keep), self.queues[0] if self.queues else None)
        return Connected(drop, paint, [(q.id, q.name) for q in self.queues] != shown), problem

    # -- polls ------------------------------------------------------------------------------------
    async def poll(self) -> tuple[Queue, PollOutcome] | None:
        """One poll of the queue on screen; None when there is nothing to poll or one is under way."""
        if self.poller is None or self.active is None or self._polling:
            return None
        self._polling = True
        try:
            queue = self.active
            outcome = await self.poller.poll(queue)
        finally:
            self._polling = False
        self.polls += 1
        return queue, outcome

    def delay(self, every: float) -> float:
        """Seconds to the next poll: the configured interval, or longer when Jira asked to wait."""
        retry_at = self.poller.retry_at if self.poller else None
        return max(every, (retry_at - self.clock()).total_seconds()) if retry_at is not None else every

    def taking_over(self, snap: QueueSnapshot) -> bool:
        """The first poll replaces the painted cache: True when it was this queue's (the alerts
        then start afresh, as at any start, rather than telling of everything that happened since)."""
        fresh = self.cached is not None and self.cached.active == snap.queue_id
        self.cached = None
        return fresh

    def counted(self, snap: QueueSnapshot) -> list[Queue]:
        """Take the ticket counts a poll brought (Jira's word replaces what the agent's own writes
        predicted); returns the queues whose count changed."""
        self.latest.clear()
        self._membership.clear()
        counts = {q.id: q.count for q in snap.queues}
        changed = []
        for i, q in enumerate(self.queues):
            count = counts.get(q.id, q.count)
            if self.active is not None and q.id == self.active.id:
                count = len(snap.tickets)
                self._own_counts.pop(q.id, None)
            elif q.id in self._own_counts:
                # Another tab's count is re-read only every few minutes: until Jira's figure moves
                # from the one the agent's own writes started from, those writes still stand.
                base, own = self._own_counts[q.id]
                if count == base:
                    count = own
                else:
                    del self._own_counts[q.id]
            if self._set_count(i, count):
                changed.append(self.queues[i])
        return changed

    def stale_counts(self, now: datetime, fresh: timedelta) -> set[str]:
        """The queues, other than the one on screen, whose count Jira gave longer ago than `fresh`:
        their counts are re-read on the reconcile cadence only, and may be behind until then."""
        at = self.poller.counts_at if self.poller is not None else None
        return {q.id for q in self.queues
                if (self.active is None or q.id != self.active.id) and (at is None or now - at > fresh)}

    def _set_count(self, i: int, count: int | None) -> bool:
        q = self.queues[i]
        if count == q.count:
            return False
        self.queues[i] = replace(q, count=count)
        if self.active is not None and q.id == self.active.id:
            self.active = self.queues[i]
        return True

    def own_write(self, after: Ticket, shown: Ticket | None) -> list[Queue]:
        """The agent's own write (or its rollback): the tabs' counts follow it at once (the next
        poll confirms them). `shown`: the ticket as on screen. Returns the queues whose count changed."""
        before = self.latest.get(after.key) or shown or next(
            (s.tickets[after.key] for s in (self.poller.last.values() if self.poller else ()) if after.key in s.tickets), None)
        self.latest[after.key] = after
        if before is None:
            return []
        from queue_tui.core.tab_counts import rest_of, still_in, was_in

        me_id = self.gateway.me.id if self.gateway.me else None

        def listed(q: Queue) -> bool | None:
            known = self._membership.get((q.id, after.key))
            if known is None:
                snap = self.poller.last.get(q.id) if self.poller else None
                known = after.key in snap.tickets if snap is not None else was_in(q, before, me_id)
            return known

        # A queue that is another's JQL without the assignee clause tells whether the rest holds.
        plain = {rest_of(q): listed(q) for q in self.queues if rest_of(q) == " ".join(q.jql.lower().split()).split(" order by ")[0]}
        changed = []
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
                base = self._own_counts.get(q.id, (q.count, q.count))[0]
                if self._set_count(i, max(0, q.count + (1 if now_in else -1))):
                    changed.append(self.queues[i])
                self._own_counts[q.id] = (base, self.queues[i].count)
        return changed

    def changed_for_me(self, diff: Diff, tickets: dict[str, Ticket]) -> list[Alert]:
        """Tickets the agent holds that someone else changed since the last poll (not their own writes)."""
        me = self.gateway.me
        if me is None or diff.first:
            return []
        return [Alert("changed", k, f"{k} changed: {tickets[k].summary}") for k in diff.changed
                if k in tickets and k not in self.latest and (a := tickets[k].assignee) is not None and a.id == me.id]

    def switch(self, queue_id: str) -> QueueSnapshot | None | bool:
        """Put another queue on screen; returns its last snapshot (None: not polled yet), or False
        when it is no queue of the desk or already on screen."""
        hit = next((q for q in self.queues if q.id == queue_id), None)
        if hit is None or (self.active is not None and hit.id == self.active.id):
            return False
        self.active = hit
        return self.poller.last.get(hit.id) if self.poller else None

    async def save_cache(self, now: datetime) -> None:
        """Keep the queues as polled for the next start (OSError passes through)."""
        me = self.gateway.me
        if self.poller is None or me is None or self.active is None or self.active.id not in self.poller.last:
            return
        desk = CachedDesk(now, me.id, self.poller.desk_id or "", self.desk_label, tuple(self.queues), self.active.id,
                          dict(self.poller.last))
        await asyncio.to_thread(self.cache.save, desk)
