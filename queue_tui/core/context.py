"""The ticket as the playbook engine sees it: the ticket in full, its CS ticket, the people the SOP
names, what Jira says about who changed what, and the SOP's progress on the ticket.

Pure data. The service layer gathers it (`PlaybookRunner.context`); the planner reads it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from queue_tui.core.cs_fields import CsFields, CsSetup
from queue_tui.core.models import Person, RequestType, Ticket


@dataclass(frozen=True, slots=True)
class Change:
    """The latest change of a field, as Jira's changelog tells it."""

    by: Person | None
    at: datetime
    value: str = ""

    def says(self) -> str:
        who = self.by.name if self.by is not None else "someone"
        return f"set by {who} on {self.at:%Y-%m-%d %H:%M}"


@dataclass(frozen=True, slots=True)
class StepProgress:
    """What is stored about one step of one playbook on one ticket (the `queue-tui.progress` property)."""

    state: str  # done | ticked | met | confirmed | chosen (evidence: the option)
    at: datetime | None = None
    by: str = ""
    evidence: str = ""

    @staticmethod
    def read(raw: Any) -> StepProgress | None:
        """From the stored JSON; None when it is not a progress entry (a hand-edited property)."""
        if not isinstance(raw, dict) or not isinstance(raw.get("state"), str):
            return None
        at = None
        if isinstance(raw.get("at"), str):
            try:
                at = datetime.fromisoformat(raw["at"])
            except ValueError:
                at = None
        return StepProgress(raw["state"], at, str(raw.get("by") or ""), str(raw.get("evidence") or ""))

    def as_json(self) -> dict[str, str]:
        out = {"state": self.state, "by": self.by}
        if self.at is not None:
            out["at"] = self.at.isoformat(timespec="seconds")
        if self.evidence:
            out["evidence"] = self.evidence
        return out


@dataclass(frozen=True)
class Context:
    ticket: Ticket
    me: Person
    now: datetime
    people: Mapping[str, Person | None] = field(default_factory=dict)  # role -> person (None: not found)
    staff_domains: tuple[str, ...] = ()
    org_ids: Mapping[str, int] = field(default_factory=dict)  # lower name -> id
    channel_managers: Mapping[str, str] = field(default_factory=dict)  # partner org (lower) -> manager org
    account_managers: Mapping[str, Person] = field(default_factory=dict)  # org (lower) -> person
    request_types: Mapping[str, str] = field(default_factory=dict)  # lower name -> id
    site_request_types: tuple[RequestType, ...] = ()  # the desk's own, for the suggestion
    request_type_aliases: Mapping[str, str] = field(default_factory=dict)  # site name -> SOP name
    cs: Ticket | None = None  # with its comments when the runner read them
    related: tuple[Ticket, ...] = ()  # e.g. separate approval tickets
    progress: Mapping[str, StepProgress] = field(default_factory=dict)  # step id -> progress
    history: Mapping[str, Change] | None = None  # logical field -> latest change; None: Jira did not say
    markers: frozenset[str] = frozenset()  # step markers on the comments of the ticket and its CS ticket
    source: str = ""  # Jira's request channel ("email", "portal", ...) when known
    mention_style: str = "none"  # how a comment mentions a person: cloud, dc (the site's markup) or none
    inputs: Mapping[str, str] = field(default_factory=dict)  # step id -> what the agent typed for it
    cs_fields: CsFields | None = None  # the linked CS ticket's configuration fields, when read
    cs_setup: CsSetup | None = None  # the team's CS rules (calendar, due rules, priority rule)
    anonymous: Person | None = None  # the desk's anonymous customer: stands in for an unmapped reporter role
    config_where: str = "in the config file"  # where a missing setting goes, for the problem that names it
    # key -> (transition name, status it leads to) the site offers from where the ticket stands; a key
    # missing: not read (the SOP's status name is used as it is)
    transitions: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # logical field (needs_config) -> the options the site's edit screen allows; missing: not read
    field_options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def is_staff(self, p: Person | None) -> bool:
        return p is not None and p.is_staff(self.staff_domains)

    def is_me(self, p: Person | None) -> bool:
        return p is not None and p.id == self.me.id

    def form_value(self, label: str) -> str | None:
        """A value from the form table in the ticket body ("Installer name: X" or "| Installer name | X |")."""
        return form_value(self.ticket, label)

    def ticket_org(self) -> str | None:
        return self.ticket.organizations[0].name if self.ticket.organizations else None

    def done(self, step_id: str) -> bool:
        p = self.progress.get(step_id)
        return p is not None and p.state in ("done", "ticked", "met", "confirmed")

    def chosen(self, step_id: str) -> str | None:
        """The option the agent chose at a choice step (or a transition's choices), None before they do."""
        p = self.progress.get(step_id)
        return p.evidence if p is not None and p.state == "chosen" else None


def form_value(t: Ticket, label: str) -> str | None:
    """A value from the form table in a ticket's body ("Installer name: X" or "| Installer name | X |")."""
    for line in t.description.splitlines():
        m = re.match(rf"\s*\|?\s*(?:\d+\.\s*)?{re.escape(label)}\s*[:|]\s*(.+?)\s*\|?\s*$", line, re.IGNORECASE)
        if m:
            return m.group(1).strip()
    return None
