"""The reply composer (`m`): the triage SOP's three initial replies as editable templates.

Each template comes with the SOP's words for when to use it, and, for a public general initial
response, what follows it (the status goes back to Waiting for Support). Internal is the default.
A customer-visible reply lists who will receive it (reporter and request participants) and needs
a confirm that shows it whole to proofread, since edits after sending are not sent. Drafts are
saved as they are typed (one private file per ticket) and survive a crash.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static, TextArea

from queue_tui.core.models import Ticket
from queue_tui.core.reply_rules import WAITING_FOR_SUPPORT, status_after
from queue_tui.ui.commands import bindings
from queue_tui.ui.drafts import DraftStore

TEMPLATES = {
    "probing": ("Probing questions",
                "Hi {name},\n\nThanks for reaching out. To look into this we need a few more details:\n"
                "1. \n2. \n\nThanks,\n{me}"),
    "first_step": ("First step to resolution",
                   "Hi {name},\n\nThanks for reaching out. Could you try the following and let us know if it helps?\n\n"
                   "\n\nThanks,\n{me}"),
    "general": ("General initial response",
                "Hi {name},\n\nThanks for reaching out. We have received your request and are looking into it now. "
                "We'll be in touch as soon as we have more news.\n\nThanks,\n{me}"),
}


# queue-triage-and-request-types.txt, "Here are types of initial replies", in its words.
SOP_WORDS = {
    "probing": "Probing questions: use if we need more details to proceed with the request.",
    "first_step": "First step to resolution: if we're able to narrow down the issue right away, we can immediately "
                  "send a resolution or a suggestion the customer can try.",
    "general": "A general initial response: since we have a 2 hour SLA, some emails need more time for investigation; "
               "let them know we received their request, are looking into it, and will be in touch with news.",
}
_AFTER_GENERAL = (f"Once sent, the status goes back to {WAITING_FOR_SUPPORT} (not Waiting for customer): we are yet "
                  "to send a resolution.")


def sop_words(kind: str, public: bool) -> str:
    """What the SOP says of the chosen initial reply (all three before one is chosen)."""
    if kind not in SOP_WORDS:
        return ("Send an initial reply: F1 Probing questions (we need more details) · F2 First step to resolution "
                "(narrowed down right away) · F3 General initial response (it needs more time)")
    after = status_after(kind, public)
    return "SOP: " + SOP_WORDS[kind] + (f"\n{_AFTER_GENERAL}" if after else "")


def recipients(t: Ticket) -> list[str]:
    """Who receives a public reply: the reporter and the request participants."""
    out = [f"{t.reporter.name} <{t.reporter.email}> (reporter)"] if t.reporter else []
    return out + [f"{p.name} <{p.email}> (participant)" for p in t.participants]


class ReplyScreen(ModalScreen[dict[str, object] | None]):
    """Dismisses with {"body", "public", "kind"} to send, or None."""

    DEFAULT_CSS = """
    ReplyScreen { align: center middle; }
    ReplyScreen > Vertical { width: 100; max-width: 100%; height: 32; max-height: 100%; border: thick $accent;
                             background: $surface; padding: 0 1; }
    ReplyScreen TextArea { height: 1fr; }
    ReplyScreen #visibility { height: auto; text-style: bold; }
    ReplyScreen #sop { height: auto; color: $text-muted; }
    ReplyScreen #buttons { height: 3; align: right middle; }
    """
    COMMAND_SCOPE: ClassVar[str] = "reply"
    BINDINGS = bindings("reply")

    def __init__(self, t: Ticket, me: str, drafts: DraftStore, internal_only: str = "") -> None:
        super().__init__()
        self.ticket = t
        self.me = me
        self.drafts = drafts
        self.internal_only = internal_only
        saved = drafts.get(t.key) or {}
        self.public = bool(saved.get("public", False)) and not internal_only
        self.kind = str(saved.get("kind", ""))
        self.initial = str(saved.get("body", ""))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f" Reply on {self.ticket.key}: {self.ticket.summary} ", style="bold reverse"))
            yield Static("ctrl+t internal/public · ctrl+s send · esc close (draft kept)")
            yield Static("", id="sop")
            yield Static("", id="visibility")
            yield TextArea(self.initial, id="body")
            with Horizontal(id="buttons"):
                yield Button("Close (esc)", id="close")
                yield Button("Send (ctrl+s)", id="send", variant="primary")
            yield Footer()

    def on_mount(self) -> None:
        self.show_visibility()
        self.query_one(TextArea).focus()

    def recipients(self) -> list[str]:
        return recipients(self.ticket)

    def show_visibility(self) -> None:
        self.query_one("#sop", Static).update(Text(sop_words(self.kind, self.public)))
        label = self.query_one("#visibility", Static)
        # Every recipient is named, on as many lines as they take: a cut list hid the participants.
        to = "; ".join(self.recipients()) or "nobody (no reporter or participants)"
        if self.public:
            label.update(Text.assemble(("PUBLIC: the customer will receive this", "bold white on dark_red"),
                                       ("\nTo: ", "bold"), (to, "")))
        else:
            label.update(Text.assemble(("INTERNAL note: only agents see it" +
                                        (f" ({self.internal_only})" if self.internal_only else ""), "bold black on yellow"),
                                       ("\nA public reply would go to: ", "dim"), (to, "dim")))

    @on(TextArea.Changed, "#body")
    def _typed(self, event: TextArea.Changed) -> None:
        self.drafts.save(self.ticket.key, event.text_area.text, self.public, self.kind)

    def action_template(self, kind: str) -> None:
        name = self.ticket.reporter.name.split()[0] if self.ticket.reporter else "there"
        self.kind = kind
        self.public = not self.internal_only
        self.query_one(TextArea).text = TEMPLATES[kind][1].format(name=name, me=self.me)
        self.show_visibility()

    def action_toggle_visibility(self) -> None:
        if self.internal_only and not self.public:
            self.notify(self.internal_only, severity="warning", markup=False)
            return
        self.public = not self.public
        self.show_visibility()
        self.drafts.save(self.ticket.key, self.query_one(TextArea).text, self.public, self.kind)

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        body = self.query_one(TextArea).text.strip()
        if not body:
            self.notify("Nothing to send", severity="warning")
            return
        self.dismiss({"body": body, "public": self.public, "kind": self.kind})

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
