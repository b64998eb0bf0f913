"""Cold start of the real app: start, paint the queue once, print the moment (time.time()) it was
painted, exit.

`first_paint.py URL EMAIL TOKEN [mode]`, mode:
- fresh: no cache; exits when the first poll's queue is painted.
- cached: exits when the queue is painted, from the cached snapshot if there is one.
- warm: waits for the first poll and until the snapshot is kept for the next start (makes the cache).
"""

from __future__ import annotations

import sys
import time

from queue_tui.cli import DEMO_CONFIG
from queue_tui.config import config_from_dict
from queue_tui.service.gateway import Connection
from queue_tui.ui.app import QueueApp
from queue_tui.ui.screens.queue import QueueScreen

MODE = sys.argv[4] if len(sys.argv) > 4 else "fresh"


class FirstPaint(QueueApp):
    def on_mount(self) -> None:
        # Textual also runs QueueApp.on_mount (handlers run for every class in the MRO): no super() here.
        self._watch = self.set_interval(0.002, self._check)

    def _painted(self) -> None:
        print(time.time(), flush=True)
        self.exit()

    def _check(self) -> None:
        screen = self.screen
        if not isinstance(screen, QueueScreen):
            return
        polls = screen.feed.polls
        painted = bool(screen.table.row_count)
        if (MODE == "cached" and painted) or (MODE == "fresh" and polls >= 1 and painted):
            self._watch.stop()
            self.call_after_refresh(self._painted)
        elif MODE == "warm" and polls >= 1 and painted and not any(w.group == "cache" for w in self.workers):
            ids = self.services.snapshot_cache.remembered_account()
            if ids and self.services.snapshot_cache.path(ids).exists():
                self.exit()


if __name__ == "__main__":
    url, email, token = sys.argv[1:4]
    app = FirstPaint(Connection(url, "cloud", email=email, token=token), config_from_dict(DEMO_CONFIG, "bench"),
                     auto_poll=False, auto_tick=False)
    app.run(headless=True, size=(200, 50))
