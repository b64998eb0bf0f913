"""The 9 request types of queue-triage-and-request-types.txt, their guidance, routing and a suggester.

Routing merges queue-triage-older-version.txt where the newer SOP does not contradict it (who
handles what, what to create, whom to notify). The suggestion is keyword-based and always says
why, so the agent can judge it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from queue_tui.core.models import Ticket


@dataclass(frozen=True)
class RequestTypeGuide:
    name: str
    guidance: str
    routing: tuple[str, ...]
    keywords: tuple[str, ...]


GUIDES: tuple[RequestTypeGuide, ...] = (
    RequestTypeGuide(
        "General Inquiry",
        "Questions about software navigation, features and usage, and anything that does not fit elsewhere. "
        "If the request is vague, categorise it here first and update it later.",
        ("Questions about using the platform: Support handles them.",
         "Sales inquiry from a potential customer: send the standard first reply, then alert the sales lead; "
         "close once the sales lead confirms contact (summarise any chat follow-up in an internal note).",
         "Financier-specific or sales-related inquiries: handled by Ops (see Company-specific data change)."),
        ("how do i", "how to", "where can i", "question", "pricing", "demo", "interested", "sales team")),
    RequestTypeGuide(
        "Technical Support",
        "The software is not working as it should, or a technical question (e.g. how to format an API request). "
        "Rule out user error, browser and hardware before forwarding to dev.",
        ("User error: provide training or documentation.",
         "Bug Support cannot resolve: document it and create a linked bug ticket for Prod/Dev with steps to reproduce."),
        ("error", "bug", "not working", "fails", "failing", "broken", "500", "400", "api", "not loading", "crash",
         "cannot log in", "can't log in", "spins forever", "stuck")),
    RequestTypeGuide(
        "Industry-wide Data Change",
        "Data changes that affect every business: solar equipment, manufacturers, incentives.",
        ("Incentives: reply that we are working on it, create a CS ticket; ready to close once the CS ticket is in UAT.",
         "SRECs: Support adds or updates them.",
         "Equipment: keep communication on the ticket and create a CS ticket."),
        ("panel", "module", "inverter", "microinverter", "equipment", "manufacturer", "incentive", "srec",
         "utility rate", "battery model")),
    RequestTypeGuide(
        "Company-specific Data Change",
        "Data changes for the reporter's organization only: financial products, product rules, contract templates, "
        "channel partners.",
        ("Collect every document needed and attach it to the ticket.",
         "Invite a new downstream org (channel partner): Support creates a Task CS ticket.",
         "Small config requests (incentive override, enabling/disabling features, utility degradation): Support handles them.",
         "Non-integrated financing, de-activating integrated financing, installer contracts/documents: create a CS ticket.",
         "Tesla-related Sunlight configuration: Kira Gaza. Financier config questions (webhooks, integrated qualification): Bhargav Gor."),
        ("contract template", "financial product", "finance products", "loan product", "enable", "disable",
         "deactivate", "product rules", "downstream", "channel partner", "pv watts", "docusign")),
    RequestTypeGuide(
        "Project-specific Data Change",
        "Changes on a specific customer site: usually un-archive requests or legal contact updates.",
        ("Legal contact information: refer to the financier.",
         "Un-archive a customer site: follow the unarchive SOP.",
         "Otherwise transfer the ticket to the account owner."),
        ("unarchive", "un-archive", "archived", "legal name", "legal contact", "homeowner", "site ")),
    RequestTypeGuide(
        "Account Management",
        "Billing, cancellation, subscription changes, company/team trainings, status checks, inquiries about EB.",
        ("Cancellation: follow the cancellation SOP and message the account manager as a heads up.",
         "Billing information: send the instructions for updating it.",
         "Training or joining the platform: send the sign-up link / the account manager's calendar, then follow up."),
        ("cancel", "billing", "invoice", "subscription", "card on file", "training", "new hire", "add kate", "login for")),
    RequestTypeGuide(
        "Onboarding",
        "New installers joining the platform and their account setup.",
        ("Create the onboarding CS ticket (basic onboardings are due in 24 h).",),
        ("onboarding", "new installer", "account setup", "signed up", "set up our account")),
    RequestTypeGuide(
        "Feature Request",
        "Enhancements and feature suggestions, e.g. UI improvements or new features in project phases.",
        ("Document the request in the product feedback tool.",
         "Add the link to that record as an internal comment on the ticket."),
        ("it would be great", "feature", "would be nice", "suggestion", "please add a way", "dark mode", "export")),
    RequestTypeGuide(
        "Non-Platform Request",
        "Trade shows, resumes, vendors trying to sell us something: mail not about the platform.",
        ("If it really might need attention, send an internal message to the Support Supervisor.",
         "Otherwise apply the non-platform SOP (x): no participants, organization Non-platform Emails, assignee you, "
         "reporter Anonymous, request type Non-Platform Request, closed as Won't Do."),
        ("trade show", "booth", "resume", "cv ", "seo", "leads", "partnership opportunity", "factory prices",
         "catalog", "free audit", "webinar", "unsubscribe")),
)

BY_NAME = {g.name.lower(): g for g in GUIDES}


def guide(name: str) -> RequestTypeGuide | None:
    return BY_NAME.get(name.lower())


@dataclass(frozen=True)
class TypeSuggestion:
    name: str
    reason: str


def suggest_request_type(t: Ticket) -> TypeSuggestion:
    """The most likely request type, with the words that suggested it."""
    text = f" {t.summary} \n {t.description} ".lower()
    best: tuple[int, RequestTypeGuide, list[str]] | None = None
    for g in GUIDES:
        hits = [k for k in g.keywords if re.search(r"(?<![a-z])" + re.escape(k), text)]
        score = len(hits) * (3 if g.name == "Non-Platform Request" else 2 if g.name != "General Inquiry" else 1)
        if hits and (best is None or score > best[0]):
            best = (score, g, hits)
    if best is None:
        return TypeSuggestion("General Inquiry", "nothing specific recognised: General Inquiry until it is clearer")
    words = ", ".join(f"'{h.strip()}'" for h in best[2][:3])
    return TypeSuggestion(best[1].name, f"mentions {words}")


def is_non_platform(t: Ticket, staff_domains: tuple[str, ...], known_orgs: set[str]) -> bool:
    """A ticket that looks like junk mail: suggested Non-Platform and not from a known customer."""
    if t.request_type and t.request_type.name.lower() == "non-platform request":
        return True
    sug = suggest_request_type(t)
    from_known = bool(t.organizations) or (t.reporter is not None and t.reporter.is_staff(staff_domains))
    return sug.name == "Non-Platform Request" and not from_known
