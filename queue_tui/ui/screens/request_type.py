"""`t`: pick one of the desk's own request types, grouped under the SOP type each stands for.

The suggested type comes first with the words that suggest it; every type says why it ranks
where it does. Below the list, the guidance of the highlighted type and its routes from both
triage SOPs, each under the file it comes from, with what its key does in the SOP panel. Type to filter by the desk's name or the SOP's;
enter picks, escape leaves without a change. The menu itself is `core.type_menu`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from queue_tui.core.playbook import Step
from queue_tui.core.routes import action
from queue_tui.core.type_menu import TypeChoice, TypeGroup
from queue_tui.ui.commands import bindings


def guidance_text(choice: TypeChoice, routes: Mapping[str, tuple[Step, ...]] | None = None,
                  sop_file: str = "queue-triage-and-request-types.txt") -> Text:
    """The guidance and the routes of both triage SOPs for one choice, as shown below the list."""
    g = choice.guide
    out = Text()
    if g is None:
        out.append(f"{choice.type.name}: ", style="bold")
        out.append("the SOP names no type like this one; no guidance.", style="italic")
        if choice.type.description:
            out.append(f"\nThe desk says: {choice.type.description}")
        return out
    out.append(g.name, style="bold")
    if choice.sop is None:
        out.append(f"  ({choice.type.name} reads like it; map it under [request_type_aliases] to make it sure)",
                   style="italic")
    out.append(f"\n{g.guidance}")
    mine = (routes or {}).get(g.name.lower(), ())
    by_file: dict[str, list[Step]] = {}
    for s in mine:
        by_file.setdefault(s.source or sop_file, []).append(s)
    for source in sorted(by_file, key=lambda f: f != sop_file):  # the newer SOP first: it wins
        out.append(f"\n{source}", style="bold dim")
        for s in by_file[source]:
            out.append(f"\n • {s.title}")
            out.append(f"  ({action(s)})", style="dim")
    if mine:
        out.append("\nOnce the type is set, the SOP panel (p) shows these routes: g takes one.", style="italic dim")
    return out


class RequestTypeScreen(ModalScreen[TypeChoice | None]):
    """The desk's request types for one ticket; dismissed with the chosen one, or None."""

    DEFAULT_CSS = """
    RequestTypeScreen { align: center middle; }
    RequestTypeScreen > Vertical { width: 100%; max-width: 110; height: auto; max-height: 100%;
                                   border: thick $accent; background: $surface; padding: 0 1; }
    RequestTypeScreen #rt-options { height: auto; max-height: 45vh; }
    RequestTypeScreen #rt-guide-box { height: auto; max-height: 30vh; border-top: solid $accent; }
    RequestTypeScreen #rt-status { color: $text-muted; height: 1; }
    """
    COMMAND_SCOPE: ClassVar[str] = "picker"
    BINDINGS = bindings("picker")

    def __init__(self, key: str, current: str, groups: list[TypeGroup],
                 routes: Mapping[str, tuple[Step, ...]] | None = None) -> None:
        super().__init__()
        self.key = key
        self.current = current
        self.groups = groups
        self.routes = routes or {}
        self._shown: list[TypeChoice | None] = []  # per option: its choice, None for a group heading

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text(f"Request type of {self.key}", style="bold")
            title.append(f"   now: {self.current or 'none'}", style="dim")
            yield Label(title)
            yield Input(placeholder="Type to filter by the desk's name or the SOP's…", id="rt-query")
            yield OptionList(id="rt-options")
            with VerticalScroll(id="rt-guide-box"):
                yield Static("", id="rt-guide")
            yield Static("", id="rt-status")

    def on_mount(self) -> None:
        self.query_one("#rt-query", Input).focus()
        self._fill("")

    def _fill(self, text: str) -> None:
        options = self.query_one("#rt-options", OptionList)
        options.clear_options()
        self._shown = []
        for group in self.groups:
            found = [c for c in group.choices if c.matches(text)]
            if not found:
                continue
            options.add_option(Option(Text(group.title, style="bold underline"), disabled=True))
            self._shown.append(None)
            for c in found:
                options.add_option(Option(self._label(c)))
                self._shown.append(c)
        count = sum(c is not None for c in self._shown)
        first = next((n for n, c in enumerate(self._shown) if c is not None), None)
        options.highlighted = first
        self.query_one("#rt-status", Static).update(
            f"{count} of the desk's request types" if count else "No request type of this desk matches")
        self._show_guide()

    @staticmethod
    def _label(c: TypeChoice) -> Text:
        label = Text("  " + c.type.name, style="bold" if c.suggested else "")
        if c.sop is None and c.resembles:
            label.append("  (reads like it)", style="italic dim")
        # The words only: the group heading and "(reads like it)" already say which SOP type.
        why = "mentions " + ", ".join(f"'{w}'" for w in c.words[:3]) if c.words else c.reason
        if c.suggested:
            label.append(f"   ← suggested: {why}", style="green")
        elif c.words:
            label.append(f"   {why}", style="dim")
        return label

    def selected(self) -> TypeChoice | None:
        n = self.query_one("#rt-options", OptionList).highlighted
        return self._shown[n] if n is not None and 0 <= n < len(self._shown) else None

    def _show_guide(self) -> None:
        c = self.selected()
        self.query_one("#rt-guide", Static).update(guidance_text(c, self.routes) if c is not None else "")

    @on(Input.Changed, "#rt-query")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(OptionList.OptionHighlighted, "#rt-options")
    def _highlighted(self) -> None:
        self._show_guide()

    @on(Input.Submitted, "#rt-query")
    def _submit(self) -> None:
        c = self.selected()
        if c is not None:
            self.dismiss(c)

    @on(OptionList.OptionSelected, "#rt-options")
    def _selected(self) -> None:
        c = self.selected()
        if c is not None:
            self.dismiss(c)

    def key_down(self) -> None:
        self.query_one("#rt-options", OptionList).action_cursor_down()

    def key_up(self) -> None:
        self.query_one("#rt-options", OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
