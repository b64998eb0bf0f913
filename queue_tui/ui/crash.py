"""An unexpected error: one short line on screen, the traceback (without local variables) in the log.

Textual stops the app on an unhandled exception and, once the terminal is back to normal, prints
it through the app's `error_console` as a `rich` traceback with every frame's local variables
(ticket text, and any secret a frame holds). `StopsShort` gives the app an error console that
prints one line naming the log instead, whatever it is handed. The error itself is logged through
`logging`, which never prints local variables, at the one moment Textual is still handling it:
Textual rings the app's public `bell` while it handles an unhandled error (and rings it from no
other `except` block), so the app's `bell` logs the error being handled when the app is stopping
on one.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TypeVar

from rich.console import Console
from rich.text import Text
from textual.app import App

from queue_tui.config import state_dir

log = logging.getLogger("queue_tui.crash")
R = TypeVar("R")


def crash_line(error: BaseException | None, log_path: str) -> str:
    what = f" ({type(error).__name__})" if error is not None else ""
    return (f"queue-tui stopped on an unexpected error{what}. Your drafts are saved. "
            f"Details for whoever looks into it are in {log_path}")


class CrashConsole(Console):
    """The app's error console: one short line, once, instead of what Textual prints."""

    def __init__(self) -> None:
        super().__init__(markup=False, highlight=False, stderr=True)
        self.error: BaseException | None = None
        self.line = ""

    def log_error(self, error: BaseException) -> None:
        """The error the app stops on, logged with its traceback (never its local variables)."""
        if self.error is None:
            self.error = error
        log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))

    def print(self, *objects: Any, **kwargs: Any) -> None:
        # What Textual hands over (the traceback with its locals) is never shown.
        if self.line:
            return
        if self.error is None:  # Textual stopped the app without ringing: at least say where the log is
            log.error("the app stopped on an unexpected error it gave no details of")
        self.line = crash_line(self.error, str(state_dir() / "logs" / "queue-tui.log"))
        super().print(Text(self.line, style="bold red"))


class StopsShort(App[R]):
    """A Textual app that stops on an unexpected error with one short line, its details in the log."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_console = self.crash = CrashConsole()

    def bell(self) -> None:
        error = sys.exc_info()[1]
        if error is not None and self.return_code == 1:  # Textual handling an error it stops the app on
            self.crash.log_error(error)
            return
        super().bell()
