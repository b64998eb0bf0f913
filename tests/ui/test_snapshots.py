"""Screen snapshots of the queue and the detail, with deterministic data and clock."""

from __future__ import annotations

from typing import Any

import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from tests.ui.helpers import make_app, queue_screen

pytestmark = pytest.mark.usefixtures("local_time_utc")


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 48), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_queue_screen_snapshot(snap_compare: Any, sandbox: Sandbox, clock: ManualClock, size: tuple[int, int]) -> None:
    """The queue at the sizes agents use: the columns that fit, the SLA stages in their colours."""
    app = make_app(sandbox, clock)

    async def loaded(pilot: Any) -> None:
        await queue_screen(app, pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=loaded)


def test_queue_beside_the_sop_panel_snapshot(snap_compare: Any, sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)

    async def panel(pilot: Any) -> None:
        await queue_screen(app, pilot)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 48), run_before=panel)


def test_detail_screen_snapshot(snap_compare: Any, sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)

    async def detail(pilot: Any) -> None:
        screen = await queue_screen(app, pilot)
        key = next(i.key for i in sandbox.world.issues.values() if "Fwd: Customer" in i.summary)
        screen.table.cursor_to(key)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 50), run_before=detail)
