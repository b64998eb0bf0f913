"""The channel asked again at close: the site's options ticked as the field is now, each value with
who set it, the channels the ticket's words point to as suggestions (never ticked for the agent),
and the SOP's words. `y` closes with the ticked channels, `k` closes with the field left empty
(only when it is empty), `esc` cancels the close. Unticking a value someone set is asked once more,
naming who set it. The SOP panel's `e` on the channel step opens the same dialog (`closing=False`):
`y` sets the channels and nothing closes."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static

from queue_tui.core.close_channel import SOP_FILE, SOP_SAYS, ChannelAnswer, ChannelHint
from queue_tui.core.context import Change
from queue_tui.core.models import Person
from queue_tui.ui.commands import bindings
from queue_tui.ui.screens.modals import ConfirmScreen


def _set_by(value: str, setters: dict[str, Change] | None, me: Person | None) -> str:
    if setters is None:
        return "who set it: Jira sent no history"
    ch = setters.get(value)
    if ch is None:
        return "set when the ticket came in"
    who = "you" if me is not None and ch.by is not None and ch.by.id == me.id else (ch.by.name if ch.by else "someone")
    return f"set by {who}, {ch.at:%d %b %H:%M}"


class CloseChannelScreen(ModalScreen[ChannelAnswer | None]):
    DEFAULT_CSS = """
    CloseChannelScreen { align: center middle; }
    CloseChannelScreen > Vertical { width: 100; max-width: 100%; height: auto; max-height: 100%; border: thick $warning;
                                    background: $surface; padding: 0 1; }
    CloseChannelScreen #channel-head { height: auto; }
    CloseChannelScreen #channel-sop { height: auto; color: $text-muted; }
    CloseChannelScreen SelectionList { height: auto; max-height: 1fr; margin-top: 1; }
    CloseChannelScreen #channel-status { height: auto; margin-top: 1; }
    """
    COMMAND_SCOPE: ClassVar[str] = "close_channel"
    BINDINGS = bindings("close_channel")

    def __init__(self, key: str, heading: str, options: tuple[str, ...], values: tuple[str, ...],
                 setters: dict[str, Change] | None, hints: list[ChannelHint], me: Person | None, editable: bool = True, closing: bool = True) -> None:
        super().__init__()
        self.key = key
        self.heading = heading
        self.options = options
        self.values = values
        self.setters = setters
        self.hints = {h.option: h for h in hints}
        self.me = me
        self.editable = editable
        self.closing = closing  # asked by C (else by the SOP panel's e: y sets the channel, nothing closes)
        self.verb = "closes" if closing else "sets"
        self.ticked = set(values)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading, style="bold"), id="channel-head")
            yield Static(Text(f"{SOP_FILE}: \u201c{SOP_SAYS}\u201d", style="italic"), id="channel-sop")
            yield OptionList(*[self._prompt(o) for o in self.options], id="channels", disabled=not self.editable)
            yield Static(self._status(), id="channel-status")
            yield Footer()

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        if self.options:
            ol.highlighted = 0

    def _prompt(self, option: str) -> Text:
        out = Text.assemble(("[x] " if option in self.ticked else "[ ] ", "bold"), (option, "bold"))
        if option in self.values:
            out.append(f"  ({_set_by(option, self.setters, self.me)})", style="dim")
        hint = self.hints.get(option)
        if hint is not None:
            out.append(f"\n  suggested: {hint.says()}", style="yellow")
        return out

    def _status(self, problem: str = "") -> Text:
        if problem:
            return Text(problem, style="bold red")
        if not self.editable:
            return Text(f"The channel field is not on this ticket's edit screen: y {self.verb} nothing; set it in Jira.",
                        style="dim")
        if not self.values:
            return Text(f"The channel is empty. Tick every channel you used (space); y {self.verb} them"
                        + (", k closes without one." if self.closing else "."), style="bold yellow")
        if self.hints:
            return Text(f"Suggested channels are not ticked: tick one (space) if you used it. y {self.verb} the ticked ones.",
                        style="dim")
        return Text(f"Add any channel you also used (space); y {self.verb} the ticked ones.", style="dim")

    def chosen(self) -> tuple[str, ...]:
        return tuple(o for o in self.options if o in self.ticked)

    def toggle(self, option: str) -> None:
        """Tick or untick one of the site's options."""
        if not self.editable or option not in self.options:
            return
        self.ticked ^= {option}
        ol = self.query_one(OptionList)
        ol.replace_option_prompt_at_index(self.options.index(option), self._prompt(option))
        self.query_one("#channel-status", Static).update(self._status())

    @on(OptionList.OptionSelected, "#channels")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.toggle(self.options[event.option_index])

    def key_space(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self.toggle(self.options[ol.highlighted])

    def action_confirm(self) -> None:
        self._confirm()

    @work(exclusive=True, group="close-channel", exit_on_error=False, description="confirm the channel")
    async def _confirm(self) -> None:
        if not self.editable:
            self.dismiss(ChannelAnswer(self.values, self.values))
            return
        chosen = self.chosen()
        if not chosen:
            self.query_one("#channel-status", Static).update(self._status(
                "The SOP asks that phone, email, or chat is selected: tick the channels you used"
                + (f", or k to close {self.key} without one." if self.closing else ", or esc.") if not self.values else
                "The SOP asks that a channel is selected: keep at least one ticked."))
            return
        answer = ChannelAnswer(self.values, chosen)
        if answer.removed:
            names = "; ".join(f"{v} ({_set_by(v, self.setters, self.me)})" for v in answer.removed)
            if not await self.app.push_screen_wait(ConfirmScreen(
                    f"Remove from the channel of {self.key}: {names}?\n\nOnly remove a channel nobody used.",
                    yes="Remove")):
                return
        self.dismiss(answer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # k is only offered while the field is empty: it never empties a channel someone set.
        return self.closing and not self.values if action == "skip" else True

    def action_skip(self) -> None:
        if self.values or not self.closing:
            self.notify("The channel is set: y closes with it", timeout=3)
            return
        self.dismiss(ChannelAnswer((), (), skipped=True))

    def action_cancel(self) -> None:
        self.dismiss(None)
