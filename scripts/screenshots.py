"""Regenerate the README screenshots (SVG, from Textual's own screenshot) against the simulator."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QUEUE_TUI_HOME", tempfile.mkdtemp())
os.environ["TZ"] = "UTC"

from queue_tui.sandbox import ManualClock, start_sandbox  # noqa: E402
from tests.ui.helpers import make_app, queue_screen  # noqa: E402


async def main() -> None:
    clock = ManualClock(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    sb = start_sandbox(clock=clock)
    app = make_app(sb, clock)
    async with app.run_test(size=(190, 45)) as pilot:
        screen = await queue_screen(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot("queue.svg", str(ROOT / "docs"))
        key = next(i.key for i in sb.world.issues.values() if i.summary.startswith("Fwd: Customer"))
        screen.table.move_cursor(row=screen.table.get_row_index(key))
        await pilot.press("p")
        for _ in range(300):
            await pilot.pause(0.01)
            if screen.panel.plans:
                break
        await pilot.pause()
        app.save_screenshot("sop-panel.svg", str(ROOT / "docs"))
    sb.stop()


asyncio.run(main())
