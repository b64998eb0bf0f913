"""Polls that ask only what changed show the same queue as polls that fetch it whole.

The simulator's team creates, edits, resolves, moves and reassigns tickets (and moves linked
CS tickets along) while two pollers watch every queue of the desk: one polling by changes, one
fetching everything each time, both through a search that sees changes late (on Cloud). After
every poll both must hold the same tickets, down to what each SLA countdown shows.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from queue_tui.core.models import Queue, Ticket
from queue_tui.core.sla import remaining
from queue_tui.core.snapshot import QueueSnapshot
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.sandbox.state import WAITING_FOR_CUSTOMER, WAITING_FOR_SUPPORT, Issue
from queue_tui.sandbox.team import customer_reply, new_ticket
from queue_tui.service.poller import Poller
from tests.conftest import make_gateway

NEVER = timedelta(days=3650)


def seen(snap: QueueSnapshot, now: datetime) -> dict[str, tuple[Ticket, tuple[object, ...]]]:
    """A snapshot as the agent sees it at `now`: every field, and each SLA clock by what it shows
    (when it was fetched and the `breached` flag JSM sent then are the poll's business)."""
    return {k: (replace(t, slas=()), tuple((s.name, s.goal_ms, s.breach_at, s.paused, s.completed, remaining(s, now))
                                          for s in t.slas))
            for k, t in snap.tickets.items()}


class Team:
    """The simulator's people changing tickets the way Jira's own screens would."""

    def __init__(self, sb: Sandbox, clock: ManualClock, seed: int) -> None:
        self.w = sb.world
        self.clock = clock
        self.rnd = random.Random(seed)
        self.staff = [u.account_id for u in self.w.users.values() if u.staff and not u.account_id.startswith("qm:")]
        self.done: list[str] = []

    def _open(self) -> Issue:
        return self.rnd.choice([i for i in self.w.issues.values() if i.project == "SS" and i.resolution is None])

    def act(self) -> str:
        w, rnd, now = self.w, self.rnd, self.clock.now()
        kind = rnd.choice(["create", "edit", "reply", "resolve", "reopen", "move", "priority", "reassign",
                           "reassign", "link", "linked", "linked"])
        with w.lock:
            if kind == "create":
                new_ticket(w, rnd)
            elif kind == "edit":
                i = self._open()
                i.summary = f"{i.summary.split(' #')[0]} #{rnd.randint(1, 999)}"
                i.updated = now
            elif kind == "reply":
                customer_reply(w, self._open().key)
            elif kind == "resolve":
                i = self._open()
                w.set_status(i, rnd.choice(["Resolved", "Closed"]))
                self.done.append(i.key)
            elif kind == "reopen" and self.done:
                w.set_status(w.issues[self.done.pop(rnd.randrange(len(self.done)))], WAITING_FOR_SUPPORT)
            elif kind == "move":  # into or out of "Waiting on support"
                i = self._open()
                w.set_status(i, rnd.choice([WAITING_FOR_SUPPORT, WAITING_FOR_CUSTOMER, "In Progress", "Pending"]))
            elif kind == "priority":  # into or out of "Priority installers"
                i = self._open()
                i.priority = "Medium" if i.priority == "High" else "High"
                i.updated = now
            elif kind == "reassign":  # into or out of "Assigned to me" and "Unassigned"
                i = self._open()
                i.assignee = rnd.choice([w.me, w.me, None, *self.staff])
                i.updated = now
            elif kind == "link":  # a CS ticket for a queue ticket (linking touches both)
                cs = w.add_issue(Issue(w.next_id(), w.next_key("CS"), "CS", "Task", "Configure account", "", "To Do",
                                       "Medium", w.me, None, now, now))
                w.add_link("Relates", self._open().key, cs.key)
            elif kind == "linked":  # a ticket of another project linked from a queue ticket moves on
                others = [w.issues[lk.inward_key] for lk in w.links
                          if lk.outward_key.startswith("SS-") and not lk.inward_key.startswith("SS-")]
                if others:
                    other = rnd.choice(others)
                    w.set_status(other, rnd.choice(["To Do", "In Progress", "On Hold", "QA", "Done"] if other.project == "CS"
                                                   else ["Backlog", "Selected for Development"]))
        return kind


async def compare_over_a_randomized_run(sandbox: Sandbox, clock: ManualClock, reconcile_every: timedelta,
                                       lag: int = 0) -> None:
    """100 rounds of the team's changes, each followed by polls of two random queues by both pollers.
    With a lagging search, the delta poller polls once more after search has caught up."""
    delta_gw = await make_gateway(sandbox, clock).open()
    full_gw = await make_gateway(sandbox, clock).open()
    try:
        queues = [Queue(q.id, q.name, q.jql) for q in await delta_gw.queues("1", include_count=False)]
        assert {q.name for q in queues} >= {"All open", "Unassigned issues", "Assigned to me", "Waiting on support"}
        delta = Poller(delta_gw, "1", clock.now, project="SS", reconcile_every=reconcile_every)
        full = Poller(full_gw, "1", clock.now)  # no project: every poll fetches the whole queue
        team = Team(sandbox, clock, seed=21)
        sandbox.world.search_lag = lag
        for q in queues:
            assert (await delta.poll(q)).snapshot is not None
        kinds: dict[str, int] = {}
        polls: dict[str, int] = {}
        left = 0
        for step in range(100):
            for _ in range(team.rnd.randint(0, 4)):
                kind = team.act()
                kinds[kind] = kinds.get(kind, 0) + 1
            clock.advance(seconds=team.rnd.randint(5, 75))
            for q in team.rnd.sample(queues, 2):
                before = set(delta.last[q.id].tickets)
                removed: set[str] = set()
                for _ in range(2 if lag else 1):
                    d = await delta.poll(q)
                    assert d.snapshot is not None and d.diff is not None
                    assert d.snapshot.kind != "full", f"step {step}: the delta poller fetched {q.name} whole"
                    polls[d.snapshot.kind] = polls.get(d.snapshot.kind, 0) + 1
                    removed |= set(d.diff.removed)
                    clock.advance(seconds=lag + 1 if lag else 0)
                f = await full.poll(q)
                assert f.snapshot is not None
                now = clock.now()
                assert seen(d.snapshot, now) == seen(f.snapshot, now), f"step {step}, queue {q.name}"
                assert removed == before - set(f.snapshot.tickets)
                left += len(removed)
        assert min(kinds.values()) >= 5 and len(kinds) == 10, kinds
        assert left >= 20, "tickets left queues along the way"
        assert polls["delta"] > 80 and (reconcile_every == NEVER) == ("reconcile" not in polls), polls
    finally:
        await delta_gw.close()
        await full_gw.close()


@pytest.mark.parametrize("reconcile_every", [NEVER, timedelta(minutes=3)], ids=["delta only", "reconciling"])
async def test_delta_and_full_polls_agree_over_a_long_randomized_run(any_sandbox: Sandbox, clock: ManualClock,
                                                                     reconcile_every: timedelta) -> None:
    await compare_over_a_randomized_run(any_sandbox, clock, reconcile_every)


async def test_behind_a_lagging_search_the_delta_poll_agrees_once_search_caught_up(sandbox: Sandbox,
                                                                                   clock: ManualClock) -> None:
    """Cloud's search sees a change up to 45 s late here; the overlap of the windows covers it."""
    await compare_over_a_randomized_run(sandbox, clock, NEVER, lag=45)


async def test_a_poll_in_which_nothing_changed_is_one_request(sandbox: Sandbox, clock: ManualClock) -> None:
    gw = await make_gateway(sandbox, clock).open()
    try:
        q = next(Queue(q.id, q.name, q.jql) for q in await gw.queues("1") if q.name == "All open")
        poller = Poller(gw, "1", clock.now, project="SS", reconcile_every=NEVER)
        await poller.poll(q)
        # The first poll learns which other projects the queue's tickets link to (DEV here); the
        # next one re-reads the tickets whose linked ticket changed lately, once.
        clock.advance(seconds=30)
        await poller.poll(q)
        for _ in range(3):
            clock.advance(seconds=30)
            out = await poller.poll(q)
            assert out.snapshot is not None and out.snapshot.kind == "delta" and out.snapshot.requests == 1
            assert out.diff is not None and out.diff.empty
        snap_queues = poller.last[q.id].queues
        with sandbox.world.lock:
            fresh = new_ticket(sandbox.world, random.Random(3))
        clock.advance(seconds=30)
        out = await poller.poll(q)
        assert out.snapshot is not None and out.diff is not None
        assert out.diff.added == (fresh.key,) and out.snapshot.requests == 2  # what changed, then its ticket
        assert out.snapshot.queues == snap_queues, "the other queues' counts wait for their own cadence"
    finally:
        await gw.close()


async def test_a_reconcile_comes_on_its_cadence_and_after_a_failed_poll(sandbox: Sandbox, clock: ManualClock) -> None:
    gw = await make_gateway(sandbox, clock).open()
    try:
        q = next(Queue(q.id, q.name, q.jql) for q in await gw.queues("1") if q.name == "All open")
        poller = Poller(gw, "1", clock.now, project="SS", reconcile_every=timedelta(minutes=10))
        kinds = []
        for _ in range(24):
            clock.advance(seconds=30)
            out = await poller.poll(q)
            assert out.snapshot is not None
            kinds.append(out.snapshot.kind)
        assert kinds == ["full"] + ["delta"] * 19 + ["reconcile"] + ["delta"] * 3
        sandbox.faults.configure({"503": 1.0})
        clock.advance(seconds=30)
        assert (await poller.poll(q)).error is not None
        sandbox.faults.clear()
        clock.advance(seconds=30)
        out = await poller.poll(q)
        assert out.snapshot is not None and out.snapshot.kind == "reconcile"
        clock.advance(hours=3)  # a laptop asleep: what changed meanwhile, and which keys the queue holds now
        out = await poller.poll(q)
        assert out.snapshot is not None and out.snapshot.kind == "reconcile"
    finally:
        await gw.close()


async def test_a_poll_stuck_past_its_deadline_fails_and_the_next_one_polls_again(sandbox: Sandbox,
                                                                                   clock: ManualClock) -> None:
    """Each request has its own deadline; the poll as a whole has one too, or a poll stuck between
    requests would hold back every later poll while the screen showed old data as current."""
    gw = await make_gateway(sandbox, clock).open()
    try:
        q = next(Queue(q.id, q.name, q.jql) for q in await gw.queues("1") if q.name == "All open")
        poller = Poller(gw, "1", clock.now, project="SS", reconcile_every=NEVER, deadline=0.3)
        assert (await poller.poll(q)).snapshot is not None
        sandbox.faults.inject("hang", path_glob="*/search/jql", method="GET")  # held far longer than the deadline
        clock.advance(seconds=30)
        stuck = await poller.poll(q)
        sandbox.faults.release_hangs()
        assert stuck.snapshot is None and stuck.error is not None and "did not finish within" in stuck.error.short()
        assert poller.stale_since is not None
        clock.advance(seconds=30)
        out = await poller.poll(q)
        assert out.snapshot is not None and out.snapshot.kind == "reconcile" and poller.stale_since is None
    finally:
        await gw.close()


async def test_a_deleted_ticket_leaves_the_queue_at_the_next_reconcile(sandbox: Sandbox, clock: ManualClock) -> None:
    """Deleting a ticket leaves no `updated` to find: the reconcile's list of keys shows it gone."""
    gw = await make_gateway(sandbox, clock).open()
    try:
        q = next(Queue(q.id, q.name, q.jql) for q in await gw.queues("1") if q.name == "All open")
        poller = Poller(gw, "1", clock.now, project="SS", reconcile_every=timedelta(minutes=2))
        snap = (await poller.poll(q)).snapshot
        assert snap is not None
        key = next(iter(snap.tickets))
        with sandbox.world.lock:
            del sandbox.world.issues[key]
        clock.advance(seconds=30)
        out = await poller.poll(q)
        assert out.snapshot is not None and out.snapshot.kind == "delta" and key in out.snapshot.tickets
        clock.advance(minutes=2)
        out = await poller.poll(q)
        assert out.snapshot is not None and out.diff is not None and out.snapshot.kind == "reconcile"
        assert out.diff.removed == (key,) and key not in out.snapshot.tickets
        assert out.snapshot.requests == 3  # the keys, what changed, the counts
    finally:
        await gw.close()


async def test_a_ticket_the_agent_just_wrote_is_named_for_jira_to_reconcile(sandbox: Sandbox, clock: ManualClock) -> None:
    """Search is eventually consistent: the next poll asks Jira to include what this app just wrote."""
    gw = await make_gateway(sandbox, clock).open()
    try:
        q = next(Queue(q.id, q.name, q.jql) for q in await gw.queues("1") if q.name == "All open")
        poller = Poller(gw, "1", clock.now, project="SS", reconcile_every=NEVER)
        snap = (await poller.poll(q)).snapshot
        assert snap is not None
        target = next(t for t in snap.tickets.values() if t.assignee is None)
        sandbox.world.search_lag = 45  # without reconciling, the next poll would not see the write yet
        await gw.assign(target.key, gw.me)
        sandbox.record = True
        clock.advance(seconds=30)
        out = await poller.poll(q)
        assert out.snapshot is not None and out.diff is not None and out.diff.changed == (target.key,)
        assert gw.me is not None and out.snapshot.tickets[target.key].assignee == gw.me
        searches = [x["query"] for x in sandbox.exchanges if x["path"].endswith("/search/jql")]
        assert searches and all(s.get("reconcileIssues") == target.id for s in searches)
        clock.advance(minutes=5)
        await poller.poll(q)
        sandbox.exchanges.clear()
        clock.advance(seconds=30)  # the window no longer reaches back to the write: nothing to reconcile
        await poller.poll(q)
        assert [x for x in sandbox.exchanges if "reconcileIssues" in x["query"]] == []
    finally:
        await gw.close()
