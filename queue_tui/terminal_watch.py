"""Leave when the terminal goes away.

Closing a terminal window or losing an ssh session normally sends SIGHUP and the app ends. When
the hangup does not reach it (ignored by a wrapper, lost on the way), the terminal's input keeps
reporting end-of-file and the output queue fills: the app would spin on a core forever, unseen.
A daemon thread asks the terminal every few seconds whether it is still there and ends the
process when it is not. Nothing is lost: drafts and playbook progress are written atomically as
they change, and every write to Jira is already in the audit log.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

log = logging.getLogger("queue_tui")


def terminal_alive(fd: int) -> bool:
    """Whether `fd` is still a terminal with a session behind it (a hung-up one answers EIO)."""
    try:
        os.tcgetpgrp(fd)
    except OSError:
        return False
    return True


def watch_terminal(every: float = 2.0) -> threading.Thread | None:
    """Start watching stdin's terminal; nothing to watch (a pipe, a browser tab) returns None."""
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    if not os.isatty(fd) or not terminal_alive(fd):
        return None

    def run() -> None:
        while terminal_alive(fd):
            time.sleep(every)
        log.warning("the terminal went away; exiting")
        logging.shutdown()
        os._exit(129)  # the event loop may be blocked on the dead terminal: no clean way back through it

    thread = threading.Thread(target=run, name="terminal-watch", daemon=True)
    thread.start()
    return thread
