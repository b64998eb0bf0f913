"""Issue change history, as Jira's changelog records it: who changed which field when, from what to what.

Edits, assignments and transitions made through the API are recorded with the agent as
author; the team's automation records its changes as "Automation for Jira". Status moves made
by JSM's comment rule or by the simulated other teams are not recorded (Jira would). Jira
records no history for the values a ticket was created with. The seed gives colleagues'
earlier changes (e.g. Priya took a ticket) so that "who set this" has an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from queue_tui.sandbox.state import (
    CF_CHANNEL,
    CF_NEEDS_CONFIG,
    CF_ORGANIZATIONS,
    CF_PARTICIPANTS,
    CF_REQUEST_TYPE,
    Issue,
    World,
)

AUTOMATION = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"  # Jira Cloud's "Automation for Jira" account


@dataclass
class ChangeItem:
    field: str
    field_id: str
    fieldtype: str  # "jira" or "custom"
    from_id: str | None
    from_string: str | None
    to_id: str | None
    to_string: str | None


@dataclass
class History:
    id: str
    author: str  # account id
    created: datetime
    items: list[ChangeItem] = field(default_factory=list)


Value = tuple[str | None, str | None]  # (id, display string)


def _join(values: list[str]) -> str | None:
    return ", ".join(values) or None


def snapshot(w: World, i: Issue) -> dict[tuple[str, str, str], Value]:
    """The tracked fields of an issue: (name, id, type) -> (value id, display string)."""
    def person(aid: str | None) -> Value:
        u = w.users.get(aid or "")
        return (aid, u.display_name if u else None) if aid else (None, None)

    rt = w.request_types.get(i.request_type or "")
    orgs = [w.organizations[o].name for o in i.organizations if o in w.organizations]
    return {
        ("summary", "summary", "jira"): (None, i.summary),
        ("assignee", "assignee", "jira"): person(i.assignee),
        ("reporter", "reporter", "jira"): person(i.reporter),
        ("status", "status", "jira"): (w.statuses[i.status].id if i.status in w.statuses else None, i.status),
        ("priority", "priority", "jira"): (w.priorities.get(i.priority), i.priority),
        ("resolution", "resolution", "jira"): (None, i.resolution),
        ("labels", "labels", "jira"): (None, " ".join(i.labels) or None),
        ("Component", "components", "jira"): (None, _join(i.components)),
        ("duedate", "duedate", "jira"): (i.duedate, i.duedate),
        ("Customer Request Type", CF_REQUEST_TYPE, "custom"): (rt.id, rt.name) if rt else (None, None),
        ("Organizations", CF_ORGANIZATIONS, "custom"): (_join([str(o) for o in i.organizations]), _join(orgs)),
        ("Request participants", CF_PARTICIPANTS, "custom"): (_join(i.participants), _join(
            [w.users[p].display_name for p in i.participants if p in w.users])),
        ("Needs Configuration?", CF_NEEDS_CONFIG, "custom"): (None, i.needs_config),
        ("Channel", CF_CHANNEL, "custom"): (None, ",".join(i.channel) or None),
    }


def record(w: World, before: dict[tuple[str, str, str], Value], i: Issue, author: str, when: datetime) -> History | None:
    """Append one history entry holding every tracked field that changed since `before`."""
    after = snapshot(w, i)
    items = [ChangeItem(name, fid, ftype, old[0], old[1], after[(name, fid, ftype)][0], after[(name, fid, ftype)][1])
             for (name, fid, ftype), old in before.items() if after[(name, fid, ftype)] != old]
    if not items:
        return None
    h = History(w.next_history_id(), author, when, items)
    i.history.append(h)
    return h
