"""The queue at a glance: the header's counts are the rows' own stages, on every tick; the tabs
follow the agent's own writes at once; a filter with no match says so; take next."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from queue_tui.core.glance import breach_horizon, count_stages, ticket_stage
from queue_tui.core.models import Person, SlaClock, Ticket
from queue_tui.core.sla import Stage
from queue_tui.core.snapshot import Diff
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.modals import ConfirmScreen
from queue_tui.ui.screens.queue import QueueScreen
from queue_tui.ui.widgets.glance import GlanceBar
from queue_tui.ui.widgets.queue_rows import QueueRows
from tests.ui.helpers import make_app, queue_screen, text_of, wait_until

SIZE = (160, 48)


def row_stages(screen: QueueScreen) -> Counter[Stage]:
    """The stages the rows show: what each row's SLA cell is coloured by. Rows off screen are
    redrawn when they scroll into view, so those on screen are checked against the tickets' stage."""
    now = screen.now()
    shown = screen.table.ordered_keys[: screen.table.size.height - 1]
    for k in shown:
        assert screen.table.stage_of(k) == ticket_stage(screen.table.tickets[k], now), k
    return Counter(ticket_stage(t, now) for t in screen.table.tickets.values())


def header_counts(screen: QueueScreen) -> tuple[int, int, int, int]:
    c = screen.query_one(GlanceBar).counts
    assert c is not None
    return c.breached, c.under_30m, c.under_1h, c.unassigned


async def test_header_counts_equal_the_rows_stages_at_load_and_after_ticks(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        for minutes in (0, 7, 25, 40):
            clock.advance(minutes * 60)
            screen.tick()
            screen.table.tick(screen.now())
            rows = row_stages(screen)
            unassigned = sum(t.assignee is None for t in screen.table.tickets.values())
            assert header_counts(screen) == (rows[Stage.BREACHED], rows[Stage.UNDER_30M], rows[Stage.UNDER_1H],
                                             unassigned), f"after {minutes} more minutes"
        assert rows[Stage.BREACHED] >= 2, "the seed has breached rows, so the check above compares something"
        line = text_of(screen.query_one(GlanceBar))
        assert f"!{rows[Stage.BREACHED]} breached" in line and f"○{unassigned} unassigned" in line
        summary = next(a for a in screen.alerts if a.kind == "summary")
        assert summary.text.startswith("Queue loaded: ")


async def test_header_counts_follow_polls_and_own_writes_without_recounting(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.sandbox.state import WAITING_FOR_CUSTOMER
    from queue_tui.sandbox.team import customer_reply, new_ticket

    def unassigned(screen: QueueScreen) -> int:
        return sum(t.assignee is None and t.status_category != "done" for t in screen.table.tickets.values())

    def expected(screen: QueueScreen) -> tuple[int, int, int, int]:
        rows = row_stages(screen)
        return rows[Stage.BREACHED], rows[Stage.UNDER_30M], rows[Stage.UNDER_1H], unassigned(screen)

    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        w = sandbox.world
        free = [k for k, t in screen.table.tickets.items() if t.assignee is None]
        with w.lock:
            for _ in range(3):
                new_ticket(w)  # arrives unassigned with a fresh first-response clock
            taken = w.issues[free[0]]
            taken.assignee, taken.updated = "557058:sam-okafor", clock.now()  # a colleague takes one
            w.set_status(w.issues[free[1]], WAITING_FOR_CUSTOMER)  # one waits on its customer: its clock pauses
            customer_reply(w, free[1])
        clock.advance(30)
        before = header_counts(screen)
        await screen.poll_now()
        await pilot.pause()
        assert header_counts(screen) == expected(screen) != before
        key = next(k for k, t in screen.table.tickets.items() if t.assignee is None)
        screen.table.cursor_to(key)
        await pilot.press("a")  # the agent's own write: the header follows before any poll
        await wait_until(pilot, lambda: screen.table.tickets[key].assignee is not None, "the assignment")
        assert header_counts(screen) == expected(screen)
        clock.advance(17 * 60)
        screen.tick()
        assert header_counts(screen) == expected(screen)


async def test_the_glance_line_reads_a_recount_of_the_tab_every_second_through_a_random_afternoon(
        sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.sandbox.state import WAITING_FOR_CUSTOMER
    from queue_tui.sandbox.team import customer_reply, new_ticket

    rng = random.Random(1118)
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        bar, w = screen.query_one(GlanceBar), sandbox.world
        seen: set[tuple[object, ...]] = set()
        for step in range(45):
            what = rng.random()
            free = sorted(k for k, t in screen.table.tickets.items() if t.assignee is None and t.status_category != "done")
            if what < 0.3 and free:  # colleagues and customers meanwhile, then a poll
                with w.lock:
                    for _ in range(rng.randint(1, 3)):
                        change = rng.choice(["new", "taken", "waits", "replies"])
                        key = rng.choice(free)
                        if change == "new":
                            new_ticket(w, rng)
                        elif change == "taken":
                            w.issues[key].assignee, w.issues[key].updated = "557058:sam-okafor", clock.now()
                        elif change == "waits":
                            w.set_status(w.issues[key], WAITING_FOR_CUSTOMER)
                        else:
                            customer_reply(w, key)
                await screen.poll_now()
                await pilot.pause()
            elif what < 0.4 and free:  # the agent takes one: the line follows before any poll
                key = rng.choice(free)
                screen.table.cursor_to(key)
                await pilot.press("a")
                await wait_until(pilot, lambda k=key: screen.table.tickets[k].assignee is not None, "the assignment")
            # Time moves by a second, by seconds, across a minute or a stage, never waited for.
            clock.advance(rng.choice([1, 1, 7, 59, 61, 601, 1799]) + rng.random())
            screen.tick()
            now, tickets = screen.now(), screen.table.tickets.values()
            assert bar.counts == count_stages(tickets, now), f"step {step}"
            assert bar.horizon == breach_horizon(tickets, now), f"step {step}"
            seen.add((bar.counts, tuple(bar.horizon)))
        assert bar.counts is not None and bar.counts.breached and bar.counts.unassigned
        assert len(seen) > 20, "the line moved through many different readings, so the check compares something"


def test_a_poll_fetched_before_the_agents_write_is_what_the_row_and_the_counts_show() -> None:
    """A poll that was under way when the agent assigned a ticket brings it back unassigned, with
    nothing changed since the last poll: the row and the glance counts both read it so (the next
    poll brings the write)."""
    now = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    clock = SlaClock("Time to first response", 7_200_000, 600_000, now + timedelta(minutes=10), False, False, False, now)
    free = Ticket("SS-1", "1", "Printer", "Waiting for support", "new", "Medium", now - timedelta(hours=1), now,
                  slas=(clock,))
    rows = QueueRows(lambda key: None, lambda was, now_at: None)
    rows.sync({"SS-1": free}, Diff(first=True), now)
    nobody = rows.cells("SS-1")["assignee"]
    rows.set_ticket(replace(free, assignee=Person("me", "Alex Rivera")), now)
    assert rows.stages.counts(now).unassigned == 0 and rows.cells("SS-1")["assignee"] != nobody
    rows.sync({"SS-1": free}, Diff(), now)  # fetched before the write: the same as the last poll
    assert rows.stages.counts(now) == count_stages(rows.tickets.values(), now)
    assert rows.stages.counts(now).unassigned == 1
    assert rows.cells("SS-1")["assignee"] == nobody


async def test_the_opening_summary_counts_what_the_rows_show(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        rows = row_stages(screen)
        summary = next(a for a in screen.alerts if a.kind == "summary")
        assert f"{rows[Stage.BREACHED]} breached" in summary.text
        assert f"{rows[Stage.UNDER_30M]} under 30 min" in summary.text


async def test_the_breach_horizon_counts_the_next_two_hours(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        bar = screen.query_one(GlanceBar)
        soon = [k for k in screen.table.tickets if screen.table.stage_of(k) in (Stage.UNDER_30M, Stage.UNDER_1H)]
        assert sum(bar.horizon[:6]) == len(soon)


async def test_assigning_to_me_moves_the_tab_counts_at_once(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        for _ in range(2):  # visit the unassigned and "assigned to me" tabs so their counts are known
            await pilot.press("right_square_bracket")
            await app.workers.wait_for_complete()
        await pilot.press("left_square_bracket", "left_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()
        counts = {q.name: q.count for q in screen.feed.queues}
        key = next(k for k, t in screen.table.tickets.items() if t.assignee is None)
        screen.table.cursor_to(key)
        polls = screen.feed.polls
        await pilot.press("a")
        await pilot.pause()
        assert screen.feed.polls == polls
        after = {q.name: q.count for q in screen.feed.queues}
        assert after["Unassigned issues"] == counts["Unassigned issues"] - 1  # before any poll
        assert after["Assigned to me"] == counts["Assigned to me"] + 1
        assert after["All open"] == counts["All open"]
        await app.workers.wait_for_complete()
        await screen.poll_now()  # other tabs' counts are re-read only every few minutes: the write still shows
        again = {q.name: q.count for q in screen.feed.queues}
        assert again["Unassigned issues"] == after["Unassigned issues"]
        assert again["Assigned to me"] == after["Assigned to me"]


async def test_a_filter_with_no_match_says_so(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        await pilot.press("slash", *"zzqx")
        await pilot.pause()
        note = screen.query_one("#nomatch")
        assert note.display and "No ticket in this tab matches zzqx" in text_of(note)
        await pilot.press("escape")
        await pilot.pause()
        assert not note.display


async def test_take_next_assigns_the_most_urgent_unassigned_priority_first_and_opens_its_sop(
        sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.core.urgency import urgency_key

    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        now, prio = screen.now(), screen.table.priority
        free = sorted((t for t in screen.table.tickets.values() if t.assignee is None),
                      key=lambda t: urgency_key(t, now, prio))
        expected = free[0].key
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: screen.panel_open and screen.panel.ticket is not None, "the SOP panel")
        assert sandbox.world.issues[expected].assignee == "557058:alex-rivera"
        assert screen.table.current_key() == expected
        assert screen.panel.ticket is not None and screen.panel.ticket.key == expected


async def test_take_next_asks_when_a_colleague_took_the_ticket_meanwhile(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.core.glance import next_to_take

    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        t = next_to_take(screen.table.tickets.values(), screen.now(), screen.table.priority)
        assert t is not None
        with sandbox.world.lock:
            sandbox.world.issues[t.key].assignee = "557058:sam-okafor"  # taken since the last poll
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert "Sam Okafor" in text_of(app.screen.query_one("#question"))
        await pilot.press("n")
        await app.workers.wait_for_complete()
        assert sandbox.world.issues[t.key].assignee == "557058:sam-okafor"
