"""The site's issue link types, offered as the CS ticket's "Linked Issues" (cs-ticket-creation.txt:
"Either one is caused or blocked by the other one. The linked issues field sets the relationship and
the Issue field sets the ticket to which the current ticket is related").

Jira names each type ("Blocks") and its two ends' words: outward "blocks", inward "is blocked by".
A choice is one of those phrases read from the CS ticket's side, as the agent says it: "this CS
ticket blocks SS-12" makes the CS ticket the link's source; "this CS ticket is blocked by SS-12"
makes SS-12 the source. A type whose two phrases are the same ("relates to") is one choice.
Nothing here assumes a type exists: the choices are the site's own. Pure: no IO.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from queue_tui.core.models import LinkedIssue


@dataclass(frozen=True, slots=True)
class LinkType:
    """One issue link type as GET /rest/api/2/issueLinkType lists it."""

    id: str
    name: str
    inward: str  # the words the link's target shows: "is blocked by"
    outward: str  # the words the link's source shows: "blocks"

    @property
    def symmetric(self) -> bool:
        return self.inward.strip().lower() == self.outward.strip().lower()


@dataclass(frozen=True, slots=True)
class LinkChoice:
    """A relationship from the CS ticket's side: `cs_is_source` when the CS ticket takes the outward words."""

    type: LinkType
    cs_is_source: bool

    @property
    def words(self) -> str:
        return self.type.outward if self.cs_is_source else self.type.inward

    def says(self, other: str) -> str:
        return f"this CS ticket {self.words} {other}"

    def ends(self, cs_key: str, other: str) -> tuple[str, str]:
        """(source, target) of the link to write between the CS ticket and `other`."""
        return (cs_key, other) if self.cs_is_source else (other, cs_key)


def choices(types: Iterable[LinkType]) -> tuple[LinkChoice, ...]:
    """Every relationship the site offers, in its own order: each type's outward words, then its inward."""
    out: list[LinkChoice] = []
    for t in types:
        out.append(LinkChoice(t, True))
        if not t.symmetric:
            out.append(LinkChoice(t, False))
    return tuple(out)


def default_choice(options: tuple[LinkChoice, ...]) -> LinkChoice | None:
    """"relates to" where the site has it (the usual relationship of a CS ticket to its request), else
    the site's first; None on a site without issue linking."""
    for c in options:
        if c.words.strip().lower() == "relates to" or c.type.name.strip().lower() == "relates":
            return c
    return options[0] if options else None


def find_type(types: Iterable[LinkType], ref: str) -> tuple[LinkType, bool] | None:
    """A type named by its name, id, or one of its phrases, and whether `ref` named its source's side
    (False: `ref` was the inward words, so the two ends swap)."""
    want = ref.strip().lower()
    listed = list(types)
    for t in listed:
        if want in (t.name.strip().lower(), t.id):
            return t, True
    for t in listed:
        if t.outward.strip().lower() == want:
            return t, True
        if t.inward.strip().lower() == want:
            return t, False
    return None


def is_link(lk: LinkedIssue, t: LinkType, other: str) -> bool:
    """Whether `lk`, read on a link's source issue, is a link of type `t` from it to `other`: same type and
    the source's (outward) words. A symmetric type reads the same from either end."""
    if lk.key != other or lk.link_type.strip().lower() != t.name.strip().lower():
        return False
    return t.symmetric or lk.relation.strip().lower() == t.outward.strip().lower()
