"""The app leaves when its terminal goes away, even when no hangup signal reaches it."""

from __future__ import annotations

import fcntl
import os
import pty
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
