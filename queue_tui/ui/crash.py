"""An unexpected error: one short line on screen, the traceback (without local variables) in the log.

Textual prints an unhandled exception with `rich.traceback.Traceback(show_locals=True)`, which
would put ticket text, and any secret a frame holds, on the terminal. It prints an exception
that can render itself (`__rich__`) through the public `App.panic` instead, so the app hands it
`ShortCrash`, whose rendering is one line; the full traceback goes to the log through `logging`,
which never prints local variables.
"""

from __future__ import annotations

import logging

from rich.text import Text

log = logging.getLogger("queue_tui.crash")


class ShortCrash(Exception):
    """Stands for an unexpected error on screen; the real one is its cause."""

    def __init__(self, error: BaseException, log_path: str) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.line = (f"queue-tui stopped on an unexpected error ({type(error).__name__}). Your drafts are saved. "
                     f"Details for whoever looks into it are in {log_path}")

    def __rich__(self) -> Text:
        return Text(self.line, style="bold red")


def short_crash(error: Exception, log_path: str) -> ShortCrash:
    """Log `error` with its traceback (no locals) and return what the screen shows instead."""
    if isinstance(error, ShortCrash):
        return error
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    crash = ShortCrash(error, log_path)
    crash.__cause__ = error
    return crash
