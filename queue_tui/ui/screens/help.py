"""The help screen (`?`): every command of the registry with the keys this agent presses.

The commands of where the keys are now come first (the SOP panel's when it has them, then the
screen's), then the ones that work everywhere, then every other place (reply composer, CS form,
detail, dialogs). Keys the agent remapped under `[ui] keymap` are shown remapped and marked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from queue_tui.ui.commands import SCOPES, bindings, in_scope, key_text, scope_of
from queue_tui.ui.palette import focus_chain

# Not part of the queue app's help: a separate app.
_ELSEWHERE_SKIPPED = ("init",)


def sections(under: Screen[Any]) -> list[tuple[str, str]]:
    """(scope, title) in the order the help lists them: where the keys are, everywhere, elsewhere."""
    here = [s for s in (scope_of(n) for n in focus_chain(under)) if s is not None and s != "app"]
    order = [*dict.fromkeys(here), "app"]
    order += [s for s in SCOPES if s not in order and s not in _ELSEWHERE_SKIPPED]
    titles = {s: SCOPES[s] for s in order}
    for s in dict.fromkeys(here):
        titles[s] = f"Here: {SCOPES[s]}"
    return [(s, titles[s]) for s in order]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%; border: thick $accent;
                                  background: $surface; padding: 0 1; }
    """
    COMMAND_SCOPE: ClassVar[str] = "help"
    BINDINGS = bindings("help")

    def __init__(self, under: Screen[Any], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.under = under
        self.keymap = dict(keymap)

    def table(self, scope: str) -> Table:
        table = Table(show_header=False, expand=True, show_edge=False, box=None, pad_edge=False)
        table.add_column("Key", style="bold cyan", no_wrap=True, width=12)
        table.add_column("What it does", ratio=1)
        table.add_column("id", style="dim", no_wrap=True, width=20)
        for c in in_scope(scope):
            mark = " •" if c.id in self.keymap else ""
            table.add_row(Text(key_text(c, self.app, self.keymap) + mark), Text(c.help), Text(c.id))
        if scope == "app":
            table.add_row(Text("^p"), Text("Command palette: what you can do here, by name; themes"), Text(""))
        return table

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            note = "  • your keymap" if self.keymap else ""
            yield Static(Text.assemble(("queue-tui keys", "bold"), ("   right: the id for [ui] keymap", "dim"), (note, "bold")))
            for scope, title in sections(self.under):
                yield Static(Text("\n" + title, style="bold underline"))
                yield Static(self.table(scope))
