"""A flow that fails shows one short line, never a traceback, and the app keeps running."""

from __future__ import annotations

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.errors import JiraError
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import run
from tests.ui.helpers import make_app, notifications, queue_screen, wait_until

SIZE = (160, 48)


async def test_a_failing_flow_becomes_one_short_notification(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)

    async def refused() -> None:
        raise JiraError("Jira refused it", 403)

    async def stopped() -> None:
        raise FlowError("Could not assign SS-1: refused. Row restored.")

    async def broken() -> None:
        raise KeyError("a bug")

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        run(app, refused(), "Close SS-1")
        run(app, stopped(), "Assign SS-1")
        run(app, broken(), "Reply on SS-2")
        await wait_until(pilot, lambda: len(notifications(app)) >= 3, "three notifications")
        shown = notifications(app)
        assert "Close SS-1: Jira refused it" in shown
        assert "Could not assign SS-1: refused. Row restored." in shown
        assert "Reply on SS-2 failed unexpectedly (KeyError); the details are in the log" in shown
        assert not any("Traceback" in m or "raise" in m for m in shown)
        assert app.is_running and app.screen is screen
