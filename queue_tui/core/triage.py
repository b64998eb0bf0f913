"""The 9 request types of queue-triage-and-request-types.txt, their guidance, and a suggester.

What each type covers is here; what to do with it (the routing of both triage SOPs: who handles
what, what to create, whom to notify) is data, the `[[routes]]` of the triage playbook, each a
step the SOP panel takes on one key (`queue_tui.core.routes`). The suggestion comes from
`queue_tui.core.request_types` (ranked over the site's own types when given) and always says why,
so the agent can judge it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from queue_tui.core.models import RequestType, Ticket
from queue_tui.core.request_types import Ranked, rank_request_types


@dataclass(frozen=True)
class RequestTypeGuide:
    """One of the nine: what it covers (its routes are the triage playbook's `[[routes]]`)."""

    name: str
    guidance: str


GUIDES: tuple[RequestTypeGuide, ...] = (
    RequestTypeGuide(
        "General Inquiry",
        "Questions about software navigation, features and usage, and anything that does not fit elsewhere. "
        "If the request is vague, categorise it here first and update it later."),
    RequestTypeGuide(
        "Technical Support",
        "The software is not working as it should, or a technical question (e.g. how to format an API request)."),
    RequestTypeGuide(
        "Industry-wide Data Change",
        "Data changes that affect every business: solar equipment, manufacturers, incentives."),
    RequestTypeGuide(
        "Company-specific Data Change",
        "Data changes for the reporter's organization only: financial products, product rules, contract templates."),
    RequestTypeGuide(
        "Project-specific Data Change",
        "Changes on a specific customer site: usually un-archive requests or legal contact updates."),
    RequestTypeGuide(
        "Account Management",
        "Billing, cancellation, subscription changes, company/team trainings, status checks, inquiries about EB."),
    RequestTypeGuide(
        "Onboarding",
        "New installers joining the platform and their account setup. Neither triage SOP says more: EverBright partner "
        "onboarding tickets follow everbright-partner-onboarding.txt; the onboarding CS ticket follows "
        "cs-ticket-creation.txt (c asks whether it is a basic onboarding, due in 24 h)."),
    RequestTypeGuide(
        "Feature Request",
        "Enhancements and feature suggestions, e.g. UI improvements or new features in project phases."),
    RequestTypeGuide(
        "Non-Platform Request",
        "Trade shows, resumes, vendors trying to sell us something: mail not about the platform. x applies the "
        "non-platform SOP: first whether it might need the Support Supervisor, then the six fields and the status "
        "you choose."),
)

BY_NAME = {g.name.lower(): g for g in GUIDES}


def guide(name: str) -> RequestTypeGuide | None:
    return BY_NAME.get(name.lower())


@dataclass(frozen=True)
class TypeSuggestion:
    name: str  # the best type: the site's name when site types were given, else the SOP's
    reason: str
    ranked: tuple[Ranked, ...] = ()  # every type, best first, each with its words

    @property
    def sop(self) -> str | None:
        """The SOP type the suggestion stands for (for its guidance), None when it stands for none."""
        return (self.ranked[0].sop or self.ranked[0].resembles) if self.ranked else None


def suggest_request_type(t: Ticket, site_types: Sequence[RequestType] = (),
                         aliases: Mapping[str, str] | None = None) -> TypeSuggestion:
    """The most likely request type with the words that suggested it, and the whole ranking.

    With `site_types` (the desk's own request types) only those are ranked, mapped to the SOP's
    nine by name or `aliases`; without, the SOP's nine.
    """
    ranked = rank_request_types(t.summary, t.description, site_types, aliases)
    return TypeSuggestion(ranked[0].name, ranked[0].reason, tuple(ranked))
