"""The simulator's world: users, organizations, projects, issues, comments, links, attachments.

Everything here is plain data guarded by one lock. The route families turn it into Jira's
JSON shapes (`render.py`); `seed.py` fills it; `sla.py` runs JSM's SLA clock over it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from queue_tui.sandbox.clock import Clock

if TYPE_CHECKING:
    from queue_tui.sandbox.history import History

# Custom field ids, chosen to look like a real Cloud site's.
CF_REQUEST_TYPE = "customfield_10010"
CF_ORGANIZATIONS = "customfield_10002"
CF_PARTICIPANTS = "customfield_10026"
CF_TTFR = "customfield_10030"
CF_TTR = "customfield_10031"
CF_CHANNEL = "customfield_10040"
CF_NEEDS_CONFIG = "customfield_10041"
CF_CONFIG_DATE = "customfield_10050"
CF_QA_DATE = "customfield_10051"
CF_QA_ASSIGNEE = "customfield_10052"
CF_EPIC_LINK = "customfield_10014"

# The priority scheme (name -> id), highest first; a site can add its own names.
DEFAULT_PRIORITIES = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4", "Lowest": "5"}

WAITING_FOR_SUPPORT = "Waiting for support"
WAITING_FOR_CUSTOMER = "Waiting for customer"

@dataclass
class User:
    account_id: str
    name: str  # Data Center username
    display_name: str
    email: str
    staff: bool = False
    active: bool = True
    app: bool = False  # an app account such as "Automation for Jira": neither staff nor customer


@dataclass
class Organization:
    id: int
    name: str
    created: datetime


@dataclass
class Status:
    id: str
    name: str
    category: str  # new | indeterminate | done


@dataclass
class Project:
    id: str
    key: str
    name: str
    type_key: str  # service_desk | software
    issue_types: dict[str, str]  # name -> id
    statuses: list[str]
    components: dict[str, int] = field(default_factory=dict)  # name -> id


@dataclass
class RequestType:
    id: str
    name: str
    description: str
    help_text: str
    issue_type_id: str
    service_desk_id: str
    group_ids: list[str]


@dataclass
class Queue:
    id: str
    name: str
    jql: str
    fields: list[str]


@dataclass
class Comment:
    id: str
    author: str  # account id
    body: str
    public: bool
    created: datetime
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Attachment:
    id: str
    filename: str
    mime_type: str
    content: bytes
    author: str  # account id
    created: datetime


@dataclass
class Link:
    id: str
    type_name: str
    outward_key: str  # this issue "outward" relates to inward
    inward_key: str


@dataclass
class Issue:
    id: str
    key: str
    project: str
    issue_type: str
    summary: str
    description: str
    status: str
    priority: str
    reporter: str | None
    assignee: str | None
    created: datetime
    updated: datetime
    labels: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    request_type: str | None = None  # request type id
    organizations: list[int] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    needs_config: str | None = None
    duedate: str | None = None  # YYYY-MM-DD
    config_date: str | None = None  # YYYY-MM-DD
    qa_date: str | None = None  # datetime, Jira format
    qa_assignee: str | None = None
    parent: str | None = None  # epic key
    resolution: str | None = None
    resolution_date: datetime | None = None
    watchers: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    # (status name, since) in order; the first entry is the creation status.
    status_history: list[tuple[str, datetime]] = field(default_factory=list)
    history: list[History] = field(default_factory=list)  # the changelog (history.py)


class World:
    """All simulated Jira data, with one lock for the HTTP threads and the live-mode thread."""

    def __init__(self, clock: Clock, mode: str = "cloud") -> None:
        self.clock = clock
        self.mode = mode
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}
        self.organizations: dict[int, Organization] = {}
        self.projects: dict[str, Project] = {}
        self.statuses: dict[str, Status] = {}
        self.request_types: dict[str, RequestType] = {}
        self.queues: list[Queue] = []
        self.issues: dict[str, Issue] = {}
        self.links: list[Link] = []
        self.link_types: list[dict[str, str]] = []
        self.service_desk_id = "1"
        self.service_desk_project = "SS"
        self.me = ""  # account id of the authenticated agent
        self.account_managers: dict[int, str] = {}  # org id -> account id
        self.channel_managers: dict[int, int] = {}  # channel partner org -> manager org
        self.priority_installers: set[int] = set()  # the site's own list, not the app's config
        self.org_members: dict[int, list[str]] = {}  # org id -> customer account ids
        self.priorities: dict[str, str] = dict(DEFAULT_PRIORITIES)
        # The team's automation (automation.py): what it sets, and how long after the edit it runs.
        self.needs_config_automation = True
        self.priority_automation: str | None = "High"  # Priority set once a priority installer org is in
        self.automation_delay = 0.0  # seconds of the world's clock; 0 runs a rule within the edit
        self.pending: list[tuple[datetime, Callable[[], object]]] = []  # delayed automation
        # search/jql is eventually consistent on Jira: a change shows in search results only
        # `search_lag` seconds later, unless its issue id is in `reconcileIssues`. 0 = at once.
        self.search_lag = 0.0
        self.search_index: dict[str, Issue] = {}  # key -> the copy search last saw
        self.permissions: dict[str, bool] = {
            "BROWSE_PROJECTS": True,
            "ASSIGN_ISSUES": True,
            "EDIT_ISSUES": True,
            "ADD_COMMENTS": True,
            "CREATE_ISSUES": True,
            "TRANSITION_ISSUES": True,
            "MANAGE_WATCHERS": True,
            "LINK_ISSUES": True,
            "CREATE_ATTACHMENTS": True,
            "DELETE_OWN_ATTACHMENTS": True,
            "DELETE_ALL_ATTACHMENTS": False,
        }
        self.sla_enabled = True
        self._next_id = 10000
        self._key_counters: dict[str, int] = {}
        self._by_id: dict[str, Issue] = {}
        self._next_comment = 20000
        self._next_link = 30000
        self._next_attachment = 40000
        self._next_history = 50000
        self.write_log: list[tuple[str, str, str]] = []  # (method, path, key) of applied writes

    # -- ids -------------------------------------------------------------------------------
    def next_id(self) -> str:
        self._next_id += 1
        return str(self._next_id)

    def next_comment_id(self) -> str:
        self._next_comment += 1
        return str(self._next_comment)

    def next_link_id(self) -> str:
        self._next_link += 1
        return str(self._next_link)

    def next_history_id(self) -> str:
        self._next_history += 1
        return str(self._next_history)

    def next_attachment_id(self) -> str:
        self._next_attachment += 1
        return str(self._next_attachment)

    @contextmanager
    def locked(self) -> Iterator[World]:
        with self.lock:
            yield self

    # -- lookups ---------------------------------------------------------------------------
    def user(self, ident: str | None) -> User | None:
        """A user by account id, username or email."""
        if not ident:
            return None
        if ident in self.users:
            return self.users[ident]
        for u in self.users.values():
            if ident in (u.name, u.email):
                return u
        return None

    def org_by_name(self, name: str) -> Organization | None:
        for o in self.organizations.values():
            if o.name.lower() == name.lower():
                return o
        return None

    def request_type_by_name(self, name: str) -> RequestType | None:
        for rt in self.request_types.values():
            if rt.name.lower() == name.lower():
                return rt
        return None

    def issue(self, key_or_id: str) -> Issue | None:
        key_or_id = key_or_id.upper()
        if key_or_id in self.issues:
            return self.issues[key_or_id]
        return self._by_id.get(key_or_id)

    def comment(self, comment_id: str) -> tuple[Issue, Comment] | None:
        for issue in self.issues.values():
            for c in issue.comments:
                if c.id == comment_id:
                    return issue, c
        return None

    def attachment(self, attachment_id: str) -> tuple[Issue, Attachment] | None:
        for issue in self.issues.values():
            for a in issue.attachments:
                if a.id == attachment_id:
                    return issue, a
        return None

    def links_of(self, key: str) -> list[Link]:
        return [link for link in self.links if key in (link.outward_key, link.inward_key)]

    def next_key(self, project: str) -> str:
        return f"{project}-{self._key_counters.get(project, 0) + 1}"

    # -- mutations -------------------------------------------------------------------------
    def add_issue(self, issue: Issue) -> Issue:
        if not issue.status_history:
            issue.status_history.append((issue.status, issue.created))
        self.issues[issue.key] = issue
        project, num = issue.key.rsplit("-", 1)
        self._key_counters[project] = max(self._key_counters.get(project, 0), int(num))
        self._by_id[issue.id] = issue
        return issue

    def set_status(self, issue: Issue, status: str, when: datetime | None = None) -> None:
        when = when or self.clock.now()
        if issue.status == status:
            return
        issue.status = status
        issue.status_history.append((status, when))
        issue.updated = when
        st = self.statuses.get(status)
        if st and st.category == "done":
            issue.resolution = issue.resolution or "Done"
            issue.resolution_date = when
        else:
            issue.resolution = None
            issue.resolution_date = None

    def add_comment(self, issue: Issue, author: str, body: str, public: bool,
                    when: datetime | None = None) -> Comment:
        when = when or self.clock.now()
        c = Comment(self.next_comment_id(), author, body, public, when)
        issue.comments.append(c)
        issue.updated = when
        user = self.users.get(author)
        # JSM's default workflow: an agent's public reply hands the ticket to the customer,
        # a customer's reply hands it back to support.
        if issue.project == self.service_desk_project and public and user is not None:
            if user.staff and issue.status == WAITING_FOR_SUPPORT:
                self.set_status(issue, WAITING_FOR_CUSTOMER, when)
            elif not user.staff and issue.status == WAITING_FOR_CUSTOMER:
                self.set_status(issue, WAITING_FOR_SUPPORT, when)
        return c

    def add_link(self, type_name: str, outward_key: str, inward_key: str, when: datetime | None = None) -> Link:
        """A link; an identical one already there is returned instead (Jira stores no second)."""
        for link in self.links:
            if (link.type_name, link.outward_key, link.inward_key) == (type_name, outward_key, inward_key):
                return link
        link = Link(self.next_link_id(), type_name, outward_key, inward_key)
        self.links.append(link)
        now = when or self.clock.now()
        for key in (outward_key, inward_key):
            if key in self.issues:
                self.issues[key].updated = now
        return link
