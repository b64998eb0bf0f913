"""The queue keeps its urgency order as countdowns cross stages, between polls and across them,
without re-sorting the whole table: checked against a full sort, minute by minute, on a big
synthetic queue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from queue_tui.core.urgency import urgency_key
from queue_tui.sandbox import ManualClock, Sandbox, start_sandbox
from queue_tui.ui.screens.queue import QueueScreen
from tests.ui.helpers import make_app, queue_screen

SIZE = (180, 40)


@pytest.fixture
def big_sandbox(clock: ManualClock) -> Iterator[Sandbox]:
    sb = start_sandbox(clock=clock, tickets=400)
    yield sb
    sb.stop()


def _order(screen: QueueScreen) -> list[str]:
    return screen.table.ordered_keys


async def test_stage_crossings_move_tickets_to_where_a_full_sort_puts_them(big_sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(big_sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        table = screen.table
        orgs = table.priority
        assert orgs.orgs, "the demo configuration names priority installers"
        first = _order(screen)
        moved_at = []
        for minute in range(1, 151):
            before = _order(screen)
            cursor_key = table.current_key()
            clock.advance(minutes=1)
            if minute % 10 == 0:  # a poll now and then: crossings due at that moment move too
                await screen.poll_now()
            screen.tick()
            now = clock.now()
            after = _order(screen)
            expected = sorted(table.tickets, key=lambda k: urgency_key(table.tickets[k], now, orgs))
            assert after == expected, f"order wrong after {minute} min"
            assert table.current_key() == cursor_key, "the cursor stays on its ticket"
            if after != before:
                moved_at.append(minute)
        await pilot.pause()
        assert _order(screen) != first
        assert len(moved_at) > 5, "tickets crossed stages and moved during the run"


async def test_a_burst_of_breaches_shares_one_notification(big_sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(big_sandbox, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        shown = len(app.shown)
        clock.advance(minutes=10)
        screen.tick()
        await pilot.pause()
        breached = [a.key for a in screen.alerts if a.kind == "breached"]
        assert len(breached) > 8
        new = app.shown[shown:]
        about_breaches = [n for n in new if "breached" in n.title]
        assert len(about_breaches) == 1
        assert about_breaches[0].title == f"{len(breached)} SLAs breached"
        assert about_breaches[0].message.startswith(", ".join(breached[:8]))
        assert about_breaches[0].message.endswith(f"and {len(breached) - 8} more")
