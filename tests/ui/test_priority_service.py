"""Priority service from Jira itself: a ticket whose Priority the site set (the team's automation,
queue-triage-and-request-types.txt) is starred and goes first at its stage, with no list of
organizations configured."""

from __future__ import annotations

from typing import Any

from queue_tui.sandbox import ManualClock, Sandbox
from tests.ui.helpers import make_app, queue_screen, screen_lines

SIZE = (180, 50)
NO_INSTALLERS: dict[str, Any] = {"monitor": {"poll_seconds": 10, "staff_domains": ["goeverbright.com"]}}


async def _raise_one_at_equal_stage(sandbox: Sandbox, app: Any, pilot: Any) -> tuple[Any, str, str]:
    """Two tickets at one stage, neither priority service; the later one's Priority becomes High."""
    screen = await queue_screen(app, pilot)
    table = screen.table
    keys = table.ordered_keys
    w = sandbox.world
    plain = [k for k in keys if w.issues[k].priority != "High"]
    early, late = next((a, b) for a, b in zip(plain, plain[1:], strict=False) if table.stage_of(a) == table.stage_of(b))
    assert keys.index(early) < keys.index(late)
    with w.lock:
        w.issues[late].priority = "High"
        w.issues[late].updated = w.clock.now()
    await screen.poll_now()
    await pilot.pause()
    return screen, early, late


async def _line_of(app: Any, pilot: Any, screen: Any, key: str) -> str:
    """The row of `key` as the agent sees it (scrolled into view first)."""
    screen.table.cursor_to(key)
    await pilot.pause()
    return next(line for line in screen_lines(app) if f" {key} " in f" {line} ")


async def test_a_ticket_the_site_made_high_priority_is_starred_and_first_at_its_stage(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, NO_INSTALLERS)
    async with app.run_test(size=SIZE) as pilot:
        screen, early, late = await _raise_one_at_equal_stage(sandbox, app, pilot)
        keys = screen.table.ordered_keys
        assert keys.index(late) < keys.index(early), "priority service goes first at equal stage"
        assert "★" in await _line_of(app, pilot, screen, late)
        assert "★" not in await _line_of(app, pilot, screen, early)


async def test_with_no_priority_names_only_the_organizations_count(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"monitor": {**NO_INSTALLERS["monitor"], "priority_names": []}})
    async with app.run_test(size=SIZE) as pilot:
        screen, early, late = await _raise_one_at_equal_stage(sandbox, app, pilot)
        keys = screen.table.ordered_keys
        assert keys.index(early) < keys.index(late)
        assert "★" not in await _line_of(app, pilot, screen, late)
