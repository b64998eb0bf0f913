"""The 9 request types of queue-triage-and-request-types.txt, their guidance, routing and a suggester.

Each type keeps the routing of both triage SOPs apart, named by file, so the agent sees which
says what: queue-triage-and-request-types.txt first (it is newer and wins), then what
queue-triage-older-version.txt adds where the newer one is silent (who handles what, what to
create, whom to notify). The suggestion comes from
`queue_tui.core.request_types` (ranked over the site's own types when given) and always says why,
so the agent can judge it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from queue_tui.core.models import RequestType, Ticket
from queue_tui.core.request_types import Ranked, rank_request_types

NEWER = "queue-triage-and-request-types.txt"
OLDER = "queue-triage-older-version.txt"


@dataclass(frozen=True)
class RequestTypeGuide:
    """One of the nine: what it covers, and what each triage SOP says to do with it."""

    name: str
    guidance: str
    routing: tuple[str, ...]  # from queue-triage-and-request-types.txt (the newer SOP; it wins)
    older_routing: tuple[str, ...] = ()  # from queue-triage-older-version.txt, where the newer one is silent or agrees

    def notes(self) -> list[tuple[str, tuple[str, ...]]]:
        """The routing notes by the SOP file they come from, the newer first; empty ones left out."""
        return [(src, notes) for src, notes in ((NEWER, self.routing), (OLDER, self.older_routing)) if notes]


GUIDES: tuple[RequestTypeGuide, ...] = (
    RequestTypeGuide(
        "General Inquiry",
        "Questions about software navigation, features and usage, and anything that does not fit elsewhere. "
        "If the request is vague, categorise it here first and update it later.",
        ("Vague or not yet categorised: start here, change the type once it is clear.",),
        ("Questions about using the platform: Support handles them.",
         "Sales inquiry from a potential customer: send the standard first reply, then alert the sales lead; "
         "close once the sales lead confirms contact (summarise any chat follow-up in an internal note).",
         "Financier-specific or sales-related inquiries: handled by Ops (see Company-specific data change)."),
    ),
    RequestTypeGuide(
        "Technical Support",
        "The software is not working as it should, or a technical question (e.g. how to format an API request).",
        ("Rule out the root cause: user error, browser or hardware, before forwarding the concern to dev.",),
        ("Support investigates; user error: provide training or documentation.",
         "Bug Support can resolve: resolve it (troubleshooting guide).",
         "Bug Support cannot resolve: document it and create a linked bug ticket for Prod/Dev with steps to reproduce."),
    ),
    RequestTypeGuide(
        "Industry-wide Data Change",
        "Data changes that affect every business: solar equipment, manufacturers, incentives.",
        ("Incentives: reply that we received the request and are working on it, then create a CS ticket for the "
         "configuration team; keep in touch with both; ready to close once the CS ticket is in UAT.",
         "SRECs: Support adds or updates them.",
         "Equipment: keep communication on the ticket and create a CS ticket."),
        ("Equipment: keep communication on the ticket and make a CS ticket.",
         "Adding an incentive override: Support handles it at the time of the request."),
    ),
    RequestTypeGuide(
        "Company-specific Data Change",
        "Data changes for the reporter's organization only: financial products, product rules, contract templates.",
        ("Collect every document needed and attach it to the ticket; keep communication on the SS ticket.",
         "Invite a new downstream org: create the CS ticket and establish the partnership.",
         "Small config requests (incentive override, enabling/disabling features such as DocuSign, Cost Buildup, "
         "PV Watts, Project Sunroof, utility degradation percent): follow their SOPs.",
         "Non-integrated financing products, de-activating integrated financing, installer contracts/documents: "
         "coordinate with the reporter and the configuration team and create a CS ticket."),
        ("Invite a new downstream org (channel partner): Support creates a Task CS ticket.",
         "Other config requests: Support creates the tickets.",
         "Non-Tesla Sunlight Financial requests: CS ticket; from a Sunlight partner instead, follow that SOP.",
         "Tesla-related Sunlight configuration: Kira Gaza.",
         "Other financiers (PACEfunding, Renew, ...): Support creates the partnership.",
         "Financier config questions (integrated qualification, webhooks): assign to Bhargav Gor."),
    ),
    RequestTypeGuide(
        "Project-specific Data Change",
        "Changes on a specific customer site: usually un-archive requests or legal contact updates.",
        ("Legal contact information: refer to the financier.",
         "Un-archive a customer site: follow the unarchive request SOP."),
        ("Customer training request: reply with the account manager's calendar link, then follow up that it was booked.",
         "Otherwise transfer the ticket to the account owner."),
    ),
    RequestTypeGuide(
        "Account Management",
        "Billing, cancellation, subscription changes, company/team trainings, status checks, inquiries about EB.",
        ("Cancellation: follow the cancellation SOP and message the account manager as a heads up.",
         "Billing information: send the instructions for updating it.",
         "Training or joining the platform: send the link to sign up for a time."),
    ),
    RequestTypeGuide(
        "Onboarding",
        "New installers joining the platform and their account setup.",
        ("Neither triage SOP says more: EverBright partner onboarding tickets follow everbright-partner-onboarding.txt; "
         "the onboarding CS ticket follows cs-ticket-creation.txt (basic onboardings are due in 24 h).",),
    ),
    RequestTypeGuide(
        "Feature Request",
        "Enhancements and feature suggestions, e.g. UI improvements or new features in project phases.",
        ("Document the request according to the feature request process.",),
        ("Document it in the product feedback tool (Aha!).",
         "Add the link to that record as an internal comment on the ticket."),
    ),
    RequestTypeGuide(
        "Non-Platform Request",
        "Trade shows, resumes, vendors trying to sell us something: mail not about the platform.",
        ("If it really might need attention, send an internal message to the Support Supervisor.",
         "Otherwise apply the non-platform SOP (x): no participants, organization Non-platform Emails, assignee you, "
         "reporter Anonymous, request type Non-Platform Request, closed as Won't Do."),
        ("The same steps: participants none, organization Non-platform Emails, assignee yourself, reporter Anonymous, "
         "closed as Won't Do.",),
    ),
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


def is_non_platform(t: Ticket, staff_domains: tuple[str, ...], known_orgs: set[str]) -> bool:
    """A ticket that looks like junk mail: suggested Non-Platform and not from a known customer."""
    if t.request_type and t.request_type.name.lower() == "non-platform request":
        return True
    sug = suggest_request_type(t)
    from_known = bool(t.organizations) or (t.reporter is not None and t.reporter.is_staff(staff_domains))
    return sug.sop == "Non-Platform Request" and not from_known
