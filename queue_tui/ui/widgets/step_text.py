"""How the SOP panel draws a step, the preview of apply-all and the question before replacing a
colleague's value: plain Rich text, so every screen size and theme shows the same words."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from queue_tui.core import ops
from queue_tui.core.judgement import Judgement
from queue_tui.core.plan import ApplyList
from queue_tui.core.step_plan import StepPlan, StepStatus

ICONS: dict[str, tuple[str, str]] = {
    "met": ("✔", "green"), "done": ("✔", "green"), "todo": ("●", "bold yellow"), "manual": ("☐", "cyan"),
    "waiting": ("…", "magenta"), "blocked": ("✖", "bold red"), "skip": ("–", "dim"),
    "suggested": ("?", "bold cyan"), "decide": ("!", "bold magenta"), "option": ("›", "cyan"),
}
LABELS = {"suggested": "confirm?", "decide": "your decision", "option": "g takes it"}


def evidence_line(j: Judgement) -> str:
    """The words a suggestion rests on, who wrote them and when."""
    said = f"“{j.sentence}”" if j.sentence else j.reason
    who = j.author.name if j.author is not None else ""
    when = f"{j.at:%Y-%m-%d %H:%M}" if j.at is not None else ""
    by = ", ".join(x for x in (who, when) if x)
    return said + (f" — {by}" if by else "")


def step_text(p: StepPlan, n: int) -> Text:
    icon, style = ICONS.get(p.status, ("?", ""))
    out = Text()
    out.append(f"{icon} {n}. ", style=style)
    out.append(p.step.title, style="bold" if p.status in ("todo", "blocked", "manual", "suggested", "decide") else "")
    label = LABELS.get(p.status, p.status)
    if p.step.optional and p.status in ("manual", "waiting", "decide", "blocked"):
        label += ", optional" if not p.step.for_types else ", route"
    out.append(f"  [{label}]", style=style)
    if p.step.says:
        out.append("\n   " + p.step.says, style="dim italic")
        if p.step.source:
            out.append(f" ({p.step.source})", style="dim")
    if p.current:
        out.append("\n   now: " + p.current)
        if p.status == StepStatus.DECIDE:
            out.append(f" — {p.whose()}", style="magenta")
    if p.change:
        # A change that names its own arrow ("assignee: → Alex Rivera") is not given a second one.
        out.append(("\n   " if "→" in p.change else "\n   → ") + p.change, style="yellow" if p.status in ("todo", "suggested", "decide", "option") else "")
    if p.due_at is not None:
        out.append(f"\n   ⏰ {'due' if p.status == 'waiting' else 'was due'} {p.due_at.astimezone():%a %H:%M}",
                   style="bold magenta" if p.status == "manual" else "magenta")
    if p.evidence is not None and p.evidence.sentence:
        out.append("\n   read: " + evidence_line(p.evidence), style="cyan")
    if p.problem and p.status != StepStatus.DECIDE:
        out.append("\n   ! " + p.problem, style="red")
    return out


def preview_text(key: str, listed: ApplyList) -> Text:
    """What apply-all is about to write, one line per ticket and field, and where it stops."""
    out = Text()
    out.append(f"Apply these changes to {key}?\n\n", style="bold")
    for p in listed.steps:
        out.append(f"{p.step.title}\n", style="bold")
        for w in p.writes():
            out.append(f"  {w.line()}\n", style="yellow" if w.audience.startswith("PUBLIC") else "")
        if p.stand_in:
            out.append(f"  ({p.stand_in})\n", style="italic")
    if listed.stop is not None:
        out.append(f"\nThen it stops at {listed.stop_reason()}", style="italic")
    return out


def decide_question(key: str, p: StepPlan) -> Text:
    """The confirm before replacing a value someone else set: whose it is, what it was, what it becomes."""
    out = Text()
    if isinstance(p.op, ops.Transition | ops.TransitionMany) and p.colleague is not None:
        out.append(f"Move a ticket {p.colleague.name} holds?\n\n", style="bold")  # their ticket, not a value
    else:
        out.append(f"Replace {p.whose()}?\n\n", style="bold")
    out.append(f"{p.step.title} on {key}\n")
    for w in p.writes():
        out.append(f"  {w.line()}\n", style="yellow")
    if p.stand_in:
        out.append(f"  ({p.stand_in})\n", style="italic")
    return out


class StepLines:
    """A step as the panel draws it: `step_text` with its wrapped lines kept under the step's
    title (a hanging indent), so a long SOP sentence reads as part of its step, not the next."""

    INDENT = 3

    def __init__(self, text: Text) -> None:
        self.text = text

    @property
    def plain(self) -> str:
        return self.text.plain

    def __str__(self) -> str:  # as a Text reads: its words
        return self.text.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = Table.grid()
        grid.add_column(width=self.INDENT, no_wrap=True)
        grid.add_column(ratio=1)
        for n, line in enumerate(self.text.split("\n")):
            if n == 0:  # "✔ 2. Title  [met]": the icon in the margin, the title's own wrap under the title
                grid.add_row(line[:2], line[2:])
            else:  # "   now: …": the margin is the indent
                grid.add_row("", line[self.INDENT:] if line.plain.startswith(" " * self.INDENT) else line)
        yield grid
