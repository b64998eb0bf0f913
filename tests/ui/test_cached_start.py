"""Start-up paints the queue as it was last time, says so, and the first poll brings it up to date;
a ticket that leaves the queue leaves the screen at the next poll."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual.widgets import Tabs

from queue_tui.config import cache_dir
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.sandbox.state import WAITING_FOR_CUSTOMER
from queue_tui.sandbox.team import new_ticket
from queue_tui.ui.app import QueueApp
from queue_tui.ui.screens.queue import QueueScreen
from tests.conftest import T0
from tests.ui.helpers import make_app, notifications, queue_screen, text_of, wait_until

SIZE = (160, 40)


@contextmanager
def jira_holds_its_answers(sb: Sandbox) -> Iterator[None]:
    """Every request waits (the simulator answers under its lock) until the block ends."""
    with sb.world.lock:
        yield


async def first_run(sb: Sandbox, clock: ManualClock) -> set[str]:
    """Run the app once to its first poll and quit; the keys it showed."""
    app = make_app(sb, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        await app.workers.wait_for_complete()
        return set(screen.table.tickets)


def screen_of(app: QueueApp) -> QueueScreen | None:
    return next((s for s in app.screen_stack if isinstance(s, QueueScreen)), None)


async def empty_until_jira_answers(app: QueueApp, pilot: Any, sb: Sandbox) -> QueueScreen:
    """While Jira holds its answers the queue screen is up and shows no ticket: no cache was painted."""
    with jira_holds_its_answers(sb):
        for _ in range(20):
            await pilot.pause()
        screen = screen_of(app)
        assert screen is not None and screen.table.row_count == 0
    return screen


def topbar(screen: QueueScreen) -> str:
    return text_of(screen.query_one("#topbar"))


async def test_the_cache_is_shown_at_once_then_replaced_by_the_first_poll(sandbox: Sandbox, clock: ManualClock) -> None:
    shown = await first_run(sandbox, clock)
    w = sandbox.world
    with w.lock:
        gone = next(i for i in w.issues.values() if i.key in shown)
        w.set_status(gone, "Resolved")
        fresh = new_ticket(w, summary="Arrived while the app was closed")
    clock.advance(minutes=20)
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        with jira_holds_its_answers(sandbox):
            await wait_until(pilot, lambda: (s := screen_of(app)) is not None and s.table.row_count > 0, "the cached queue")
            screen = screen_of(app)
            assert screen is not None and screen.feed.polls == 0, "painted before Jira answered anything"
            assert set(screen.table.tickets) == shown
            assert f"from {T0.astimezone().strftime('%H:%M')}, refreshing" in topbar(screen)
        await wait_until(pilot, lambda: screen.feed.polls >= 1, "the first poll")
        assert gone.key not in screen.table.tickets and fresh.key in screen.table.tickets
        assert screen.table.flags.get(fresh.key) == "new"
        assert "refreshing" not in topbar(screen) and "updated" in topbar(screen)


async def test_a_corrupt_cache_is_set_aside_and_the_app_starts_from_jira(sandbox: Sandbox, clock: ManualClock) -> None:
    shown = await first_run(sandbox, clock)
    files = [f for f in (cache_dir() / "snapshots").iterdir() if f.name != "accounts.json"]
    assert len(files) == 1
    files[0].write_bytes(b'{"kind": "queue-tui queue snapshots", "format": 1, "queues": [')
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        assert set(screen.table.tickets) == shown
        assert any("cached queue is unreadable" in m and "set aside" in m for m in notifications(app))
    assert files[0].with_suffix(".set-aside").exists()


async def test_another_accounts_cache_is_never_shown(sandbox: Sandbox, clock: ManualClock) -> None:
    from dataclasses import replace

    from queue_tui.service.snapshot_cache import SnapshotCache

    await first_run(sandbox, clock)
    app = make_app(sandbox, clock)
    mine = app.services.snapshot_cache
    cached, _ = mine.load(sandbox.world.me)
    assert cached is not None
    # The same desk on the same site, cached by a colleague signed in as someone else on this computer.
    theirs = SnapshotCache(mine.folder, sandbox.base_url, mine.desk, "colleague@goeverbright.com")
    snap = cached.snapshots[cached.active]
    secret = next(iter(snap.tickets.values()))
    other = replace(cached, account_id="557058:colleague",
                    snapshots={cached.active: replace(snap, tickets={"SS-999": replace(secret, key="SS-999")})})
    theirs.save(other)
    mine.path(sandbox.world.me).unlink()
    async with app.run_test(size=SIZE) as pilot:
        await empty_until_jira_answers(app, pilot, sandbox)
        screen = await queue_screen(app, pilot)
        assert "SS-999" not in screen.table.tickets


async def test_a_ticket_that_leaves_the_queue_leaves_the_screen_at_the_next_poll(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        assert screen.feed.poller is not None
        clock.advance(seconds=30)
        await screen.poll_now()  # learns which tickets of other projects the queue links to
        w = sandbox.world
        keys = list(screen.table.tickets)
        with w.lock:
            w.set_status(w.issues[keys[0]], "Resolved")
            w.issues[keys[1]].assignee = None  # still open: stays
            w.issues[keys[1]].updated = clock.now()
        clock.advance(seconds=30)
        await screen.poll_now()
        await pilot.pause()
        snap = screen.feed.poller.last[screen.feed.active.id]  # type: ignore[union-attr]
        assert snap.kind == "delta" and snap.requests <= 2
        assert keys[0] not in screen.table.tickets and keys[1] in screen.table.tickets
        # "Assigned to me": a ticket reassigned to a colleague leaves it at the next poll.
        mine = next(q for q in screen.feed.queues if q.name == "Assigned to me")
        screen.query_one(Tabs).active = f"q-{mine.id}"
        await wait_until(pilot, lambda: screen.feed.active is not None and screen.feed.active.id == mine.id
                         and mine.id in screen.feed.poller.last, "the Mine queue")  # type: ignore[union-attr]
        await app.workers.wait_for_complete()
        clock.advance(seconds=30)
        await screen.poll_now()
        mykey = next(k for k, t in screen.table.tickets.items() if t.status != WAITING_FOR_CUSTOMER)
        with w.lock:
            w.issues[mykey].assignee = "557058:sam-okafor"
            w.issues[mykey].updated = clock.now()
        clock.advance(seconds=30)
        await screen.poll_now()
        await pilot.pause()
        assert mykey not in screen.table.tickets
        assert screen.feed.poller.last[mine.id].kind == "delta"


async def test_on_data_center_the_cache_waits_for_jira_to_say_who_this_is(clock: ManualClock) -> None:
    """Without a login to find it by (a personal access token names nobody), nothing cached is
    painted before Jira answers; then the cache is the base of the first poll's diff."""
    from queue_tui.sandbox import start_sandbox

    sandbox = start_sandbox(mode="dc", clock=clock)
    try:
        shown = await first_run(sandbox, clock)
        w = sandbox.world
        with w.lock:
            fresh = new_ticket(w, summary="Arrived while the app was closed")
        app = make_app(sandbox, clock)
        async with app.run_test(size=SIZE) as pilot:
            screen = await empty_until_jira_answers(app, pilot, sandbox)
            await wait_until(pilot, lambda: screen.feed.polls >= 1, "the first poll")
            assert set(screen.table.tickets) == shown | {fresh.key}
            assert screen.table.flags.get(fresh.key) == "new", "the first poll was a diff against the cache"
    finally:
        sandbox.stop()
