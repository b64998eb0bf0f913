"""Ask the agent for one line of text a step needs (a link to record, what a colleague should know)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from queue_tui.ui.commands import bindings


class AskScreen(ModalScreen[str | None]):
    """One question, one line; enter gives the text (never empty), escape gives None."""

    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > Vertical { width: 80; max-width: 100%; height: auto; border: thick $accent; background: $surface;
                           padding: 0 1; }
    AskScreen #ask-hint { color: $text-muted; }
    """
    COMMAND_SCOPE: ClassVar[str] = "picker"
    BINDINGS = bindings("picker")

    def __init__(self, title: str, question: str, then: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.then = then

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Label(Text(self.question))
            yield Input(placeholder="type, then enter", id="ask-input")
            yield Static(Text(self.then + ("\n" if self.then else "") + "enter: go on   esc: cancel"), id="ask-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#ask-input")
    def _submit(self, event: Input.Submitted) -> None:
        text = " ".join(event.value.split())
        if text:
            self.dismiss(text)
        else:
            self.query_one("#ask-hint", Static).update(Text("Type something first (esc to cancel)", style="red"))

    def action_cancel(self) -> None:
        self.dismiss(None)
