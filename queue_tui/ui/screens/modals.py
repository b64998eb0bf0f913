"""Small modal screens: a yes/no confirm, and a searchable picker of people or options."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from queue_tui.service.errors import JiraError
from queue_tui.ui.commands import bindings


class ConfirmScreen(ModalScreen[bool]):
    """Ask one question; dismiss with True (yes) or False (no / escape)."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 72; max-width: 100%; height: auto; max-height: 100%; border: thick $warning;
                               background: $surface; padding: 1 2; }
    ConfirmScreen VerticalScroll { height: auto; max-height: 60vh; }
    ConfirmScreen Horizontal { height: auto; align: right middle; margin-top: 1; }
    ConfirmScreen Button { margin-left: 2; }
    """
    COMMAND_SCOPE: ClassVar[str] = "confirm"
    BINDINGS = bindings("confirm")

    def __init__(self, question: str | Text, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question if isinstance(question, Text) else Text(question)
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():  # a long question (a reply to proofread) scrolls; the answers stay in view
                yield Static(self.question, id="question")
            with Horizontal():
                yield Button(f"{self.no_label} (n)", id="no")
                yield Button(f"{self.yes_label} (y)", id="yes", variant="warning")

    def on_mount(self) -> None:
        # The safe answer has the focus: a stray Enter never takes a ticket or sends a reply.
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class PickerScreen(ModalScreen[Any]):
    """Type to search; enter picks. `search` returns (label, value) pairs for the typed text."""

    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical { width: 70; max-width: 100%; height: 24; max-height: 100%; border: thick $accent;
                              background: $surface; padding: 0 1; }
    PickerScreen #title { width: 1fr; height: auto; }
    PickerScreen OptionList { height: 1fr; }
    PickerScreen #status { color: $text-muted; height: 1; }
    """
    COMMAND_SCOPE: ClassVar[str] = "picker"
    BINDINGS = bindings("picker")

    def __init__(self, title: str, search: Callable[[str], Awaitable[list[tuple[str, Any]]]],
                 initial: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.search = search
        self.initial = initial
        self.values: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"), id="title")  # wraps: a reason must read whole
            yield Input(value=self.initial, placeholder="Type to search…", id="query")
            yield OptionList(id="options")
            yield Static("", id="status")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.run_search(self.initial)

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(exclusive=True, group="picker-search", exit_on_error=False, description="run search")
    async def run_search(self, text: str) -> None:
        status = self.query_one("#status", Static)
        status.update("Searching…")
        try:
            results = await self.search(text)
        except JiraError as exc:
            status.update(Text(f"Search failed: {exc.short()}", style="red"))
            return
        options = self.query_one(OptionList)
        options.clear_options()
        self.values = [v for _, v in results]
        options.add_options([Option(Text(label)) for label, _ in results])
        status.update(f"{len(results)} found" if results else "No match")
        if results:
            options.highlighted = 0

    @on(Input.Submitted, "#query")
    def _submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.values:
            self.dismiss(self.values[options.highlighted])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[event.option_index])

    def key_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def key_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
