"""What the shipped and team playbooks need from the configuration on this site, before any ticket.

A playbook names people by role (`[roster]`), account managers by organization
(`[account_managers]`) and request types by the SOP's names (found on the desk by the same name or
`[request_type_aliases]`). With credentials alone none of the first are set, so each need is
listed with the steps that use it and exactly where to set it; a need the site already answers
(the desk's "Anonymous" customer for the non-platform reporter) is listed with that fallback.
Doctor prints these as things to finish; nothing here blocks the app from working.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from queue_tui.core.models import Person, RequestType
from queue_tui.core.playbook import (
    AddWatchersSpec,
    CommentSpec,
    ManualSpec,
    Playbook,
    ReminderSpec,
    RemoveWatchersSpec,
    SetFieldSpec,
    UpdateCsSpec,
)
from queue_tui.core.request_types import resembles, sop_type_of
from queue_tui.core.roles import falls_back_to_anonymous
from queue_tui.core.step_plan import TICKET_VALUES

# Values a step names that are not roles: the ticket's own people and what the planner finds itself.
NOT_ROLES = frozenset({"me", "customer", "account_manager", "suggested", "channel_manager"})
CS_ROLES = (("config_assignee", "the CS ticket's assignee (c)"), ("qa_assignee", "the CS ticket's QA assignee (c)"))


@dataclass(frozen=True)
class Need:
    """One setting a playbook needs, who uses it, and where to set it."""

    what: str  # "role approver", "request type Non-Platform Request", "account managers"
    setting: str  # the config section that answers it
    example: str  # a line to put there
    used_by: tuple[str, ...]  # "playbook id: step title"
    met: bool = False  # the configuration already answers it
    fallback: str = ""  # what the app uses meanwhile (a need with a fallback still works)
    hint: str = ""  # what the site suggests for it

    @property
    def works(self) -> bool:
        return self.met or bool(self.fallback)

    def how(self, where: str = "") -> str:
        """Exactly what to add and where, e.g. 'add approver = "Name or email" under [roster] in ~/.config/...'."""
        text = f"add {self.example} under [{self.setting}]" + (f" {where}" if where else "")
        return text + (f" ({self.hint})" if self.hint else "")


@dataclass
class _Uses:
    roles: dict[str, list[str]] = field(default_factory=dict)
    types: dict[str, list[str]] = field(default_factory=dict)
    account_managers: list[str] = field(default_factory=list)


def _placeholders(text: str) -> list[str]:
    """Roles a template names: `{role}` for a name, `{@role}` for a mention that notifies them."""
    return [n for n in re.findall(r"\{@?(\w+)\}", text) if n not in TICKET_VALUES or f"{{@{n}}}" in text]


def _uses(books: Iterable[Playbook]) -> _Uses:
    u = _Uses()
    for pb in books:
        for rt in pb.match.request_type:
            u.types.setdefault(rt, []).append(f"{pb.id}: matched by request type")
        for s in pb.steps:
            where = f"{pb.id}: {s.title}"
            spec = s.spec
            refs: tuple[str, ...] = ()
            if isinstance(spec, SetFieldSpec) and spec.field in ("assignee", "reporter"):
                refs = (spec.value,)
            elif isinstance(spec, SetFieldSpec) and spec.field == "request_type" and spec.value != "suggested":
                u.types.setdefault(spec.value, []).append(where)
            elif isinstance(spec, AddWatchersSpec | RemoveWatchersSpec):
                refs = spec.people
            elif isinstance(spec, CommentSpec):
                refs = tuple(_placeholders(spec.template))
            elif isinstance(spec, ManualSpec | ReminderSpec):
                refs = tuple(n for _, v in spec.copy for n in _placeholders(v))
            elif isinstance(spec, UpdateCsSpec) and spec.qa:
                refs = (spec.qa,)
            for r in refs:
                r = "config_assignee" if r == "cs_assignee" else r  # the CS ticket's holder, else the default
                if r == "account_manager":
                    u.account_managers.append(where)
                elif r not in NOT_ROLES and where not in u.roles.setdefault(r, []):
                    u.roles[r].append(where)
    return u


def needs(books: Mapping[str, Playbook], roster: Mapping[str, str], account_managers: Mapping[str, str],
          site_types: Sequence[RequestType], aliases: Mapping[str, str], anonymous: Person | None) -> list[Need]:
    """Every setting the playbooks (and the CS ticket) use, met or not, roles first."""
    u = _uses(books.values())
    for role, where in CS_ROLES:
        u.roles.setdefault(role, []).insert(0, where)
    out: list[Need] = []
    for role in sorted(u.roles):
        fallback = ""
        if role not in roster and falls_back_to_anonymous(role) and anonymous is not None:
            fallback = f"the desk's anonymous customer, {anonymous.name}"
        out.append(Need(f"role {role}", "roster", f'{role} = "Name or email"', tuple(u.roles[role]),
                        met=bool(roster.get(role)), fallback=fallback))
    if u.account_managers:
        out.append(Need("account managers", "account_managers", '"Organization" = "Name or email"',
                        tuple(dict.fromkeys(u.account_managers)), met=bool(account_managers)))
    for sop in sorted(u.types):
        have = [rt.name for rt in site_types if sop_type_of(rt.name, aliases) == sop_type_of(sop) or
                rt.name.lower() == sop.lower()]
        like = [rt.name for rt in site_types if not have and sop_type_of(rt.name, aliases) is None and resembles(rt) == sop]
        hint = f"this desk's \"{like[0]}\" reads like it" if like else ""
        # One type that reads like it is what the playbook sets, named in its preview (`type_menu.desk_type_for`).
        fallback = f"this desk's \"{like[0]}\", which reads like it" if len(like) == 1 else ""
        out.append(Need(f"request type {sop}", "request_type_aliases", f'"{like[0] if like else "Your desk type"}" = "{sop}"',
                        tuple(u.types[sop]), met=bool(have) or not site_types, fallback=fallback, hint=hint))
    return out


def fallback_roles(pb: Playbook) -> set[str]:
    """The roles `pb` uses that the desk's anonymous customer may stand in for."""
    return {r for r in _uses([pb]).roles if falls_back_to_anonymous(r)}
