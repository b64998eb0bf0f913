"""What the playbook engine knows about a linked CS ticket's configuration fields, and the team's
CS rules it needs to judge them (cs-ticket-creation.txt).

Pure data, gathered by the service layer: the fields Jira has on the CS ticket now (issue type,
epic, the three due dates, QA assignee), and the calendar, due-date rules and priority rule the
`c` form uses, so that a CS ticket the automation created is judged by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from queue_tui.core.calendar import BusinessCalendar
from queue_tui.core.due_rules import DEFAULT_RULES, DueRule
from queue_tui.core.link_types import LinkChoice
from queue_tui.core.models import Person
from queue_tui.core.priority import PriorityRule


@dataclass(frozen=True, slots=True)
class CsFields:
    """A CS ticket's configuration fields as Jira has them (None: empty, or not on this site)."""

    key: str
    issue_type: str
    created: datetime
    epic: str | None = None  # the epic's name (its summary)
    epic_key: str | None = None
    due: date | None = None
    config_date: date | None = None
    qa_date: date | None = None
    qa_assignee: Person | None = None
    linked_to: tuple[str, ...] = ()  # the keys it is linked to
    has_config_date: bool = True  # the site has the field (else nothing to set)
    has_qa_date: bool = True
    has_qa_assignee: bool = True
    link: LinkChoice | None = None  # the site's default relationship for the link to the SS ticket (None: no linking)


@dataclass(frozen=True)
class CsSetup:
    """The team's CS rules, as the `c` form uses them."""

    cal: BusinessCalendar
    rules: tuple[DueRule, ...] = DEFAULT_RULES
    priority_rule: PriorityRule = PriorityRule()
