"""Cold start of the real app: start, connect, poll, paint the queue once, exit."""

from __future__ import annotations

import sys

from queue_tui.cli import DEMO_CONFIG
from queue_tui.config import config_from_dict
from queue_tui.service.gateway import Connection
from queue_tui.ui.app import QueueApp


class FirstPaint(QueueApp):
    def on_mount(self) -> None:
        # Textual also runs QueueApp.on_mount (handlers run for every class in the MRO): no super() here.
        self.set_interval(0.005, self._check)

    def _check(self) -> None:
        screen = self.screen
        if getattr(screen, "polls", 0) >= 1 and screen.table.row_count:  # type: ignore[attr-defined]
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    url, email, token = sys.argv[1:4]
    app = FirstPaint(Connection(url, "cloud", email=email, token=token), config_from_dict(DEMO_CONFIG, "bench"),
                     auto_poll=False, auto_tick=False)
    app.run(headless=True, size=(200, 50))
