"""The channel field at close: what queue-triage-and-request-types.txt asks of it, and what the
ticket's words suggest.

The SOP's essentials say: "Check the "channel field" and make sure phone, email, or chat is
selected - or select multiple channels if you needed to use a combination of channels to resolve
the original request". The channel is final only once the request is resolved, so `C` asks again.
The options are the site's own (its field's allowed values); a channel the ticket's words point to
("I called the customer", "per our chat") is a hint with the sentence, who wrote it and when, never
a tick the agent did not make. A questioned, negated or hedged mention ("can we hop on a call?",
"I couldn't reach them by phone", "happy to chat if needed") is no hint.

Pure: the ticket, the options and what the agent chose are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from queue_tui.core.models import Person, Ticket
from queue_tui.core.reading import cues, find, own_words, sentences

SOP_FILE = "queue-triage-and-request-types.txt"
SOP_SAYS = ("Check the \"channel field\" and make sure phone, email, or chat is selected - or select multiple "
            "channels if you needed to use a combination of channels to resolve the original request")

# What a channel is called in a site's option names -> the words that say it was used.
_KINDS: dict[str, tuple[str, ...]] = {"phone": ("phone", "call", "tel"), "email": ("mail",), "chat": ("chat",)}
_USED = cues({
    "phone": (r"called|calling|phoned|phone call|by phone|over the phone|on the phone|voicemail|voice mail|"
              r"call with|(?:per|on|during|after|from) (?:a |the |our |my |their |that )?(?:phone |quick )?call|"
              r"rang|spoke (?:with|to) (?:him|her|them) by phone", 3),
    "chat": (r"chat|chatted|chatting|live chat|chat transcript", 3),
    "email": (r"emailed|by email|via email|over email|e-?mailed|sent (?:an |the |them an |him an |her an )?e-?mail|"
              r"email thread", 3),
})


@dataclass(frozen=True, slots=True)
class ChannelHint:
    """A channel the ticket's words say was used: the sentence, who wrote it, where and when."""

    option: str  # the site's option it points to
    sentence: str
    author: Person | None
    at: datetime | None
    where: str  # "internal comment", "public comment", "the request"

    def says(self) -> str:
        who = self.author.name if self.author is not None else "someone"
        when = f", {self.at:%d %b %H:%M}" if self.at is not None else ""
        return f"\u201c{self.sentence}\u201d ({who}, {self.where}{when})"


def kind_of(option: str) -> str | None:
    """Which channel a site's option names ("Phone", "Phone call", "E-mail", "Live chat"); None for others."""
    low = option.lower()
    return next((k for k, words in _KINDS.items() if any(w in low for w in words)), None)


def hints(t: Ticket, options: Iterable[str]) -> list[ChannelHint]:
    """For each of the site's options not set on the ticket, the latest sentence that says it was used."""
    by_kind: dict[str, str] = {}
    for o in options:
        k = kind_of(o)
        if k is not None and o not in t.channel:
            by_kind.setdefault(k, o)
    if not by_kind:
        return []
    texts: list[tuple[str, Person | None, datetime | None, str]] = [(t.description, t.reporter, t.created, "the request")]
    texts += [(c.body, c.author, c.created, "public comment" if c.public else "internal comment") for c in t.comments]
    latest: dict[str, ChannelHint] = {}
    for body, who, at, where in texts:
        for hit in find(_USED, sentences(own_words(body))):
            option = by_kind.get(hit.cue)
            if option is None or hit.negated or hit.hedged or hit.sentence.question:
                continue
            seen = latest.get(option)
            if seen is None or (at is not None and (seen.at is None or at >= seen.at)):
                latest[option] = ChannelHint(option, hit.sentence.text, who, at, where)
    return [latest[o] for o in options if o in latest]


@dataclass(frozen=True, slots=True)
class ChannelAnswer:
    """What the agent said in the close dialog: the channels to close with, and the removals they confirmed.
    `skipped`: the channel is empty and the agent chose to close without one."""

    before: tuple[str, ...]  # the field as the dialog showed it
    chosen: tuple[str, ...]
    skipped: bool = False

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(v for v in self.before if v not in self.chosen)

    def says(self) -> str:
        if self.skipped:
            return "no channel (the agent chose to close without one)"
        return ", ".join(self.chosen)


def change(fresh: Iterable[str], answer: ChannelAnswer) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(to add, to remove) against the field as Jira has it right before the write: what the agent
    newly ticked and is not there yet; what they unticked (and confirmed) and is still there. A
    change someone made after the dialog opened (a value added, or removed) is left as they made it."""
    now = tuple(fresh)
    add = tuple(v for v in answer.chosen if v not in answer.before and v not in now)
    remove = tuple(v for v in answer.removed if v in now)
    return add, remove
