"""Who gets priority service: a configured organization, or a Priority the site itself sets.

queue-triage-and-request-types.txt: "Some installers are given priority service - your SS ticket
priority field will be automatically set once the organization name is populated". So Jira
already knows: a ticket is priority service when one of its organizations is in the team's list
or its Priority is one the team's automation sets. The queue's star, its order and the follow-up
CS ticket's High all ask `PriorityRule.applies`, so they can never disagree.

`names_in_jql` / `orgs_in_jql` read a queue's JQL: a team's own "Priority installers" queue says
which Priority (or which organizations) the site treats as priority service, which setup offers
as the default instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from queue_tui.core.models import Ticket

# What the team's automation sets (the SOP: the linked config ticket is "automatically marked high priority").
DEFAULT_PRIORITY_NAMES = ("High",)


@dataclass(frozen=True, slots=True)
class PriorityRule:
    """Organizations and Priority names that mean priority service (compared without case)."""

    orgs: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    names_configured: bool = True  # False: `names` are the default, nobody chose them

    @classmethod
    def of(cls, orgs: Iterable[str], names: Iterable[str], names_configured: bool = True) -> PriorityRule:
        return cls(frozenset(o.strip().lower() for o in orgs if o.strip()),
                   frozenset(n.strip().lower() for n in names if n.strip()), names_configured)

    def by_org(self, t: Ticket) -> bool:
        return any(o.name.lower() in self.orgs for o in t.organizations)

    def by_priority(self, t: Ticket) -> bool:
        return bool(t.priority) and t.priority.lower() in self.names

    def applies(self, t: Ticket) -> bool:
        return self.by_org(t) or self.by_priority(t)

    def reason(self, t: Ticket) -> str:
        """Why `t` is priority service, for a label on screen; "" when it is not."""
        if self.by_org(t):
            return "priority installer"
        if self.by_priority(t):
            return f"Priority {t.priority}"
        return ""

    def describe(self, names_shown: Sequence[str] = ()) -> str:
        """The rule in force, in words (doctor prints it)."""
        parts = []
        if self.orgs:
            parts.append(f"organization is one of {len(self.orgs)} priority installer(s)")
        if self.names:
            shown = ", ".join(names_shown) if names_shown else ", ".join(sorted(self.names))
            parts.append(f"Priority is {shown}" + ("" if self.names_configured else " (default)"))
        return " or ".join(parts) if parts else "nothing counts as priority service"


_VALUE = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[^\s,()"\']+'


def _values(jql: str, field: str) -> list[str]:
    """The literal values a JQL compares `field` with by `=` or `in (...)`, in order, no duplicates."""
    out: list[str] = []
    rx = re.compile(rf"(?<![\w.]){field}\s*(?:=\s*({_VALUE})|in\s*\(([^)]*)\))", re.IGNORECASE)
    for m in rx.finditer(jql):
        raw = [m.group(1)] if m.group(1) else re.findall(_VALUE, m.group(2) or "")
        for v in raw:
            v = v.strip()
            if v[:1] in "\"'":
                v = re.sub(r"\\(.)", r"\1", v[1:-1])
            if v and "(" not in v and v not in out:
                out.append(v)
    return out


def names_in_jql(jql: str) -> list[str]:
    """Priority names a queue's JQL selects, e.g. `priority = "High"` or `priority in (Highest, High)`."""
    return _values(jql, "priority")


def orgs_in_jql(jql: str) -> list[str]:
    """Organization names a queue's JQL selects, e.g. `organizations in ("Helios Home Power")`."""
    return _values(jql, "organizations?")


def default_names(site_priorities: Sequence[str], queue_jqls: Iterable[str]) -> tuple[list[str], str]:
    """The Priority names to offer as priority service on this site, and where they came from.

    A queue that selects by Priority says it outright; otherwise the automation's default when
    the site has it; otherwise nothing (the organization list alone).
    """
    site = {p.lower(): p for p in site_priorities}
    from_queues = [site[n.lower()] for jql in queue_jqls for n in names_in_jql(jql) if n.lower() in site]
    if from_queues:
        return list(dict.fromkeys(from_queues)), "a queue of this desk selects by it"
    found = [site[n.lower()] for n in DEFAULT_PRIORITY_NAMES if n.lower() in site]
    if found:
        return found, "what the team's automation sets"
    return [], "the site has no priority named " + " or ".join(DEFAULT_PRIORITY_NAMES)
