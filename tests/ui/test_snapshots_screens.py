"""Snapshots of the screens an agent works in, at the sizes agents use: the SOP panel (the whole
width at 100 columns or fewer, under the ticket's one line), the CS form (its Create button
whole), the detail, the team view and the bulk confirm."""

from __future__ import annotations

from typing import Any

import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from tests.ui.helpers import make_app, queue_screen, wait_until

SIZES = [(80, 24), (100, 30), (160, 48), (200, 60)]


pytestmark = pytest.mark.usefixtures("local_time_utc")


def _key(sb: Sandbox, words: str) -> str:
    return next(i.key for i in sb.world.issues.values() if words in i.summary)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sop_panel_snapshot(snap_compare: Any, sandbox: Sandbox, clock: ManualClock, size: tuple[int, int]) -> None:
    app = make_app(sandbox, clock)

    async def panel(pilot: Any) -> None:
        screen = await queue_screen(app, pilot)
        screen.table.cursor_to(_key(sandbox, "A New Channel Partner Request"))
        await pilot.press("p")
        await wait_until(pilot, lambda: bool(screen.panel.plans), "the panel")
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=panel)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_cs_form_snapshot(snap_compare: Any, sandbox: Sandbox, clock: ManualClock, size: tuple[int, int]) -> None:
    from queue_tui.ui.screens.cs_form import CsFormScreen

    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})

    async def form(pilot: Any) -> None:
        screen = await queue_screen(app, pilot)
        screen.table.cursor_to(_key(sandbox, "Contract template missing"))
        await pilot.press("c")
        await wait_until(pilot, lambda: type(app.screen).__name__ in ("ExistingCsScreen", "CsFormScreen"), "the form")
        if type(app.screen).__name__ == "ExistingCsScreen":
            await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, CsFormScreen), "the form")
        from textual.widgets import TextArea

        area = app.screen.query_one("#description", TextArea)  # the simulator's port changes from run to run
        area.text = area.text.replace(sandbox.base_url, "https://example.atlassian.net")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=form)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_team_view_snapshot(snap_compare: Any, sandbox: Sandbox, clock: ManualClock, size: tuple[int, int]) -> None:
    app = make_app(sandbox, clock)

    async def team(pilot: Any) -> None:
        await queue_screen(app, pilot)
        await pilot.press("T")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "TeamScreen", "the team view")
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=team)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail_snapshot(snap_compare: Any, sandbox: Sandbox, clock: ManualClock, size: tuple[int, int]) -> None:
    app = make_app(sandbox, clock)

    async def detail(pilot: Any) -> None:
        screen = await queue_screen(app, pilot)
        screen.table.cursor_to(_key(sandbox, "Fwd: Customer"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DetailScreen", "the detail")
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=detail)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_bulk_confirm_snapshot(snap_compare: Any, sandbox: Sandbox, clock: ManualClock, size: tuple[int, int]) -> None:
    app = make_app(sandbox, clock)

    async def bulk(pilot: Any) -> None:
        screen = await queue_screen(app, pilot)
        for key in list(screen.table.ordered_keys)[:5]:
            screen.table.cursor_to(key)
            await pilot.press("space")
        await pilot.press("x")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BulkScreen", "the confirm")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=bulk)
