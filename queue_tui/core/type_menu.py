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


@dataclass(frozen=True, slots=True)
class DeskType:
    """The desk's request type a playbook's SOP type name stands for, and how it was found."""

    type: RequestType | None
    how: str = ""  # "" by name or alias; "reads like ..." when only its wording says so
    problem: str = ""  # when none (or several) stand for it


def desk_type_for(sop: str, site_types: Sequence[RequestType], aliases: Mapping[str, str] | None = None,
                  where: str = "in the config file") -> DeskType:
    """The desk's type for an SOP request type: the same name, else the one alias for it, else the
    one type that reads like it (said so, for the agent to see). A playbook can then run on a desk
    that names its types otherwise, with nothing written from a guess the agent was not shown."""
    want = sop_type_of(sop) or sop
    same = [rt for rt in site_types if rt.name.lower() == sop.lower()]
    if same:
        return DeskType(same[0])
    mapped = [rt for rt in site_types if sop_type_of(rt.name, aliases) == want]
    if len(mapped) == 1:
        return DeskType(mapped[0])
    if len(mapped) > 1:
        names = ", ".join(f'"{rt.name}"' for rt in mapped)
        return DeskType(None, problem=f"several of this desk's request types stand for {want} ({names}): pick one with t")
    like = [rt for rt in site_types if sop_type_of(rt.name, aliases) is None and resembles(rt) == want]
    if len(like) == 1:
        return DeskType(like[0], f"reads like the SOP's {want}")
    example = like[0].name if like else "Your desk's type"
    hint = f" (this desk's {', '.join(repr(rt.name) for rt in like)} read like it)" if like else ""
    return DeskType(None, problem=f"no request type of this desk stands for the SOP's {want}{hint}: add "
                                  f'"{example}" = "{want}" under [request_type_aliases] {where}')
