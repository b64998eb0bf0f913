"""The real app left running headless (polls every 30 s, countdowns ticking), for CPU and memory figures."""

from __future__ import annotations

import sys

from queue_tui.cli import DEMO_CONFIG
from queue_tui.config import config_from_dict
from queue_tui.service.gateway import Connection
from queue_tui.ui.app import QueueApp


class Idle(QueueApp):
    def on_mount(self) -> None:
        # Textual also runs QueueApp.on_mount (handlers run for every class in the MRO): no super() here.
        self._watch = self.set_interval(0.05, self._check)

    def _check(self) -> None:
        feed = getattr(self.screen, "feed", None)
        if feed is not None and feed.polls >= 1:
            self._watch.stop()  # the probe must not cost CPU itself
            print("loaded", flush=True)


if __name__ == "__main__":
    url, email, token = sys.argv[1:4]
    cfg = config_from_dict({**DEMO_CONFIG, "monitor": {**DEMO_CONFIG["monitor"], "poll_seconds": 30}}, "bench")
    Idle(Connection(url, "cloud", email=email, token=token), cfg).run(headless=True, size=(200, 50))
