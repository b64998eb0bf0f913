"""Jira's JSON shapes for the simulator's data: users, dates, issues, SLA, comments.

Shapes follow the official specs in shared/specs (Cloud); Data Center differs where Jira does
(usernames instead of account ids, `deploymentType` Server).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from queue_tui.sandbox.sla import SlaCycle, sla_cycle
from queue_tui.sandbox.state import (
    CF_CHANNEL,
    CF_CONFIG_DATE,
    CF_EPIC_LINK,
    CF_NEEDS_CONFIG,
    CF_ORGANIZATIONS,
    CF_PARTICIPANTS,
    CF_QA_ASSIGNEE,
    CF_QA_DATE,
    CF_REQUEST_TYPE,
    CF_TTFR,
    CF_TTR,
    DEFAULT_PRIORITIES,
    Attachment,
    Comment,
    Issue,
    User,
    World,
)

CHANNEL_OPTIONS = {"Phone": "10100", "Email": "10101", "Chat": "10102"}
NEEDS_CONFIG_OPTIONS = {"Integrated Finance": "10200", "Configured Finance": "10201", "Document": "10202",
                        "Onboarding": "10203", "Task": "10204"}
# The team's site also has the resolutions queue-triage-and-request-types.txt closes non-platform mail with.
RESOLUTIONS = {"Done": "10000", "Won't Do": "10001", "Duplicate": "10002", "Cannot Reproduce": "10003",
               "Non-Platform Request": "10004", "Other": "10005"}
PRIORITIES = DEFAULT_PRIORITIES  # the default scheme; a world's own is `World.priorities`

# Field definitions: (id, name, custom type or system name, schema type, items)
FIELDS: list[tuple[str, str, str, str, str | None]] = [
    ("summary", "Summary", "summary", "string", None),
    ("description", "Description", "description", "string", None),
    ("status", "Status", "status", "status", None),
    ("priority", "Priority", "priority", "priority", None),
    ("assignee", "Assignee", "assignee", "user", None),
    ("reporter", "Reporter", "reporter", "user", None),
    ("created", "Created", "created", "datetime", None),
    ("updated", "Updated", "updated", "datetime", None),
    ("labels", "Labels", "labels", "array", "string"),
    ("components", "Components", "components", "array", "component"),
    ("issuetype", "Issue Type", "issuetype", "issuetype", None),
    ("project", "Project", "project", "project", None),
    ("duedate", "Due date", "duedate", "date", None),
    ("resolution", "Resolution", "resolution", "resolution", None),
    ("resolutiondate", "Resolved", "resolutiondate", "datetime", None),
    ("issuelinks", "Linked Issues", "issuelinks", "array", "issuelinks"),
    ("comment", "Comment", "comment", "comments-page", None),
    ("attachment", "Attachment", "attachment", "array", "attachment"),
    ("watches", "Watchers", "watches", "watches", None),
    ("parent", "Parent", "parent", "issuelink", None),
    (CF_REQUEST_TYPE, "Request Type", "com.atlassian.servicedesk:vp-origin", "sd-customerrequesttype", None),
    (CF_ORGANIZATIONS, "Organizations", "com.atlassian.servicedesk:sd-customer-organizations", "array", "sd-customerorganization"),
    (CF_PARTICIPANTS, "Request participants", "com.atlassian.servicedesk:sd-request-participants", "array", "user"),
    (CF_TTFR, "Time to first response", "com.atlassian.servicedesk:sd-sla-field", "sd-servicelevelagreement", None),
    (CF_TTR, "Time to resolution", "com.atlassian.servicedesk:sd-sla-field", "sd-servicelevelagreement", None),
    (CF_CHANNEL, "Channel", "com.atlassian.jira.plugin.system.customfieldtypes:multicheckboxes", "array", "option"),
    (CF_NEEDS_CONFIG, "Needs Configuration?", "com.atlassian.jira.plugin.system.customfieldtypes:select", "option", None),
    (CF_CONFIG_DATE, "Configuration Date", "com.atlassian.jira.plugin.system.customfieldtypes:datepicker", "date", None),
    (CF_QA_DATE, "QA Due Date", "com.atlassian.jira.plugin.system.customfieldtypes:datetime", "datetime", None),
    (CF_QA_ASSIGNEE, "QA Assignee", "com.atlassian.jira.plugin.system.customfieldtypes:userpicker", "user", None),
    (CF_EPIC_LINK, "Epic Link", "com.pyxis.greenhopper.jira:gh-epic-link", "any", None),
]

NAVIGABLE = {f[0] for f in FIELDS} - {"comment", "attachment"}


def jira_time(dt: datetime) -> str:
    """Jira's timestamp form: 2026-11-20T16:00:00.000+0000."""
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}+0000"


def date_dto(dt: datetime) -> dict[str, Any]:
    dt = dt.astimezone(UTC)
    return {
        "iso8601": dt.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "jira": jira_time(dt),
        "friendly": dt.strftime("%d/%b/%y %I:%M %p"),
        "epochMillis": int(dt.timestamp() * 1000),
    }


def friendly_duration(td: timedelta) -> str:
    secs = int(td.total_seconds())
    sign = "-" if secs < 0 else ""
    secs = abs(secs)
    h, m = divmod(secs // 60, 60)
    return f"{sign}{h}h {m}m" if h else f"{sign}{m}m"


def duration_dto(td: timedelta) -> dict[str, Any]:
    return {"millis": int(td.total_seconds() * 1000), "friendly": friendly_duration(td)}


class Renderer:
    def __init__(self, world: World, base_url: str) -> None:
        self.w = world
        self.base = base_url.rstrip("/")

    @property
    def cloud(self) -> bool:
        return self.w.mode == "cloud"

    # -- users ---------------------------------------------------------------------------
    def user(self, u: User | None, version: str = "2") -> dict[str, Any] | None:
        if u is None:
            return None
        out: dict[str, Any] = {
            "self": f"{self.base}/rest/api/{version}/user?" + (f"accountId={u.account_id}" if self.cloud else f"username={u.name}"),
            "displayName": u.display_name,
            "emailAddress": u.email,
            "active": u.active,
            "timeZone": "UTC",
            "avatarUrls": {"48x48": f"{self.base}/avatar/{u.name}.png"},
        }
        if self.cloud:
            out["accountId"] = u.account_id
            out["accountType"] = "app" if u.app else "atlassian" if u.staff else "customer"
        else:
            out["name"] = u.name
            out["key"] = u.name
        return out

    def sd_user(self, u: User) -> dict[str, Any]:
        out: dict[str, Any] = {
            "displayName": u.display_name,
            "emailAddress": u.email,
            "active": u.active,
            "timeZone": "UTC",
            "_links": {"jiraRest": f"{self.base}/rest/api/2/user?accountId={u.account_id}",
                       "self": f"{self.base}/rest/api/2/user?accountId={u.account_id}"},
        }
        if self.cloud:
            out["accountId"] = u.account_id
        else:
            out["name"] = u.name
            out["key"] = u.name
        return out

    # -- small pieces ----------------------------------------------------------------------
    def status(self, name: str) -> dict[str, Any]:
        st = self.w.statuses[name]
        cat = {"new": ("2", "new", "To Do", "blue-gray"), "indeterminate": ("4", "indeterminate", "In Progress", "yellow"),
               "done": ("3", "done", "Done", "green")}[st.category]
        return {"self": f"{self.base}/rest/api/2/status/{st.id}", "id": st.id, "name": st.name,
                "description": "", "statusCategory": {"id": int(cat[0]), "key": cat[1], "name": cat[2], "colorName": cat[3]}}

    def request_type(self, rt_id: str) -> dict[str, Any]:
        rt = self.w.request_types[rt_id]
        return {"id": rt.id, "name": rt.name, "description": rt.description, "helpText": rt.help_text,
                "issueTypeId": rt.issue_type_id, "serviceDeskId": rt.service_desk_id, "groupIds": rt.group_ids,
                "_links": {"self": f"{self.base}/rest/servicedeskapi/servicedesk/1/requesttype/{rt.id}"}}

    def org(self, org_id: int) -> dict[str, Any]:
        o = self.w.organizations[org_id]
        return {"id": str(o.id), "name": o.name, "created": date_dto(o.created),
                "_links": {"self": f"{self.base}/rest/servicedeskapi/organization/{o.id}"}}

    def issue_ref(self, i: Issue) -> dict[str, Any]:
        return {"id": i.id, "key": i.key, "self": f"{self.base}/rest/api/2/issue/{i.id}",
                "fields": {"summary": i.summary, "status": self.status(i.status),
                           "priority": self.priority(i.priority),
                           "issuetype": self.issuetype(i)}}

    def priority(self, name: str) -> dict[str, Any]:
        pid = self.w.priorities.get(name, "3")
        return {"self": f"{self.base}/rest/api/2/priority/{pid}", "id": pid, "name": name}

    def issuetype(self, i: Issue) -> dict[str, Any]:
        tid = self.w.projects[i.project].issue_types.get(i.issue_type, "0")
        return {"self": f"{self.base}/rest/api/2/issuetype/{tid}", "id": tid, "name": i.issue_type,
                "subtask": False, "hierarchyLevel": 1 if i.issue_type == "Epic" else 0}

    def content_url(self, a: Attachment, version: str = "2") -> str:
        """Where an attachment downloads: Cloud's REST content route, Data Center's /secure path."""
        if self.cloud:
            return f"{self.base}/rest/api/{version}/attachment/content/{a.id}"
        return f"{self.base}/secure/attachment/{a.id}/{quote(a.filename)}"

    def attachment(self, a: Attachment, version: str = "2") -> dict[str, Any]:
        return {"self": f"{self.base}/rest/api/{version}/attachment/{a.id}", "id": a.id, "filename": a.filename,
                "author": self.user(self.w.users.get(a.author), version), "created": jira_time(a.created),
                "size": len(a.content), "mimeType": a.mime_type, "content": self.content_url(a, version)}

    def changelog(self, i: Issue, version: str = "2") -> list[dict[str, Any]]:
        """The issue's histories, oldest first, as Jira's Changelog objects."""
        return [{"id": h.id, "author": self.user(self.w.users.get(h.author), version), "created": jira_time(h.created),
                 "items": [_drop_none({"field": c.field, "fieldId": c.field_id, "fieldtype": c.fieldtype,
                                       "from": c.from_id, "fromString": c.from_string, "to": c.to_id,
                                       "toString": c.to_string}) for c in h.items]}
                for h in i.history]

    # -- SLA -------------------------------------------------------------------------------
    def sla_cycle(self, c: SlaCycle) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        if c.stopped_at is not None:
            done = {"startTime": date_dto(c.start), "stopTime": date_dto(c.stopped_at),
                    "breachTime": date_dto(c.breach_at or c.stopped_at), "breached": c.breached,
                    "goalDuration": duration_dto(c.goal), "elapsedTime": duration_dto(c.elapsed),
                    "remainingTime": duration_dto(c.remaining)}
            return None, [done]
        ongoing: dict[str, Any] = {
            "startTime": date_dto(c.start), "breached": c.breached, "paused": c.paused,
            "withinCalendarHours": True, "goalDuration": duration_dto(c.goal),
            "elapsedTime": duration_dto(c.elapsed), "remainingTime": duration_dto(c.remaining),
        }
        if c.breach_at is not None:
            ongoing["breachTime"] = date_dto(c.breach_at)
        return ongoing, []

    def sla_info(self, i: Issue, which: str, now: datetime) -> dict[str, Any] | None:
        cycle = sla_cycle(self.w, i, which, now)
        if cycle is None:
            return None
        sla_id, name = ("1", "Time to first response") if which == "ttfr" else ("2", "Time to resolution")
        ongoing, completed = self.sla_cycle(cycle)
        out: dict[str, Any] = {"id": sla_id, "name": name, "completedCycles": completed,
                               "_links": {"self": f"{self.base}/rest/servicedeskapi/request/{i.id}/sla/{sla_id}"},
                               "slaDisplayFormat": "NEW_SLA_FORMAT"}
        if ongoing is not None:
            out["ongoingCycle"] = ongoing
        return out

    # -- comments --------------------------------------------------------------------------
    def body(self, text: str, version: str) -> Any:
        if version == "3":
            return {"type": "doc", "version": 1, "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": line}]} if line else {"type": "paragraph"}
                for line in text.split("\n")]}
        return text

    def comment(self, i: Issue, c: Comment, version: str, properties: bool = False) -> dict[str, Any]:
        """A platform comment; its entity properties only when asked (`expand=properties`)."""
        author = self.user(self.w.users.get(c.author), version)
        out = {"self": f"{self.base}/rest/api/{version}/issue/{i.id}/comment/{c.id}", "id": c.id,
               "author": author, "updateAuthor": author, "body": self.body(c.body, version),
               "created": jira_time(c.created), "updated": jira_time(c.created), "jsdPublic": c.public}
        if properties:
            out["properties"] = [{"key": k, "value": v} for k, v in c.properties.items()]
        return out

    def sd_comment(self, c: Comment) -> dict[str, Any]:
        u = self.w.users.get(c.author)
        out: dict[str, Any] = {"id": c.id, "body": c.body, "public": c.public, "created": date_dto(c.created),
                               "_links": {"self": f"{self.base}/rest/servicedeskapi/request/comment/{c.id}"}}
        if u:
            out["author"] = self.sd_user(u)
        return out

    # -- issues ----------------------------------------------------------------------------
    def links(self, i: Issue) -> list[dict[str, Any]]:
        out = []
        types = {t["name"]: t for t in self.w.link_types}
        for lk in self.w.links_of(i.key):
            t = dict(types.get(lk.type_name, {"id": "0", "name": lk.type_name, "inward": lk.type_name, "outward": lk.type_name}))
            entry: dict[str, Any] = {"id": lk.id, "self": f"{self.base}/rest/api/2/issueLink/{lk.id}", "type": t}
            other_key = lk.inward_key if lk.outward_key == i.key else lk.outward_key
            other = self.w.issues.get(other_key)
            if other is None:
                continue
            entry["inwardIssue" if lk.outward_key == i.key else "outwardIssue"] = self.issue_ref(other)
            out.append(entry)
        return out

    def issue(self, i: Issue, fields: set[str] | None, version: str, now: datetime,
              properties: list[str] | None = None) -> dict[str, Any]:
        """The issue; `fields` None means every field."""
        def want(f: str) -> bool:
            return fields is None or f in fields

        w = self.w
        f: dict[str, Any] = {}
        simple: dict[str, Callable[[], Any]] = {
            "summary": lambda: i.summary,
            "description": lambda: self.body(i.description, version) if i.description else None,
            "status": lambda: self.status(i.status),
            "priority": lambda: self.priority(i.priority),
            "assignee": lambda: self.user(w.users.get(i.assignee or ""), version),
            "reporter": lambda: self.user(w.users.get(i.reporter or ""), version),
            "created": lambda: jira_time(i.created),
            "updated": lambda: jira_time(i.updated),
            "labels": lambda: list(i.labels),
            "components": lambda: [{"self": f"{self.base}/rest/api/2/component/{w.projects[i.project].components.get(c, 0)}",
                                    "id": str(w.projects[i.project].components.get(c, 0)), "name": c} for c in i.components],
            "issuetype": lambda: self.issuetype(i),
            "project": lambda: {"self": f"{self.base}/rest/api/2/project/{w.projects[i.project].id}",
                                "id": w.projects[i.project].id, "key": i.project, "name": w.projects[i.project].name},
            "duedate": lambda: i.duedate,
            "resolution": lambda: {"id": RESOLUTIONS.get(i.resolution, "10000"), "name": i.resolution,
                                   "self": f"{self.base}/rest/api/2/resolution/1"} if i.resolution else None,
            "resolutiondate": lambda: jira_time(i.resolution_date) if i.resolution_date else None,
            "issuelinks": lambda: self.links(i),
            "comment": lambda: {"comments": [self.comment(i, c, version) for c in i.comments],
                                "maxResults": len(i.comments), "total": len(i.comments), "startAt": 0},
            "attachment": lambda: [self.attachment(a, version) for a in i.attachments],
            "watches": lambda: {"self": f"{self.base}/rest/api/2/issue/{i.key}/watchers",
                                "watchCount": len(i.watchers), "isWatching": w.me in i.watchers},
            "parent": lambda: self.issue_ref(w.issues[i.parent]) if i.parent and i.parent in w.issues else None,
            CF_EPIC_LINK: lambda: i.parent,
            CF_REQUEST_TYPE: lambda: {"_links": {}, "requestType": self.request_type(i.request_type),
                                      "currentStatus": {"status": i.status, "statusCategory": w.statuses[i.status].category.upper(),
                                                        "statusDate": date_dto(i.status_history[-1][1])}}
            if i.request_type in w.request_types else None,
            CF_ORGANIZATIONS: lambda: [self.org(o) for o in i.organizations if o in w.organizations],
            CF_PARTICIPANTS: lambda: [self.user(w.users[p], version) for p in i.participants if p in w.users],
            CF_CHANNEL: lambda: [{"self": f"{self.base}/rest/api/2/customFieldOption/{CHANNEL_OPTIONS[c]}",
                                  "value": c, "id": CHANNEL_OPTIONS[c]} for c in i.channel] or None,
            CF_NEEDS_CONFIG: lambda: {"self": f"{self.base}/rest/api/2/customFieldOption/{NEEDS_CONFIG_OPTIONS[i.needs_config]}",
                                      "value": i.needs_config, "id": NEEDS_CONFIG_OPTIONS[i.needs_config]} if i.needs_config else None,
            CF_CONFIG_DATE: lambda: i.config_date,
            CF_QA_DATE: lambda: i.qa_date,
            CF_QA_ASSIGNEE: lambda: self.user(w.users.get(i.qa_assignee or ""), version),
        }
        for name, fn in simple.items():
            if want(name):
                f[name] = fn()
        if i.project == w.service_desk_project and w.sla_enabled:
            if want(CF_TTFR):
                f[CF_TTFR] = self.sla_info(i, "ttfr", now)
            if want(CF_TTR):
                f[CF_TTR] = self.sla_info(i, "ttr", now)
        out: dict[str, Any] = {"expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
                               "id": i.id, "self": f"{self.base}/rest/api/{version}/issue/{i.id}", "key": i.key,
                               "fields": f}
        if properties:
            out["properties"] = {k: v for k, v in i.properties.items() if k in properties or "*all" in properties}
        return out


    def editmeta(self, i: Issue) -> dict[str, Any]:
        """The edit screen's fields: the service desk's screen has the channel and needs-configuration options."""
        def meta(fid: str, ops: list[str], allowed: dict[str, str] | None = None) -> dict[str, Any]:
            _, name, kind, stype, items = next(f for f in FIELDS if f[0] == fid)
            schema: dict[str, Any] = {"type": stype, **({"items": items} if items else {})}
            schema["custom" if fid.startswith("customfield_") else "system"] = kind
            out: dict[str, Any] = {"required": fid == "summary", "schema": schema, "name": name, "key": fid,
                                   "operations": ops}
            if allowed is not None:
                out["allowedValues"] = [{"self": f"{self.base}/rest/api/2/customFieldOption/{oid}", "value": v, "id": oid,
                                         "disabled": False} for v, oid in allowed.items()]
            return out

        fields = {"summary": meta("summary", ["set"]), "description": meta("description", ["set"]),
                  "labels": meta("labels", ["add", "set", "remove"]), "priority": meta("priority", ["set"])}
        if i.project == self.w.service_desk_project:
            fields[CF_CHANNEL] = meta(CF_CHANNEL, ["add", "set", "remove"], CHANNEL_OPTIONS)
            fields[CF_NEEDS_CONFIG] = meta(CF_NEEDS_CONFIG, ["set"], NEEDS_CONFIG_OPTIONS)
        return fields


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    """Empty sides of a change are left out (the spec types them as strings; Jira may send null)."""
    return {k: v for k, v in d.items() if v is not None}


def parse_user_ref(world: World, value: Any) -> str | None:
    """An account id from {"accountId": ...} / {"name": ...} / {"id": ...}, or None to clear."""
    if value is None:
        return None
    if isinstance(value, str):
        u = world.user(value)
        return u.account_id if u else "__unknown__"
    if isinstance(value, dict):
        ident = value.get("accountId") or value.get("name") or value.get("id") or value.get("key")
        if ident is None:
            return None
        u = world.user(str(ident))
        return u.account_id if u else "__unknown__"
    return "__unknown__"
