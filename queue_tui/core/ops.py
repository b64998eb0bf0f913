"""Typed playbook operations: one frozen dataclass per kind of write a playbook step can make.

The planner (`queue_tui.core.plan`) returns these and the runner
(`queue_tui.service.playbook_runner`) dispatches on their type, so a misspelt operation is an
import or type-check error, never a run-time surprise. Each operation names the ticket it writes
(`key`, or `keys` for a few) and says what it will do for the preview (`writes`): one `Write` per
ticket and field, with the value before and after, and for comments who will read them.

Adding an operation: a dataclass here, a member of `Op`, a handler in the runner's dispatch
(mypy's exhaustiveness check on `Op` names a missing one), and `NON_IDEMPOTENT` if sending it
twice would do it twice.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from queue_tui.core.due_rules import DueRule
from queue_tui.core.models import Person

PersonField = Literal["assignee", "reporter"]


@dataclass(frozen=True, slots=True)
class Write:
    """One line of the preview: what will change where."""

    ticket: str
    what: str  # the field, or "comment"
    before: str
    after: str
    audience: str = ""  # comments: "internal" or "PUBLIC (the customer sees it)"

    def line(self) -> str:
        if self.what == "comment":  # whole, on lines of its own: the agent proofreads it before it is posted
            body = "\n".join(f"    {line}" for line in self.after.splitlines())
            return f"{self.ticket}  {self.audience} comment:\n{body}"
        if self.after.startswith(("+ ", "− ")):  # adds to or removes from a list: what was there stays
            return f"{self.ticket}  {self.what}: {self.after}"
        return f"{self.ticket}  {self.what}: {self.before or '—'} → {self.after}"


def _names(people: tuple[Person, ...]) -> str:
    return ", ".join(p.name for p in people)


@dataclass(frozen=True, slots=True)
class SetPerson:
    key: str
    field: PersonField
    person: Person

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, self.field, before, self.person.name),)


@dataclass(frozen=True, slots=True)
class SetOrganization:
    key: str
    org_id: int
    name: str

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "organization", before, self.name),)


@dataclass(frozen=True, slots=True)
class SetRequestType:
    key: str
    type_id: str
    name: str

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "request type", before, self.name),)


@dataclass(frozen=True, slots=True)
class AddLabel:
    key: str
    label: str

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "labels", before, f"+ {self.label}"),)


@dataclass(frozen=True, slots=True)
class SetChannel:
    key: str
    values: tuple[str, ...]

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "channel", before, ", ".join(self.values)),)


@dataclass(frozen=True, slots=True)
class ChangeChannels:
    """Adds to and removes from the channel field, leaving every other value as Jira has it.
    `merged`: the whole field after the change, for a site whose field takes no add/remove."""

    key: str
    add: tuple[str, ...]
    remove: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()

    def writes(self, before: str) -> tuple[Write, ...]:
        return tuple(Write(self.key, "channel", before, f"+ {v}") for v in self.add) + tuple(
            Write(self.key, "channel", before, f"− {v}") for v in self.remove)


@dataclass(frozen=True, slots=True)
class SetNeedsConfig:
    key: str
    value: str

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "Needs Configuration?", before, self.value),)


@dataclass(frozen=True, slots=True)
class SetPriority:
    key: str
    value: str

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "priority", before, self.value),)


@dataclass(frozen=True, slots=True)
class AddWatchers:
    key: str
    people: tuple[Person, ...]

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "watchers", before, f"+ {_names(self.people)}"),)


@dataclass(frozen=True, slots=True)
class RemoveWatchers:
    key: str
    people: tuple[Person, ...]

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "watchers", before, f"− {_names(self.people)}"),)


@dataclass(frozen=True, slots=True)
class MoveStaffToWatchers:
    key: str
    people: tuple[Person, ...]
    watching: tuple[str, ...] = ()  # ids among `people` already watching (a move half done before): not added again

    def to_add(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.id not in self.watching)

    def writes(self, before: str) -> tuple[Write, ...]:
        add = self.to_add()
        return ((Write(self.key, "watchers", "", f"+ {_names(add)}"),) if add else ()) + (
            Write(self.key, "participants", before, f"− {_names(self.people)}"),)


@dataclass(frozen=True, slots=True)
class RemoveParticipants:
    key: str
    people: tuple[Person, ...]

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "participants", before, f"− {_names(self.people)}"),)


@dataclass(frozen=True, slots=True)
class PostComment:
    """A comment, marked as the step's own so that Jira itself says whether it was posted."""

    key: str
    body: str  # as sent: mentions in the site's markup
    public: bool
    marker: str  # "<playbook id>/<step id>@<ticket the playbook runs on>"
    shown: str = ""  # as the agent reads it (mentions as @Name); "" when the same as the body

    @property
    def audience(self) -> str:
        return "PUBLIC (the customer sees it)" if self.public else "internal"

    def writes(self, before: str) -> tuple[Write, ...]:
        # Whole, as it will read: edits made after it is posted never reach the customer.
        text = "\n".join(line.rstrip() for line in (self.shown or self.body).strip().splitlines())
        return (Write(self.key, "comment", "", text, self.audience),)


@dataclass(frozen=True, slots=True)
class Transition:
    key: str
    to: str
    resolution: str | None = None

    def writes(self, before: str) -> tuple[Write, ...]:
        was = before.removeprefix(f"{self.key}: ")  # a step on the CS ticket names it before its status
        return (Write(self.key, "status", was, self.to + (f" ({self.resolution})" if self.resolution else "")),)


@dataclass(frozen=True, slots=True)
class TransitionMany:
    keys: tuple[str, ...]
    to: str
    resolution: str | None = None
    was: tuple[str, ...] = ()  # each ticket's status as planned, for the preview

    def writes(self, before: str) -> tuple[Write, ...]:
        after = self.to + (f" ({self.resolution})" if self.resolution else "")
        return tuple(Write(k, "status", self.was[n] if n < len(self.was) else "", after) for n, k in enumerate(self.keys))


@dataclass(frozen=True, slots=True)
class CsRules:
    """What a playbook's CS step fixes for the CS ticket; empty means the usual suggestion."""

    issue_type: str = ""
    epic: str = ""
    priority: str = ""
    customer: str = ""  # the component
    summary_from_ticket: bool = False  # the SS ticket's title as the summary
    description_from_form: bool = False  # the form table in the SS ticket as the description
    due: DueRule | None = None  # the SOP's own due dates (channel-partner-request.txt: 3/2/3 business days)
    assignee_sop: str = ""  # where the SOP says who the assignee is: the form says to check its default there
    qa: str = ""  # the QA assignee the SOP names, instead of the roster's qa_assignee


@dataclass(frozen=True, slots=True)
class CreateCs:
    """Create and link the CS ticket: the form opens filled in with these rules; never part of apply-all."""

    key: str
    rules: CsRules

    def writes(self, before: str) -> tuple[Write, ...]:
        return (Write(self.key, "CS ticket", before, "create and link one (the form opens)"),)


@dataclass(frozen=True, slots=True)
class Link:
    key: str
    others: tuple[str, ...]
    link_type: str
    marker: str

    def writes(self, before: str) -> tuple[Write, ...]:
        return tuple(Write(self.key, "link", "", f"{self.link_type} {k}") for k in self.others)


CsField = Literal["issue_type", "epic", "due", "config_date", "qa_date", "qa_assignee", "link"]


@dataclass(frozen=True, slots=True)
class CsChange:
    """One field of a CS ticket brought up to the SOP: what it is now and what it becomes."""

    field: CsField
    before: str
    after: str  # as shown
    value: str | date | datetime | Person  # what is written: a name, a date, a moment, a person, a key to link


@dataclass(frozen=True, slots=True)
class UpdateCs:
    """Bring a CS ticket (the automation's) up to cs-ticket-creation.txt: one edit, and the link if missing."""

    key: str  # the CS ticket
    ss_key: str
    changes: tuple[CsChange, ...]

    def writes(self, before: str) -> tuple[Write, ...]:
        return tuple(Write(self.key, ch.field.replace("_", " "), ch.before, ch.after) for ch in self.changes)


Op = (SetPerson | SetOrganization | SetRequestType | AddLabel | SetChannel | ChangeChannels | SetNeedsConfig | SetPriority | AddWatchers
      | RemoveWatchers | MoveStaffToWatchers | RemoveParticipants | PostComment | Transition | TransitionMany | CreateCs
      | Link | UpdateCs)

# Sending these twice does them twice: they are checked against Jira, under a claim, before being sent.
NON_IDEMPOTENT: tuple[type, ...] = (PostComment, Link, CreateCs)


def watchers_added(op: Op) -> frozenset[str]:
    """Ids of the people the operation adds as watchers."""
    if isinstance(op, AddWatchers):
        return frozenset(p.id for p in op.people)
    if isinstance(op, MoveStaffToWatchers):
        return frozenset(p.id for p in op.to_add())
    return frozenset()


def unless_watching(op: Op, added: Collection[str]) -> Op | None:
    """The operation without the watchers an earlier step of the same run already added (the account
    manager who was also a staff participant); None when nothing is left for it to do."""
    if isinstance(op, AddWatchers):
        rest = tuple(p for p in op.people if p.id not in added)
        return replace(op, people=rest) if rest else None
    if isinstance(op, MoveStaffToWatchers):
        return replace(op, watching=tuple(dict.fromkeys(op.watching + tuple(p.id for p in op.people if p.id in added))))
    return op
