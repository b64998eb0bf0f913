"""The app leaves when its terminal goes away, even when no hangup signal reaches it."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _read_until(fd: int, needle: bytes, limit: float) -> bytes:
    seen = b""
    end = time.monotonic() + limit
    while needle not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def _exit_status(pid: int, limit: float) -> int | None:
    end = time.monotonic() + limit
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return -1  # already collected
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= end:
            return None
        time.sleep(0.1)


def test_the_app_exits_when_its_terminal_closes_without_a_hangup(tmp_path: Path) -> None:
    env = {**os.environ, "QUEUE_TUI_HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
    pid, master = pty.fork()
    if pid == 0:  # the child: a session on the new terminal that does not hear SIGHUP
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        os.execve(sys.executable, [sys.executable, "-m", "queue_tui", "--demo"], env)
    try:
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
        screen = _read_until(master, b"SS-", 90)
        assert b"SS-" in screen, f"the queue never painted: {screen[-2000:]!r}"
        os.close(master)  # the terminal window closes
        master = -1
        code = _exit_status(pid, 30)
        assert code == 129, "the app kept running after its terminal went away"
        log = (tmp_path / "state" / "logs" / "queue-tui.log").read_text()
        assert "the terminal went away" in log
    finally:
        if master >= 0:
            os.close(master)
        if _exit_status(pid, 0) is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


# A real run in a terminal: a ticket arrives, then something in the app breaks.
_ARRIVAL_THEN_CRASH = '''
from queue_tui.cli import DEMO_CONFIG, setup_logging
from queue_tui.config import config_from_dict
from queue_tui.sandbox import start_sandbox
from queue_tui.sandbox.team import new_ticket
from queue_tui.service.gateway import Connection
from queue_tui.ui.app import QueueApp
from queue_tui.ui.screens.queue import QueueScreen

sb = start_sandbox(mode="cloud")
c = sb.credentials
setup_logging(False, [c.token])
settings = config_from_dict({**DEMO_CONFIG, "notify": {"notify_send": False}}, "test")


class Arrival(QueueApp):
    step = 0

    def on_ready(self) -> None:
        self.set_interval(0.1, self.next_step)

    def next_step(self) -> None:
        screen = next((s for s in self.screen_stack if isinstance(s, QueueScreen)), None)
        if screen is None or not screen.feed.polls or not screen.table.row_count:
            return
        if self.step == 0:
            with sb.world.lock:
                new_ticket(sb.world, summary="Inverter offline at the Helios site")
            screen.start_poll()
            self.step = 1
        elif screen.alerting.desktop.sent:
            customer_secret = "Helios gate code 4471"  # a local a traceback printer would show
            raise RuntimeError("the table broke " + customer_secret[:0])


app = Arrival(Connection(sb.base_url, "cloud", email=c.email, token=c.token), settings)
app.run()
sb.stop()
raise SystemExit(app.return_code or 0)
'''


def test_a_new_ticket_reaches_the_terminal_as_a_desktop_notification_and_a_crash_shows_one_line(
        tmp_path: Path) -> None:
    env = {**os.environ, "QUEUE_TUI_HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
    pid, master = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-c", _ARRIVAL_THEN_CRASH], env)
    try:
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
        seen = _read_until(master, b"whoever looks into it", 90)
        seen += _read_until(master, b"\x00", 1)
        code = _exit_status(pid, 30)
    finally:
        os.close(master)
        if _exit_status(pid, 0) is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    # The notification sequences, as Textual's driver wrote them between frames.
    assert b"\x1b]9;New ticket: SS-" in seen, seen[-3000:]
    assert b": Inverter offline at the Helios site\x07" in seen
    assert b"\x1b]777;notify;New ticket;SS-" in seen
    # After the app's screen is gone: one line naming the log, no traceback, no local variable.
    log_path = tmp_path / "state" / "logs" / "queue-tui.log"
    after = seen.rsplit(b"\x1b[?1049l", 1)[-1]  # what follows the app's screen, colours taken out
    words = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", after.decode(errors="replace")).split())
    assert ("queue-tui stopped on an unexpected error (RuntimeError). Your drafts are saved. Details for whoever "
            f"looks into it are in {log_path}") in words, seen[-3000:]
    assert b"Traceback" not in seen and b"the table broke" not in seen and b"gate code" not in seen
    assert code == 1
    logged = log_path.read_text()
    assert "RuntimeError: the table broke" in logged and "Traceback" in logged and "gate code" not in logged
