"""The roles the SOPs name, what each is for, and whom on the site setup offers for it.

A playbook refers to people by role (`approver`, `anonymous_reporter`, ...), mapped to accounts
under `[roster]`. Setup offers, for each role, the people the site has: agents who can be
assigned tickets for the staff roles, the desk's customers too for the reporter roles (the
non-platform SOP's "Reporter: Anonymous" is a customer account on most desks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from queue_tui.core.models import Person


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    purpose: str
    customers_too: bool = False  # a customer account may fill it (reporters), not only an agent
    falls_back_to_anonymous: bool = False  # unmapped, the desk's anonymous customer stands in (named as such)


ROLES: tuple[Role, ...] = (
    Role("approver", "approves go-lives of EverBright partner onboardings (everbright-partner-onboarding.txt)"),
    Role("config_assignee", "assignee of CS tickets, the configuration team (cs-ticket-creation.txt)"),
    Role("qa_assignee", "QA assignee of CS tickets (cs-ticket-creation.txt)"),
    Role("sales_lead", "alerted of sales inquiries from potential customers (queue-triage-older-version.txt)"),
    Role("supervisor", "the Support Supervisor, for non-platform mail that may need attention"),
    Role("onboarding_reporter", "reporter of EverBright onboarding tickets (everbright-partner-onboarding.txt)",
         customers_too=True),
    Role("anonymous_reporter", "reporter of non-platform tickets: the SOP's \"Reporter: Anonymous\"",
         customers_too=True, falls_back_to_anonymous=True),
    Role("tesla_sunlight", "assigned Tesla-related Sunlight Financial configuration requests "
         "(queue-triage-older-version.txt)"),
    Role("financier_questions", "assigned financier configuration questions such as integrated qualification and "
         "webhooks (queue-triage-older-version.txt)"),
)
BY_NAME = {r.name: r for r in ROLES}


def falls_back_to_anonymous(role: str) -> bool:
    """Whether the desk's anonymous customer may stand in for `role` when nobody mapped it."""
    found = BY_NAME.get(role)
    return found is not None and found.falls_back_to_anonymous


_ANONYMOUS = re.compile(r"^anonymous(?:[ ._-]?(?:user|customer|reporter))?$", re.IGNORECASE)


def is_anonymous(p: Person) -> bool:
    """An account that stands for nobody in particular: named "Anonymous", or anonymous@ its domain."""
    local = p.email.split("@", 1)[0] if "@" in p.email else ""
    return bool(_ANONYMOUS.match(p.name.strip()) or (local and _ANONYMOUS.match(local)))


def anonymous_customer(people: Iterable[Person]) -> Person | None:
    """The site's anonymous account among `people`, when there is exactly one."""
    found = {p.id: p for p in people if is_anonymous(p)}
    return next(iter(found.values())) if len(found) == 1 else None


def roster_ref(p: Person, everyone: Sequence[Person]) -> str:
    """How the config names `p`: the display name when nobody else has it, else the account id."""
    same = [q for q in everyone if q.name.lower() == p.name.lower() and q.id != p.id]
    return p.id if same else p.name


def offer(role: Role, agents: Sequence[Person], customers: Sequence[Person]) -> list[Person]:
    """The people setup offers for `role`: for a reporter role its likely account first (the
    anonymous one for anonymous_reporter), then agents, then customers; no one twice."""
    pool = list(agents) + (list(customers) if role.customers_too else [])
    seen: dict[str, Person] = {}
    for p in pool:
        seen.setdefault(p.id, p)
    people = sorted(seen.values(), key=lambda p: p.name.lower())
    if role.name == "anonymous_reporter":
        people.sort(key=lambda p: not is_anonymous(p))
    return people
