"""The typed way from any screen or widget to the queue app (and so to its services)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp


def queue_app(node: DOMNode) -> QueueApp:
    """The QueueApp `node` runs in; TypeError if it runs in another app (a programming error)."""
    from queue_tui.ui.app import QueueApp

    app = node.app
    if not isinstance(app, QueueApp):
        raise TypeError(f"{type(node).__name__} runs in {type(app).__name__}, not in the queue app")
    return app
