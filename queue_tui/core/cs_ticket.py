"""The CS (Customer Success) configuration ticket of cs-ticket-creation.txt, drafted from an SS ticket.

Everything the SOP asks the agent to fill is derived here: issue type, summary
"Reporter_name - Org_name - Configuration", component (or "other"), description (the ticket's
own, or the form table), how it links to the SS ticket (the site's own link types: "relates to"
where the site has it), the customer's attachments (copied to the CS ticket when it is created),
priority (High for priority service: `PriorityRule`), an epic (never empty), people from the
roster, and the three due dates with the rule that produced them. A due-date rule that is the
agent's call (a basic onboarding, a configuration error blocking jobs) is a choice on the form,
left unticked even when the ticket's words suggest it (those words are shown for the agent to tick). Pure: no IO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from queue_tui.core.calendar import BusinessCalendar
from queue_tui.core.due_rules import DEFAULT_RULES, DueDates, DueRule, choices, due_dates, suggested_choices
from queue_tui.core.link_types import LinkChoice, LinkType, default_choice
from queue_tui.core.link_types import choices as link_choices
from queue_tui.core.models import Attachment, Ticket
from queue_tui.core.priority import PriorityRule

ISSUE_TYPES = ("Doc", "Onboarding", "Int Fin", "Config Finance", "Task")
SOP_SET = "as the SOP sets it"  # a playbook's CS step fixed the value (not a suggestion)

EPICS = (
    "Installer Configurations", "Installer Onboardings", "Public Data Configurations", "Internal",
    "Benji/ Renovate", "BrightOak Configurations", "Dividend Configurations", "Mosaic Configurations",
    "Loanpal Configurations", "Renew Financial Configurations", "Sunlight Configurations", "SolKraft/HeartBeat",
    "Stable Solar Configurations", "Swell Configurations", "PACEFunding Configurations",
    "Green Think Energy (GTE) Configurations", "Configuration Partner/Product Onboarding",
)

# Financier names in a ticket point at that financier's epic.
FINANCIER_EPICS = {
    "mosaic": "Mosaic Configurations", "sunlight": "Sunlight Configurations", "loanpal": "Loanpal Configurations",
    "goodleap": "Loanpal Configurations", "renew": "Renew Financial Configurations", "dividend": "Dividend Configurations",
    "brightoak": "BrightOak Configurations", "swell": "Swell Configurations", "pacefunding": "PACEFunding Configurations",
    "benji": "Benji/ Renovate", "renovate": "Benji/ Renovate", "solkraft": "SolKraft/HeartBeat",
    "heartbeat": "SolKraft/HeartBeat", "stable solar": "Stable Solar Configurations", "green think": "Green Think Energy (GTE) Configurations",
}


@dataclass(frozen=True)
class Suggestion:
    value: str
    reason: str


def suggest_issue_type(t: Ticket) -> Suggestion:
    text = f"{t.summary}\n{t.description}".lower()
    rt = t.request_type.name.lower() if t.request_type else ""
    if t.needs_config == "Integrated Finance" or "integrated financ" in text or "everbright partner onboarding" in text:
        return Suggestion("Int Fin", "integrated financing request")
    if any(w in text for w in ("contract", "document", "template", "disclosure", "docusign")):
        return Suggestion("Doc", "mentions a document or contract")
    if rt == "onboarding" or any(w in text for w in ("onboarding", "new installer", "account setup", "set up our account")):
        return Suggestion("Onboarding", "onboarding request")
    if any(w in text for w in ("financ", "loan", "lender", "lease", "ppa")):
        return Suggestion("Config Finance", "mentions financing products")
    return Suggestion("Task", "default when nothing more specific fits")


def suggest_epic(t: Ticket, issue_type: str) -> Suggestion:
    text = f"{t.summary}\n{t.description}".lower()
    if "channel partner" in text:
        return Suggestion("Configuration Partner/Product Onboarding", "channel partner request")
    for word, epic in FINANCIER_EPICS.items():
        if word in text:
            return Suggestion(epic, f"mentions {word.title()}")
    if issue_type == "Onboarding":
        return Suggestion("Installer Onboardings", "onboarding ticket")
    rt = t.request_type.name.lower() if t.request_type else ""
    if rt == "industry-wide data change" or any(w in text for w in ("equipment", "panel", "inverter", "module")):
        return Suggestion("Public Data Configurations", "equipment or public data")
    return Suggestion("Installer Configurations", "changes to an installer's account")


def summary_for(t: Ticket) -> str:
    reporter = t.reporter.name.split()[0] if t.reporter and t.reporter.name else "Customer"
    org = t.organizations[0].name if t.organizations else "Unknown org"
    what = " ".join(t.summary.split())
    for prefix in ("re:", "fwd:", "fw:"):
        if what.lower().startswith(prefix):
            what = what[len(prefix):].strip()
    return f"{reporter} - {org} - {what}"


def description_for(t: Ticket, browse_url: str) -> str:
    lines = [t.description.strip() or t.summary, "", f"From {t.key}: {browse_url}"]
    if t.reporter:
        lines.append(f"Reporter: {t.reporter.name} <{t.reporter.email}>")
    if t.attachments:
        lines.append(f"Attachments from {t.key} (copied to this ticket): " + ", ".join(a.filename for a in t.attachments))
    return "\n".join(lines)


def form_description(t: Ticket) -> str:
    """The JotForm table from the ticket body, with the attachments listed (channel partner requests)."""
    rows = [line for line in t.description.splitlines() if line.strip().startswith("|")]
    body = "\n".join(rows) if rows else t.description.strip()
    if t.attachments:
        body += f"\n\nAttachments from {t.key} (copied to this ticket): " + ", ".join(a.filename for a in t.attachments)
    return body


@dataclass
class CsDraft:
    """A CS ticket ready to create; every field is editable in the form."""

    ss_key: str
    project: str
    issue_type: str
    issue_type_reason: str
    summary: str
    component: str
    description: str
    priority: str
    epic: str
    epic_reason: str
    assignee: str  # roster value (name, email or account id), resolved by the service
    qa_assignee: str
    dates: DueDates
    link: LinkChoice | None = None  # Linked Issues: the relationship (None: the site offers none)
    link_to: str = ""  # the Issue it links to; empty: the SS ticket
    notes: list[str] = field(default_factory=list)
    priority_reason: str = ""
    summary_reason: str = "Reporter_name - Org_name - Configuration"
    qa_reason: str = ""
    attachments: tuple[Attachment, ...] = ()  # the customer's files, copied to the CS ticket
    filed: datetime | None = None  # when the dates count from
    top_tier: bool = False
    rules: tuple[DueRule, ...] = DEFAULT_RULES
    playbook_rule: DueRule | None = None
    choices: tuple[tuple[str, str, str], ...] = ()  # (choice id, the rule's name, the sentence suggesting it or "")
    chosen: frozenset[str] = frozenset()

    def redate(self, cal: BusinessCalendar, issue_type: str, chosen: frozenset[str]) -> DueDates:
        """The dates again, after the agent changed the issue type or a choice on the form."""
        if self.filed is None:
            return self.dates
        return due_dates(cal, self.filed, issue_type, self.top_tier, self.rules, self.playbook_rule, chosen)

    def problems(self) -> list[str]:
        out = []
        if not self.summary.strip():
            out.append("summary is empty")
        if not self.epic.strip():
            out.append("an epic is required (tickets without one get lost)")
        if self.issue_type not in ISSUE_TYPES:
            out.append(f"issue type must be one of {', '.join(ISSUE_TYPES)}")
        return out


def draft(t: Ticket, *, now: datetime, cal: BusinessCalendar, components: list[str], priority_rule: PriorityRule,
          roster: dict[str, str], browse_url: str, rules: tuple[DueRule, ...] = DEFAULT_RULES,
          playbook_rule: DueRule | None = None, project: str = "CS", issue_type: str | None = None,
          epic: str | None = None, summary: str | None = None, description: str | None = None,
          customer: str | None = None, priority: str | None = None, link_types: tuple[LinkType, ...] = (),
          qa: str | None = None) -> CsDraft:
    """`customer` names the component when the playbook knows it better than the ticket's organization
    (the channel partner form's Company Name); `priority` is a playbook's fixed priority; `qa` the QA
    assignee its SOP names."""
    it = Suggestion(issue_type, SOP_SET) if issue_type else suggest_issue_type(t)
    ep = Suggestion(epic, SOP_SET) if epic else suggest_epic(t, it.value)
    org = customer or (t.organizations[0].name if t.organizations else "")
    lower = {c.lower(): c for c in components}
    component = lower.get(org.lower(), "other")
    notes = []
    if component == "other":
        notes.append(f"'{org or 'no organization'}' is not a CS component yet: using 'other' (it will be added later)")
    top = priority_rule.applies(t)
    text = f"{t.summary}\n{t.description}"
    asked = choices(rules) if playbook_rule is None else []  # a playbook's own dates ask nothing
    why = suggested_choices(tuple(asked), text)
    chosen: frozenset[str] = frozenset()  # the words only suggest: cs-ticket-creation.txt leaves these to the agent
    dates = due_dates(cal, now, it.value, top, rules, playbook_rule, chosen)
    return CsDraft(
        ss_key=t.key, project=project, issue_type=it.value, issue_type_reason=it.reason,
        summary=summary or summary_for(t), component=component,
        description=description or description_for(t, browse_url),
        priority=priority or ("High" if top else "Medium"),
        priority_reason=SOP_SET if priority else (
            priority_rule.reason(t) or "not a priority installer (a priority installer's CS ticket is High)"),
        summary_reason=("copied from the SS ticket's title, as the SOP says" if summary else
                        "Reporter_name - Org_name - Configuration that should be complete"),
        qa_reason="named by the SOP" if qa else "the roster's qa_assignee: the configuration team member who QAs it",
        epic=ep.value, epic_reason=ep.reason, assignee=roster.get("config_assignee", ""),
        qa_assignee=qa or roster.get("qa_assignee", ""), dates=dates, notes=notes, attachments=t.attachments,
        filed=now, top_tier=top, rules=rules, playbook_rule=playbook_rule,
        choices=tuple((r.question, r.name, why.get(r.question, "")) for r in asked), chosen=chosen,
        link=default_choice(link_choices(link_types)), link_to=t.key,
    )
