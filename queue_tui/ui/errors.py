"""Worker failures as the agent reads them: one short line, never a traceback.

Flows run as workers on the app and raise instead of notifying: a `FlowError` carries the line
itself (what was and was not done), a `JiraError` is shown after the worker's description, and
anything else (a bug) is logged in full and shown as one line pointing to the log. The app's
single `Worker.StateChanged` handler calls `notice`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from textual.worker import Worker

from queue_tui.service.errors import JiraError

Severity = Literal["information", "warning", "error"]
log = logging.getLogger(__name__)


class FlowError(Exception):
    """A flow stopped for a reason the agent must read; the message is the whole notification."""

    def __init__(self, text: str, *, severity: Severity = "error", timeout: float = 10) -> None:
        super().__init__(text)
        self.text = text
        self.severity: Severity = severity
        self.timeout = timeout


@dataclass(frozen=True)
class Notice:
    text: str
    severity: Severity = "error"
    timeout: float = 10


def notice(worker: Worker[Any]) -> Notice | None:
    """The notification for a worker that ended in error (None when it did not)."""
    error = worker.error
    if error is None:
        return None
    if isinstance(error, FlowError):
        return Notice(error.text, error.severity, error.timeout)
    what = worker.description or worker.name or "A background task"
    if isinstance(error, JiraError):
        return Notice(f"{what}: {error.short()}")
    log.error("%s failed", what, exc_info=error)
    return Notice(f"{what} failed unexpectedly ({type(error).__name__}); the details are in the log")
