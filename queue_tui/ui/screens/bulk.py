"""One action on several tickets: the confirm that lists every ticket, then the progress and
each ticket's result on the same screen.

Tickets a colleague holds are listed apart and left out unless the agent includes them (`i`),
so a bulk action never takes over a colleague's ticket without a confirm that names them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from queue_tui.core.models import Ticket
from queue_tui.core.shorten import shorten_summary
from queue_tui.ui.commands import bindings

_MARKS = {"waiting": ("·", "dim"), "working": ("…", "bold"), "done": ("✓", "bold green"),
          "skipped": ("–", "bold yellow"), "failed": ("✗", "bold red")}


def holder(t: Ticket, me_id: str | None) -> str | None:
    """The colleague holding `t` (None: nobody, or me)."""
    if t.assignee is None or t.assignee.id == me_id:
        return None
    return t.assignee.name


class BulkScreen(ModalScreen[None]):
    """`run(tickets, report)` does the work; `report(key, state, text)` shows each ticket's result."""

    DEFAULT_CSS = """
    BulkScreen { align: center middle; }
    BulkScreen > Vertical { width: 100; max-width: 100%; height: auto; max-height: 100%; border: thick $warning;
                            background: $surface; padding: 0 1; }
    BulkScreen #bulk-head { height: auto; text-style: bold; }
    BulkScreen VerticalScroll { height: auto; max-height: 1fr; }
    BulkScreen #bulk-status { height: auto; margin-top: 1; }
    """
    COMMAND_SCOPE: ClassVar[str] = "bulk"
    BINDINGS = bindings("bulk")

    def __init__(self, title: str, tickets: list[Ticket], me_id: str | None, note: str,
                 run: Callable[[list[Ticket], Callable[[str, str, str], None]], Awaitable[None]],
                 details: dict[str, str] | None = None) -> None:
        super().__init__()
        self.details = details or {}  # key -> what the action will do to that ticket (bulk close: its channel)
        self.title_text = title
        self.free = [t for t in tickets if holder(t, me_id) is None]
        self.held = [t for t in tickets if holder(t, me_id) is not None]
        self.me_id = me_id
        self.note = note
        self.run_all = run
        self.include_held = False
        self.started = False
        self.finished = False
        self.results: dict[str, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="bulk-head")
            with VerticalScroll():
                yield Static(id="bulk-list")
            yield Static(id="bulk-status")
            yield Footer()

    def on_mount(self) -> None:
        self.show()

    def chosen(self) -> list[Ticket]:
        return self.free + (self.held if self.include_held else [])

    def show(self) -> None:
        n = len(self.chosen())
        self.query_one("#bulk-head", Static).update(Text.assemble(
            (f"{self.title_text}: {n} ticket{'s' if n != 1 else ''}", "bold"), ("\n" + self.note if self.note else "", "italic")))
        lines = Text()
        for t in self.free:
            lines.append_text(self._line(t))
        if self.held:
            lines.append("\nHeld by a colleague: " + ("included" if self.include_held else "left out (i to include)") + "\n",
                         style="bold yellow")
            for t in self.held:
                lines.append_text(self._line(t, holder(t, self.me_id)))
        self.query_one("#bulk-list", Static).update(lines)
        done = sum(1 for s, _ in self.results.values() if s in ("done", "skipped", "failed"))
        if not self.started:
            status = Text(f"Nothing is written before y. {len(self.held)} held by a colleague: i includes them."
                          if self.held else "Nothing is written before y.", style="dim")
        elif not self.finished:
            status = Text(f"Working… {done} of {len(self.chosen())}", style="bold")
        else:
            counts = {s: sum(1 for x, _ in self.results.values() if x == s) for s in ("done", "skipped", "failed")}
            status = Text(f"Finished: {counts['done']} done, {counts['skipped']} skipped, {counts['failed']} failed"
                          "   (esc closes)", style="bold")
        self.query_one("#bulk-status", Static).update(status)

    def _line(self, t: Ticket, held_by: str | None = None) -> Text:
        state, text = self.results.get(t.key, ("waiting", ""))
        if not self.started:
            state = "waiting"
        mark, style = _MARKS[state]
        out = Text.assemble((f" {mark} ", style), (f"{t.key:<9}", "bold"), shorten_summary(t.summary, 60))
        if held_by:
            out.append(f"  (held by {held_by})", style="yellow")
        if t.key in self.details:
            out.append(f"\n{'':12}{self.details[t.key]}", style="dim")
        if text:
            out.append(f"  {text}", style=style)
        out.append("\n")
        return out

    def report(self, key: str, state: str, text: str = "") -> None:
        self.results[key] = (state, text)
        self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """y and i mean something only before the work starts; the footer stops offering them then."""
        if action in ("yes", "include"):
            return not self.started and (action == "yes" or bool(self.held))
        return True

    def action_include(self) -> None:
        if not self.started and self.held:
            self.include_held = not self.include_held
            self.show()

    def action_yes(self) -> None:
        if self.started or not self.chosen():
            return
        self.started = True
        self.refresh_bindings()
        self.show()
        self.work()

    @work(exclusive=True, group="bulk", exit_on_error=False, description="bulk action")
    async def work(self) -> None:
        for t in self.held if not self.include_held else []:
            self.report(t.key, "skipped", "left out")  # its line already names who holds it
        try:
            await self.run_all(self.chosen(), self.report)
        finally:
            self.finished = True
            self.show()

    def action_cancel(self) -> None:
        if self.started and not self.finished:
            self.notify("Still working: each ticket's result shows here as it comes", timeout=3)
            return
        self.dismiss(None)
