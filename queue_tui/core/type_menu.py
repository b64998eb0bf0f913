"""What `t` offers: the desk's own request types, grouped under the SOP type each stands for.

A real desk names its request types its own way ("Something is broken", "Login trouble") and may
have more than the nine of queue-triage-and-request-types.txt. The menu lists only the desk's
types (so whatever the agent picks exists), each under the SOP type it stands for by name or by
`[request_type_aliases]`, with that type's guidance and routing notes. A desk type that stands for
none by name or alias goes under the SOP type its own name and description read like, marked so
(an alias would make it sure); one that reads like none is listed under "Other types on this desk".
So a desk nobody configured is still grouped, and nothing claims more than it knows.

The groups come in the order of the suggestion: the group of the best-ranked type first, its
types best first, and each type says why it ranks where it does (`rank_request_types`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from queue_tui.core.models import RequestType, Ticket
from queue_tui.core.request_types import Ranked, rank_request_types, resembles, sop_type_of
from queue_tui.core.triage import RequestTypeGuide, guide

OTHER = "Other types on this desk"


@dataclass(frozen=True, slots=True)
class TypeChoice:
    """One of the desk's request types as `t` offers it."""

    type: RequestType
    sop: str | None  # the SOP type it stands for (same name or alias); None when it stands for none
    resembles: str | None  # with no SOP type: the one its name and description read like, if clear
    reason: str  # why it ranks where it does
    suggested: bool  # the best-ranked type for this ticket
    words: tuple[str, ...] = ()  # what in the ticket points to it

    @property
    def guide(self) -> RequestTypeGuide | None:
        """The guidance to show: the SOP type's, or the one it reads like (marked so on screen)."""
        name = self.sop or self.resembles
        return guide(name) if name else None

    def matches(self, text: str) -> bool:
        """Typed text finds a type by the desk's name or the SOP's."""
        low = text.strip().lower()
        return not low or any(low in n.lower() for n in (self.type.name, self.sop or "", self.resembles or ""))


@dataclass(frozen=True, slots=True)
class TypeGroup:
    """The desk's types that stand for one SOP type (or for none: `sop` is None)."""

    sop: str | None
    choices: tuple[TypeChoice, ...]

    @property
    def title(self) -> str:
        return self.sop or OTHER

    @property
    def guide(self) -> RequestTypeGuide | None:
        return guide(self.sop) if self.sop else None


def type_menu(t: Ticket, site_types: Sequence[RequestType], aliases: Mapping[str, str] | None = None) -> list[TypeGroup]:
    """The desk's request types for `t`, grouped by SOP type, in the order of the suggestion."""
    ranked: list[Ranked] = rank_request_types(t.summary, t.description, site_types, aliases) if site_types else []
    by_id = {rt.id: rt for rt in site_types}
    groups: dict[str | None, list[TypeChoice]] = {}
    for n, r in enumerate(ranked):
        rt = by_id.get(r.type_id) or RequestType(r.type_id, r.name)
        groups.setdefault(r.sop or r.resembles, []).append(TypeChoice(rt, r.sop, r.resembles, r.reason, n == 0, r.words))
    # The "other" group goes last unless the suggestion is in it: a type the SOP does not name is rarely wanted.
    order = sorted(groups, key=lambda sop: (sop is None and not groups[sop][0].suggested,
                                             min(i for i, r in enumerate(ranked) if (r.sop or r.resembles) == sop)))
    return [TypeGroup(sop, tuple(groups[sop])) for sop in order]


def sop_guide_for(name: str, aliases: Mapping[str, str] | None = None,
                  site_types: Sequence[RequestType] = ()) -> tuple[RequestTypeGuide | None, str]:
    """The guidance for a desk's request type by its name, and how it was found ("" when by name or
    alias; "reads like" when only its wording says so)."""
    sop = sop_type_of(name, aliases)
    if sop:
        return guide(sop), ""
    rt = next((r for r in site_types if r.name.lower() == name.lower()), None)
    if rt is not None:
        like = resembles(rt)
        if like:
            return guide(like), f"reads like the SOP's {like}"
    return None, ""
