"""The help screen: every key of the screen underneath and of the app, generated from the bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def _rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
    out = []
    for b in bindings:
        if isinstance(b, Binding) and b.description:
            out.append((b.key_display or b.key, b.description))
    return out


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80; height: 80%; border: thick $accent; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help_close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(show_header=True, header_style="bold", expand=True, show_edge=False)
        table.add_column("Key", style="bold cyan", no_wrap=True)
        table.add_column("What it does")
        keymap = getattr(self.app, "_keymap", {}) or {}
        for title, bindings in ((self.under.__class__.__name__.replace("Screen", " screen"), list(self.under.BINDINGS)),
                                ("Everywhere", list(self.app.BINDINGS))):
            table.add_row(Text(title, style="bold underline"), Text(""))
            for key, desc in _rows(bindings):
                table.add_row(Text(key), Text(desc))
        table.add_row(Text(""), Text(""))
        table.add_row(Text("ctrl+p"), Text("Command palette: every action by name, and themes"))
        if keymap:
            table.add_row(Text("(keymap)"), Text(", ".join(f"{k} → {v}" for k, v in keymap.items())))
        with VerticalScroll():
            yield Static(Text("queue-tui keys", style="bold"))
            yield Static(table)
