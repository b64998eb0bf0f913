"""One poll of one queue: ask Jira what changed, apply it to the last snapshot, track staleness.

Three kinds of poll, cheapest first:
- delta (every poll): the desk's tickets updated lately, key, id and `updated` only (one small
  request when nothing changed); for those not held in that version, the queue's own JQL
  narrowed to their keys, so Jira says which are in the queue: a ticket resolved, moved or
  reassigned out of it leaves at that poll, whatever the queue's JQL. The window reaches back
  to the last poll plus an overlap, by Jira's clock (relative JQL dates), which covers clock
  skew and search's eventual consistency; tickets this app just wrote are named to Jira for
  reconciling.
- reconcile (on its own slower cadence, and after a failed poll): a delta poll that also asks
  for every key the queue matches (keys only: one request per 5,000 on Cloud), and for the
  queue counts. It catches what no `updated` shows: deleted tickets, tickets moved to another
  project, queues whose JQL depends on time.
- full (the first poll of a queue, or when more changed than a delta should carry, e.g. after
  a long sleep): the whole queue, every field.

The screen runs `poll` in a worker and schedules the next one only when this one finished,
so polls never overlap. A failed poll keeps the last snapshot and says since when the data
is stale and why; the next good poll clears it.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from queue_tui.core.models import Queue, Ticket
from queue_tui.core.snapshot import Diff, QueueSnapshot, apply_changes, diff
from queue_tui.service.errors import JiraError, RateLimitedError, UnavailableError
from queue_tui.service.gateway import Gateway
from queue_tui.service.jql import projects_clause
from queue_tui.service.poll_reads import POLL_THREAD, Change

OVERLAP = timedelta(seconds=60)  # longer than Jira's search index lags behind a write
RECONCILE_EVERY = timedelta(minutes=10)
# A poll that has not finished by then failed: every request has its own deadline, but a poll is
# many requests (and may wait out a rate limit); without one for the whole, a poll stuck anywhere
# would hold every later poll back while the screen went on showing old data as current.
POLL_DEADLINE = 600.0
COUNTS_EVERY = timedelta(minutes=5)  # other queues' counts, when the desk changed meanwhile
MAX_CHANGED = 300  # more changed tickets than this: fetching the whole queue is as cheap
MAX_LINKED_PROJECTS = 10
KEEP_OUTSIDE = 4  # polls a judged version is remembered after Jira last reported it


@dataclass(frozen=True)
class PollOutcome:
    snapshot: QueueSnapshot | None
    diff: Diff | None
    error: JiraError | None = None


@dataclass
class _Window:
    """What a queue's next delta poll needs from the last good poll of that queue."""

    asked_at: datetime  # when the last poll's first request went out (this computer's clock)
    reconciled_at: datetime  # when the last full or reconciling poll started
    # Tickets Jira reported as changed lately that are not in the queue, in the version judged,
    # with the number of the poll that last reported it: the same version reported again by a
    # later window (they overlap) is not asked about again.
    outside: dict[str, tuple[Change, int]] = field(default_factory=dict)
    polls: int = 0
    reconcile_due: bool = False  # a poll failed since


class Poller:
    def __init__(self, gateway: Gateway, desk_id: str | None, clock: Callable[[], datetime], *,
                 project: str = "", reconcile_every: timedelta = RECONCILE_EVERY, overlap: timedelta = OVERLAP,
                 deadline: float = POLL_DEADLINE) -> None:
        self.gateway = gateway
        self.deadline = deadline
        self.desk_id = desk_id
        self.clock = clock
        self.project = project  # the desk's project key; without it every poll is a full one
        self.reconcile_every = reconcile_every
        self.overlap = overlap
        self.last: dict[str, QueueSnapshot] = {}
        self._windows: dict[str, _Window] = {}
        self._linked: set[str] = set()  # projects of tickets linked from any queue polled so far
        self._counts_at: datetime | None = None
        self.stale_since: datetime | None = None
        self.error: JiraError | None = None

    @property
    def retry_at(self) -> datetime | None:
        return self.error.retry_at if isinstance(self.error, RateLimitedError) else None

    def reason(self) -> str:
        if self.error is None:
            return ""
        return f"{self.error.kind}: {self.error.short()}"

    def seed(self, snap: QueueSnapshot) -> None:
        """A snapshot from before (the cache): the next poll diffs against it, after a full fetch."""
        self.last[snap.queue_id] = snap
        self._windows.pop(snap.queue_id, None)

    def next_kind(self, queue: Queue) -> str:
        """What the next poll of `queue` will be: full, reconcile or delta."""
        window = self._windows.get(queue.id)
        now = self.clock()
        if window is None or not self.project or queue.id not in self.last:
            return "full"
        if window.reconcile_due or now - window.reconciled_at >= self.reconcile_every:
            return "reconcile"
        return "delta"

    async def poll(self, queue: Queue) -> PollOutcome:
        started = self.clock()
        kind = self.next_kind(queue)
        try:
            try:
                async with asyncio.timeout(self.deadline):
                    outcome = None
                    if kind != "full":
                        outcome = await self._delta(queue, self._windows[queue.id], started, kind == "reconcile")
                    snap, d = outcome if outcome is not None else await self._full(queue, started)
            except TimeoutError:
                raise UnavailableError(f"a poll did not finish within {self.deadline:.0f} s; trying again") from None
        except JiraError as exc:
            if self.stale_since is None:
                prev = self.last.get(queue.id)
                self.stale_since = prev.fetched_at if prev else self.clock()
            self.error = exc
            for window in self._windows.values():
                window.reconcile_due = True  # what the failed poll would have seen, the next one checks whole
            return PollOutcome(None, None, exc)
        self.last[queue.id] = snap
        self.stale_since = None
        self.error = None
        return PollOutcome(snap, d)

    # -- helpers ---------------------------------------------------------------------------
    def _minutes(self, since: datetime, now: datetime) -> int:
        return max(1, math.ceil(((now - since) + self.overlap).total_seconds() / 60))

    def _scope(self, snap: QueueSnapshot | None) -> str:
        """The desk's project, and the projects of tickets linked from the queues: a linked ticket's
        new status shows on the queue's row without the queue's own ticket being updated."""
        if snap is not None:
            self._linked |= {lk.project for t in snap.tickets.values() for lk in t.links}
        linked = sorted(self._linked - {self.project})
        return projects_clause([self.project, *linked[:MAX_LINKED_PROJECTS]])

    def _reconcile_ids(self, since: datetime, snap: QueueSnapshot | None, window: _Window | None) -> list[str]:
        """Ids of tickets this app wrote to lately, for Jira to reconcile with its search index."""
        ids = []
        for key in self.gateway.written_since(since - self.overlap):
            t = snap.tickets.get(key) if snap else None
            seen = window.outside.get(key) if window else None
            ident = t.id if t is not None else (seen[0].id if seen is not None else "")
            if ident:
                ids.append(ident)
        return ids

    async def _counts(self, now: datetime, old: tuple[Queue, ...], due: bool) -> tuple[Queue, ...]:
        if not self.desk_id or not (due or self._counts_at is None or now - self._counts_at >= COUNTS_EVERY):
            return old
        self._counts_at = now
        return tuple(await self.gateway.queues(self.desk_id, include_count=True))

    @property
    def counts_at(self) -> datetime | None:
        """When Jira last gave the desk's queue counts (None: not yet): the counts of the queues
        not polled are as of then."""
        return self._counts_at

    # -- the kinds of poll -------------------------------------------------------------------
    async def _full(self, queue: Queue, started: datetime) -> tuple[QueueSnapshot, Diff]:
        gw = self.gateway
        before = gw.requests_sent
        old = self.last.get(queue.id)
        changes: list[Change] = []
        if self.project:
            # Asked first, so that the next delta poll knows which recent versions of tickets
            # outside the queue this fetch has already judged; it reaches back as far as the
            # next delta poll's window will (a minute rounded up).
            changes = await gw.changed_since(self._scope(old), self._minutes(started - timedelta(minutes=1), started),
                                             self._reconcile_ids(started, old, self._windows.get(queue.id)),
                                             MAX_CHANGED)
        fetched = await gw.snapshot(queue, self.desk_id)
        self._counts_at = started if fetched.queues else self._counts_at
        snap = QueueSnapshot(queue.id, fetched.tickets, fetched.fetched_at, fetched.queues,
                             gw.requests_sent - before, "full")
        self._windows[queue.id] = _Window(started, started, {c.key: (c, 0) for c in changes if c.key not in snap.tickets})
        # Comparing every ticket of a big queue takes a frame or more: not on the event loop.
        return snap, await asyncio.get_running_loop().run_in_executor(POLL_THREAD, diff, old, snap)

    async def _delta(self, queue: Queue, window: _Window, started: datetime,
                     reconcile: bool) -> tuple[QueueSnapshot, Diff] | None:
        """What changed since the last poll (and, reconciling, which keys the queue holds now),
        applied to its snapshot; None when so much changed that a full poll is the cheaper way."""
        gw = self.gateway
        before = gw.requests_sent
        old = self.last[queue.id]
        ids = self._reconcile_ids(window.asked_at, old, window)
        members = set(await gw.queue_keys(queue.jql, ids)) if reconcile else None
        changes = await gw.changed_since(self._scope(old), self._minutes(window.asked_at, started), ids, MAX_CHANGED)
        if len(changes) > MAX_CHANGED:
            return None
        n = window.polls + 1
        ask: dict[str, Change | None] = {}
        outside = {k: v for k, v in window.outside.items() if n - v[1] <= KEEP_OUTSIDE}
        linking: dict[str, list[str]] | None = None
        for c in changes:
            have = old.tickets.get(c.key)
            if have is not None:
                if have.updated != c.updated:
                    ask[c.key] = c
            elif c.key in outside and outside[c.key][0] == c and (members is None or c.key not in members):
                outside[c.key] = (c, n)
            elif c.project == self.project:
                ask[c.key] = c
            else:  # a ticket of another project changed: re-read the queue's tickets linked to it
                linking = linking if linking is not None else _linking(old.tickets)
                for key in linking.get(c.key, ()):
                    ask.setdefault(key, None)
                outside[c.key] = (c, n)
        gone: list[str] = []
        if members is not None:
            # Joined without a visible update (a queue by time, an index that caught up) or
            # left without one (deleted, moved to another project).
            ask.update({k: None for k in members if k not in old.tickets and k not in ask})
            gone = [k for k in old.tickets if k not in members and k not in ask]
        if len(ask) > MAX_CHANGED:
            return None
        fresh: list[Ticket] = await gw.queue_tickets(queue.jql, sorted(ask), ids) if ask else []
        desk_changed = any(k.rsplit("-", 1)[0] == self.project for k in ask)
        queues = await self._counts(started, old.queues, reconcile) if desk_changed or reconcile else old.queues
        got = {t.key for t in fresh}
        outside.update({k: (c, n) for k, c in ask.items() if k not in got and c is not None})
        gone += [k for k in ask if k not in got]
        snap, d = apply_changes(old, fresh, gone, self.clock(), queues, gw.requests_sent - before,
                                "reconcile" if reconcile else "delta")
        self._windows[queue.id] = _Window(started, started if reconcile else window.reconciled_at, outside, n)
        return snap, d


def _linking(tickets: dict[str, Ticket]) -> dict[str, list[str]]:
    """Linked ticket key -> the queue's tickets that link to it."""
    out: dict[str, list[str]] = {}
    for t in tickets.values():
        for lk in t.links:
            out.setdefault(lk.key, []).append(t.key)
    return out
