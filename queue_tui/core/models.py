"""The app's own picture of a service desk: tickets, people, SLA clocks, comments, links.

Immutable and free of IO: the service layer builds these from Jira's JSON, the UI shows them,
and the rest of `core` computes on them with `now` passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Person:
    id: str  # account id on Cloud, username on Data Center
    name: str
    email: str = ""

    def is_staff(self, staff_domains: tuple[str, ...]) -> bool:
        domain = self.email.rsplit("@", 1)[-1].lower() if "@" in self.email else ""
        return bool(domain) and domain in staff_domains


@dataclass(frozen=True, slots=True)
class SlaClock:
    """One SLA's ongoing (or completed) cycle, as JSM reported it at `fetched_at`."""

    name: str
    goal_ms: int
    remaining_ms: int  # at fetched_at; negative once breached
    breach_at: datetime | None  # absent while paused
    paused: bool
    breached: bool
    completed: bool
    fetched_at: datetime
    computed: bool = False  # True when the app computed it (instance without JSM SLA data)


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    author: Person | None
    body: str
    public: bool
    created: datetime
    marker: str = ""  # the playbook step that posted it, from its `queue-tui.step` property when read

    def says(self, text: str) -> bool:
        """This comment's body is `text`, white space aside: how a comment the app sent is recognised
        when it reads the ticket back (a lost answer, a second agent)."""
        return " ".join(self.body.split()) == " ".join(text.split())


@dataclass(frozen=True, slots=True)
class LinkedIssue:
    key: str
    relation: str  # e.g. "relates to", "is duplicated by"
    summary: str
    status: str
    status_category: str  # new | indeterminate | done
    issue_type: str
    priority: str
    link_type: str = ""  # e.g. "Relates", "Duplicate"

    @property
    def project(self) -> str:
        return self.key.rsplit("-", 1)[0]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file on a ticket, as Jira lists it: enough to copy it (its content URL) and to know it again."""

    id: str
    filename: str
    size: int = 0
    mime_type: str = ""
    content: str = ""  # the URL Jira gives for its bytes

    def __str__(self) -> str:
        return self.filename


@dataclass(frozen=True, slots=True)
class Organization:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class RequestType:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Ticket:
    key: str
    id: str
    summary: str
    status: str
    status_category: str  # new | indeterminate | done
    priority: str
    created: datetime
    updated: datetime
    reporter: Person | None = None
    assignee: Person | None = None
    organizations: tuple[Organization, ...] = ()
    request_type: RequestType | None = None
    labels: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    participants: tuple[Person, ...] = ()
    slas: tuple[SlaClock, ...] = ()
    links: tuple[LinkedIssue, ...] = ()
    description: str = ""
    attachments: tuple[Attachment, ...] = ()
    components: tuple[str, ...] = ()
    issue_type: str = ""
    needs_config: str | None = None
    resolution: str | None = None
    watchers: tuple[Person, ...] = ()
    comments: tuple[Comment, ...] = ()
    detail_loaded: bool = False  # comments, watchers and participants were fetched
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def project(self) -> str:
        return self.key.rsplit("-", 1)[0]

    @property
    def organization_name(self) -> str:
        return ", ".join(o.name for o in self.organizations)

    @property
    def waiting_on(self) -> str:
        """Who the ball is with: the customer, or support."""
        s = self.status.lower()
        if "customer" in s:
            return "customer"
        if self.status_category == "done":
            return "-"
        return "support"

    def fingerprint(self) -> tuple[object, ...]:
        """What a poll compares to decide that a ticket changed."""
        return (self.summary, self.status, self.priority, self.assignee, self.organizations, self.request_type,
                self.labels, self.updated, tuple((s.name, s.breach_at, s.paused, s.completed) for s in self.slas),
                tuple((lk.key, lk.status) for lk in self.links))


@dataclass(frozen=True, slots=True)
class Queue:
    id: str
    name: str
    jql: str
    count: int | None = None
    kind: str = "jsm"  # jsm | unassigned | mine
