"""Start-up holds the garbage collector back (its lasting objects would be walked over and over
before the first paint); it runs again once the queue is on screen, or when the command stops
before that. Left held, the app's memory would only grow through a day of polls."""

from __future__ import annotations

import gc
from pathlib import Path

from queue_tui import startup
from queue_tui.cli import main
from queue_tui.sandbox import ManualClock, Sandbox
from tests.ui.helpers import make_app, queue_screen


async def test_the_collector_runs_again_once_the_queue_is_on_screen(sandbox: Sandbox, clock: ManualClock) -> None:
    startup.hold()
    try:
        assert not gc.isenabled()
        app = make_app(sandbox, clock)
        async with app.run_test(size=(120, 30)) as pilot:
            await queue_screen(app, pilot)
            assert gc.isenabled()
    finally:
        startup.resume()


def test_the_collector_runs_again_when_a_bad_config_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[monitor]\npoll_seconds = 1")
    startup.hold()
    try:
        assert main(["--config", str(path)]) == 2
        assert gc.isenabled()
    finally:
        startup.resume()
