"""One agent of the chaos soak, in a process of its own so that the soak can kill it with SIGKILL.

The real app runs headless under Textual's Pilot against the simulator (its own QUEUE_TUI_HOME
keeps drafts, progress and the audit log across kills). Tasks come in on stdin as JSON lines;
each answer goes out on stdout as a line starting with `@@soak `. Not meant to be run by hand:
`benchmarks/soak.py` starts it.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
if importlib.util.find_spec("queue_tui") is None:  # a checkout without the package installed
    sys.path.append(str(HERE.parent))
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from soaklib.clock import SharedClock  # noqa: E402
from soaklib.driver import Driver, Notice, key_of  # noqa: E402

import queue_tui  # noqa: E402
from queue_tui.cli import DEMO_CONFIG  # noqa: E402
from queue_tui.config import config_from_dict  # noqa: E402
from queue_tui.service.gateway import Connection  # noqa: E402
from queue_tui.ui.app import QueueApp  # noqa: E402

_out_lock = threading.Lock()


def emit(event: dict[str, Any]) -> None:
    with _out_lock:
        sys.__stdout__.write("@@soak " + json.dumps(event) + "\n")  # type: ignore[union-attr]
        sys.__stdout__.flush()  # type: ignore[union-attr]


class SoakApp(QueueApp):
    """The app as shipped; only its notices are also kept, to read each task's outcome from."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.soak_notices: list[Notice] = []

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        from rich.text import Text

        plain = Text.from_markup(message).plain if markup else message
        self.soak_notices.append(Notice(len(self.soak_notices) + 1, str(severity), title, plain))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


def _reader(loop: asyncio.AbstractEventLoop, q: asyncio.Queue[dict[str, Any] | None]) -> None:
    for line in sys.stdin:
        line = line.strip()
        if line:
            loop.call_soon_threadsafe(q.put_nowait, json.loads(line))
    loop.call_soon_threadsafe(q.put_nowait, None)


async def main(args: argparse.Namespace) -> int:
    clock = SharedClock(Path(args.clock))
    cfg = config_from_dict({**DEMO_CONFIG, "monitor": {**DEMO_CONFIG["monitor"], "poll_seconds": args.poll}}, "soak")
    conn = Connection(args.url, "cloud", email=args.email, token=os.environ["SOAK_TOKEN"], timeout=args.timeout)
    app = SoakApp(conn, cfg, clock=clock.now, gateway_kwargs={"sleep": clock.sleep})
    tasks: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
    threading.Thread(target=_reader, args=(asyncio.get_running_loop(), tasks), daemon=True).start()
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        driver = Driver(app, pilot, app.soak_notices, emit)
        if not await driver.connected():
            emit({"ev": "error", "detail": "the queue never loaded"})
            return 3
        emit({"ev": "ready", "package": str(Path(queue_tui.__file__).parent), "pid": os.getpid()})
        while True:
            try:
                task = tasks.get_nowait()
            except asyncio.QueueEmpty:
                driver.watch_stale()
                await pilot.pause(0.05)
                continue
            if task is None or task.get("do") == "quit":
                break
            if task.get("do") == "status":
                q = driver.queue
                emit({"ev": "status", "id": task["id"], "stale": q.stale, "stale_misses": driver.stale_misses,
                      "polls": driver.polls(q)})
                continue
            if task.get("do") == "refresh":
                polls = driver.polls(driver.queue)
                await pilot.press(key_of("refresh"))
                await driver.until(lambda p=polls: driver.polls(driver.queue) > p and not driver.busy(), 20)
                q = driver.queue
                emit({"ev": "status", "id": task["id"], "stale": q.stale, "stale_misses": driver.stale_misses,
                      "polls": driver.polls(q)})
                continue
            try:
                result = await driver.run(task)
                emit({"ev": "done", "id": task["id"], **result.as_dict()})
            except Exception as exc:  # noqa: BLE001 - the soak counts these: there must be none
                emit({"ev": "done", "id": task["id"], "outcome": "harness error",
                      "detail": "".join(traceback.format_exception_only(exc)).strip()[:500],
                      "trace": traceback.format_exc()[-2000:]})
    if app.return_code not in (None, 0) or getattr(app, "_exception", None) is not None:
        emit({"ev": "error", "detail": f"the app stopped: {app._exception!r}"})
        return 4
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--email", required=True)
    ap.add_argument("--clock", required=True)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--poll", type=float, default=10.0)
    raise SystemExit(asyncio.run(main(ap.parse_args())))
