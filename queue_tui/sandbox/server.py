"""The simulator's HTTP server: Jira Cloud / Data Center REST on loopback.

`Sandbox` runs a threaded stdlib HTTP server in-process (tests, `--demo`) or in the foreground
(`queue-tui sandbox`). Routes answer with Jira's paths, paging, errors and auth; `/__sim__/...`
is the simulator's own control surface (faults, clock, request counts, team actions).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from queue_tui.sandbox import jql as jqlmod
from queue_tui.sandbox.faults import Faults
from queue_tui.sandbox.render import (
    CHANNEL_OPTIONS,
    FIELDS,
    NAVIGABLE,
    NEEDS_CONFIG_OPTIONS,
    PRIORITIES,
    RESOLUTIONS,
    Renderer,
    date_dto,
    parse_user_ref,
)
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
    Issue,
    World,
)


class ApiError(Exception):
    def __init__(self, status: int, messages: list[str] | None = None, errors: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, messages, errors)
        self.status = status
        self.body = {"errorMessages": messages or [], "errors": errors or {}}
        self.headers = headers or {}


def _not_found(what: str = "Issue does not exist or you do not have permission to see it.") -> ApiError:
    return ApiError(404, [what])


TRANSITION_NAMES = {
    "Waiting for support": "Back to support", "Waiting for customer": "Respond to customer",
    "In Progress": "Start progress", "Pending": "Pending", "Resolved": "Resolve this issue", "Closed": "Close",
    "To Do": "Back to To Do", "On Hold": "Put on hold", "QA": "Ready for QA", "UAT": "Ready for UAT",
    "Done": "Done", "Backlog": "Backlog", "Selected for Development": "Select for development",
}

Handler = Callable[..., tuple[int, Any]]


class Api:
    """Route table and handlers; each returns (status, json body or None)."""

    def __init__(self, world: World, renderer: Renderer, faults: Faults) -> None:
        self.w = world
        self.r = renderer
        self.faults = faults
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        v = r"/rest/api/(?P<v>[23])"
        sd = r"/rest/servicedeskapi"
        add = self._add
        add("GET", v + r"/serverInfo", self.server_info)
        add("GET", v + r"/myself", self.myself)
        add("GET", v + r"/field", self.fields)
        add("GET", v + r"/user/search", self.user_search)
        add("GET", v + r"/user/assignable/search", self.user_search)
        add("GET", v + r"/issueLinkType", self.link_types)
        add("GET", v + r"/mypermissions", self.my_permissions)
        add("GET", v + r"/project/(?P<key>[^/]+)", self.project)
        add("GET", v + r"/project/(?P<key>[^/]+)/components", self.components)
        add("GET", v + r"/search/jql", self.search_jql)
        add("POST", v + r"/search/jql", self.search_jql)
        add("GET", v + r"/search", self.search_legacy)
        add("POST", v + r"/search", self.search_legacy)
        add("POST", v + r"/issue", self.create_issue)
        add("GET", v + r"/issue/(?P<key>[^/]+)", self.get_issue)
        add("PUT", v + r"/issue/(?P<key>[^/]+)", self.edit_issue)
        add("PUT", v + r"/issue/(?P<key>[^/]+)/assignee", self.assign)
        add("GET", v + r"/issue/(?P<key>[^/]+)/transitions", self.get_transitions)
        add("POST", v + r"/issue/(?P<key>[^/]+)/transitions", self.do_transition)
        add("GET", v + r"/issue/(?P<key>[^/]+)/watchers", self.get_watchers)
        add("POST", v + r"/issue/(?P<key>[^/]+)/watchers", self.add_watcher)
        add("DELETE", v + r"/issue/(?P<key>[^/]+)/watchers", self.remove_watcher)
        add("GET", v + r"/issue/(?P<key>[^/]+)/comment", self.get_comments)
        add("POST", v + r"/issue/(?P<key>[^/]+)/comment", self.add_comment)
        add("GET", v + r"/issue/(?P<key>[^/]+)/properties", self.property_keys)
        add("GET", v + r"/issue/(?P<key>[^/]+)/properties/(?P<prop>[^/]+)", self.get_property)
        add("PUT", v + r"/issue/(?P<key>[^/]+)/properties/(?P<prop>[^/]+)", self.put_property)
        add("POST", v + r"/issueLink", self.create_link)
        add("GET", sd + r"/servicedesk", self.service_desks)
        add("GET", sd + r"/servicedesk/(?P<sd>\d+)/queue", self.queues)
        add("GET", sd + r"/servicedesk/(?P<sd>\d+)/queue/(?P<qid>\d+)", self.queue)
        add("GET", sd + r"/servicedesk/(?P<sd>\d+)/queue/(?P<qid>\d+)/issue", self.queue_issues)
        add("GET", sd + r"/servicedesk/(?P<sd>\d+)/requesttype", self.request_types)
        add("GET", sd + r"/requesttype", self.request_types)
        add("GET", sd + r"/servicedesk/(?P<sd>\d+)/organization", self.organizations)
        add("GET", sd + r"/organization", self.organizations)
        add("GET", sd + r"/request/(?P<key>[^/]+)", self.get_request)
        add("GET", sd + r"/request/(?P<key>[^/]+)/sla", self.get_sla)
        add("GET", sd + r"/request/(?P<key>[^/]+)/comment", self.sd_comments)
        add("POST", sd + r"/request/(?P<key>[^/]+)/comment", self.sd_add_comment)
        add("GET", sd + r"/request/(?P<key>[^/]+)/participant", self.participants)
        add("POST", sd + r"/request/(?P<key>[^/]+)/participant", self.add_participants)
        add("DELETE", sd + r"/request/(?P<key>[^/]+)/participant", self.remove_participants)

    def _add(self, method: str, pattern: str, fn: Handler) -> None:
        self.routes.append((method, re.compile(pattern + r"/?$"), fn))

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        path_hit = False
        for m, rx, fn in self.routes:
            hit = rx.match(path)
            if hit:
                path_hit = True
                if m == method:
                    return fn, hit.groupdict()
        if path_hit:
            raise ApiError(405, [f"Method {method} is not allowed here."])
        return None

    # -- helpers ---------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return self.w.clock.now()

    def issue_or_404(self, key: str) -> Issue:
        i = self.w.issue(key)
        if i is None:
            raise _not_found()
        return i

    def need(self, perm: str) -> None:
        if not self.w.permissions.get(perm, False):
            raise ApiError(403, [f"You do not have the permission {perm} for this operation."])

    def page(self, values: list[Any], q: dict[str, str], base_path: str, default_limit: int = 50,
             max_limit: int = 50) -> dict[str, Any]:
        start = _int(q.get("start"), 0, "start")
        limit = min(_int(q.get("limit"), default_limit, "limit"), max_limit)
        chunk = values[start:start + limit]
        last = start + limit >= len(values)
        links: dict[str, Any] = {"base": f"{self.r.base}/rest/servicedeskapi", "context": "",
                                 "self": f"{self.r.base}{base_path}?start={start}&limit={limit}"}
        if not last:
            links["next"] = f"{self.r.base}{base_path}?start={start + limit}&limit={limit}"
        if start > 0:
            links["prev"] = f"{self.r.base}{base_path}?start={max(0, start - limit)}&limit={limit}"
        return {"_expands": [], "size": len(chunk), "start": start, "limit": limit, "isLastPage": last,
                "values": chunk, "_links": links}

    # -- platform reads --------------------------------------------------------------------
    def server_info(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        cloud = self.w.mode == "cloud"
        return 200, {"baseUrl": self.r.base, "displayUrl": self.r.base, "version": "1001.0.0-SNAPSHOT" if cloud else "9.12.4",
                     "versionNumbers": [1001, 0, 0] if cloud else [9, 12, 4], "deploymentType": "Cloud" if cloud else "Server",
                     "buildNumber": 100283, "buildDate": "2026-11-01T00:00:00.000+0000",
                     "serverTime": self.r_time(), "scmInfo": "5a0e5f1", "serverTitle": "EverBright Support"}

    def r_time(self) -> str:
        from queue_tui.sandbox.render import jira_time

        return jira_time(self.now)

    def myself(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        return 200, self.r.user(self.w.users[self.w.me], v)

    def fields(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        out = []
        for fid, name, kind, stype, items in FIELDS:
            custom = fid.startswith("customfield_")
            schema: dict[str, Any] = {"type": stype}
            if items:
                schema["items"] = items
            if custom:
                schema["custom"] = kind
                schema["customId"] = int(fid.split("_")[1])
            else:
                schema["system"] = kind
            clause = [f"cf[{fid.split('_')[1]}]", name] if custom else [fid]
            out.append({"id": fid, "key": fid, "name": name, "custom": custom, "orderable": True, "navigable": True,
                        "searchable": True, "clauseNames": clause, "schema": schema})
        return 200, out

    def user_search(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        term = (q.get("query") or q.get("username") or "").lower()
        if not term and "issueKey" not in q:
            raise ApiError(400, ["The query parameter 'query' is not present."] if self.w.mode == "cloud"
                           else ["The username query parameter was not provided"])
        hits = [u for u in self.w.users.values() if u.active and (
            term in u.display_name.lower() or term in u.email.lower() or term in u.name.lower())]
        if "issueKey" in q:
            hits = [u for u in hits if u.staff]
        start = _int(q.get("startAt"), 0, "startAt")
        limit = _int(q.get("maxResults"), 50, "maxResults")
        return 200, [self.r.user(u, v) for u in hits[start:start + limit]]

    def link_types(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        return 200, {"issueLinkTypes": [dict(t, self=f"{self.r.base}/rest/api/{v}/issueLinkType/{t['id']}")
                                        for t in self.w.link_types]}

    def my_permissions(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        wanted = [p for p in (q.get("permissions") or "").split(",") if p]
        if not wanted:
            raise ApiError(400, ["The permissions query parameter is required."])
        return 200, {"permissions": {p: {"id": str(n), "key": p, "name": p.replace("_", " ").title(), "type": "PROJECT",
                                         "description": p, "havePermission": self.w.permissions.get(p, False)}
                                     for n, p in enumerate(wanted)}}

    def project(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        p = self.w.projects.get(key.upper()) or next((p for p in self.w.projects.values() if p.id == key), None)
        if p is None:
            raise _not_found(f"No project could be found with key '{key}'.")
        return 200, {"self": f"{self.r.base}/rest/api/{v}/project/{p.id}", "id": p.id, "key": p.key, "name": p.name,
                     "projectTypeKey": p.type_key,
                     "issueTypes": [{"id": tid, "name": n, "subtask": False} for n, tid in p.issue_types.items()],
                     "components": [{"id": str(cid), "name": n} for n, cid in p.components.items()]}

    def components(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        p = self.w.projects.get(key.upper())
        if p is None:
            raise _not_found(f"No project could be found with key '{key}'.")
        return 200, [{"self": f"{self.r.base}/rest/api/{v}/component/{cid}", "id": str(cid), "name": n,
                      "projectId": int(p.id), "project": p.key, "assigneeType": "PROJECT_DEFAULT",
                      "isAssigneeTypeValid": True} for n, cid in p.components.items()]

    # -- search ----------------------------------------------------------------------------
    def _fields_param(self, raw: Any, default: str) -> set[str] | None:
        if raw is None or raw == "" or raw == []:
            raw = default
        parts: list[str] = []
        for item in (raw if isinstance(raw, list) else [raw]):
            parts += [p.strip() for p in str(item).split(",") if p.strip()]
        if "*all" in parts:
            return None
        out: set[str] = set()
        for p in parts:
            if p == "*navigable":
                out |= NAVIGABLE | {CF_TTFR, CF_TTR}
            elif p.startswith("-"):
                out.discard(p[1:])
            else:
                out.add(p)
        return out

    def _run_jql(self, jql: str) -> list[Issue]:
        try:
            return jqlmod.search(self.w, jql, self.w.me)
        except jqlmod.JqlError as exc:
            raise ApiError(400, [str(exc)]) from exc

    def search_jql(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        args = dict(q)
        if isinstance(body, dict):
            args.update({k: val for k, val in body.items() if val is not None})
        jql = str(args.get("jql") or "")
        if not jql.strip() or jql.strip().lower().startswith("order by"):
            raise ApiError(400, ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."])
        fields = self._fields_param(args.get("fields"), "id")
        id_only = fields is not None and fields <= {"id", "key"}
        max_results = _int(args.get("maxResults"), 50, "maxResults")
        max_results = max(1, min(max_results, 5000 if id_only else 100))
        offset = 0
        token = args.get("nextPageToken")
        if token:
            try:
                offset = int(base64.urlsafe_b64decode(str(token).encode()).decode().split(":")[1])
            except (ValueError, IndexError) as exc:
                raise ApiError(400, ["The provided next page token is invalid or expired."]) from exc
        hits = self._run_jql(jql)
        chunk = hits[offset:offset + max_results]
        now = self.now
        props = _split(args.get("properties"))
        issues = [self.r.issue(i, fields, v, now, props) if not id_only else {"id": i.id, "key": i.key} | (
            {"fields": {}} if fields and "key" not in fields else {}) for i in chunk]
        if id_only:
            issues = [{"id": i.id} | ({"key": i.key} if fields and "key" in fields else {}) for i in chunk]
        out: dict[str, Any] = {"issues": issues, "isLast": offset + max_results >= len(hits)}
        if not out["isLast"]:
            out["nextPageToken"] = base64.urlsafe_b64encode(f"o:{offset + max_results}".encode()).decode()
        return 200, out

    def search_legacy(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        if self.w.mode == "cloud":
            raise ApiError(410, ["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
                                 "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"])
        args = dict(q)
        if isinstance(body, dict):
            args.update({k: val for k, val in body.items() if val is not None})
        start = _int(args.get("startAt"), 0, "startAt")
        max_results = max(0, min(_int(args.get("maxResults"), 50, "maxResults"), 1000))
        fields = self._fields_param(args.get("fields"), "*navigable")
        hits = self._run_jql(str(args.get("jql") or ""))
        now = self.now
        return 200, {"expand": "schema,names", "startAt": start, "maxResults": max_results, "total": len(hits),
                     "issues": [self.r.issue(i, fields, v, now) for i in hits[start:start + max_results]]}

    # -- issues ----------------------------------------------------------------------------
    def get_issue(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        return 200, self.r.issue(i, self._fields_param(q.get("fields"), "*all"), v, self.now, _split(q.get("properties")))

    def create_issue(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        self.need("CREATE_ISSUES")
        f = _fields_of(body)
        errors: dict[str, str] = {}
        pref = f.get("project") or {}
        project = None
        if isinstance(pref, dict):
            project = self.w.projects.get(str(pref.get("key", "")).upper()) or next(
                (p for p in self.w.projects.values() if p.id == str(pref.get("id"))), None)
        if project is None:
            errors["project"] = "valid project is required"
        it = f.get("issuetype") or {}
        itype = None
        if project and isinstance(it, dict):
            itype = next((n for n, tid in project.issue_types.items()
                          if n.lower() == str(it.get("name", "")).lower() or tid == str(it.get("id"))), None)
        if itype is None:
            errors["issuetype"] = "The issue type selected is invalid."
        if not str(f.get("summary") or "").strip():
            errors["summary"] = "You must specify a summary of the issue."
        if errors:
            raise ApiError(400, [], errors)
        assert project is not None and itype is not None
        now = self.now
        issue = Issue(self.w.next_id(), self.w.next_key(project.key), project.key, itype, str(f["summary"]), "",
                      project.statuses[0], "Medium", self.w.me, None, now, now)
        rest = {k: val for k, val in f.items() if k not in ("project", "issuetype", "summary")}
        self._apply_fields(issue, rest, allow_create_only=True)
        self.w.add_issue(issue)
        self.w.write_log.append(("POST", "issue", issue.key))
        return 201, {"id": issue.id, "key": issue.key, "self": f"{self.r.base}/rest/api/{v}/issue/{issue.id}"}

    def edit_issue(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        self.need("EDIT_ISSUES")
        i = self.issue_or_404(key)
        if not isinstance(body, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        fields = body.get("fields") or {}
        update = body.get("update") or {}
        if not isinstance(fields, dict) or not isinstance(update, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        # Validate on a copy first: Jira applies an edit whole or not at all.
        import copy

        trial = copy.deepcopy(i)
        self._apply_fields(trial, fields)
        self._apply_update(trial, update)
        self._apply_fields(i, fields)
        self._apply_update(i, update)
        i.updated = self.now
        self.w.write_log.append(("PUT", "issue", i.key))
        if fields.get(CF_NEEDS_CONFIG) is not None:
            self._needs_config_automation(i)
        return 204, None

    def _apply_update(self, i: Issue, update: dict[str, Any]) -> None:
        errors: dict[str, str] = {}
        for fid, ops in update.items():
            if not isinstance(ops, list):
                errors[fid] = "Operation value must be a list."
                continue
            for op in ops:
                if not isinstance(op, dict) or len(op) != 1:
                    errors[fid] = "Each operation must be an object with one verb."
                    continue
                verb, val = next(iter(op.items()))
                if fid == "labels":
                    if verb == "add" and val not in i.labels:
                        i.labels.append(str(val))
                    elif verb == "remove" and val in i.labels:
                        i.labels.remove(val)
                    elif verb == "set":
                        i.labels = [str(x) for x in val]
                elif fid == "components":
                    name = val.get("name") if isinstance(val, dict) else None
                    if verb == "add" and name and name not in i.components:
                        i.components.append(name)
                    elif verb == "remove" and name in i.components:
                        i.components.remove(name)
                elif fid == CF_PARTICIPANTS:
                    uid = parse_user_ref(self.w, val)
                    if uid == "__unknown__" or uid is None:
                        errors[fid] = "User does not exist."
                    elif verb == "add" and uid not in i.participants:
                        i.participants.append(uid)
                    elif verb == "remove" and uid in i.participants:
                        i.participants.remove(uid)
                else:
                    self._apply_fields(i, {fid: val} if verb == "set" else {})
        if errors:
            raise ApiError(400, [], errors)

    def _apply_fields(self, i: Issue, f: dict[str, Any], allow_create_only: bool = False) -> None:
        w = self.w
        errors: dict[str, str] = {}
        for fid, val in f.items():
            try:
                if fid == "summary":
                    if not str(val or "").strip():
                        raise ValueError("You must specify a summary of the issue.")
                    i.summary = str(val)
                elif fid == "description":
                    i.description = _plain_text(val)
                elif fid == "labels":
                    if not isinstance(val, list) or any(not isinstance(x, str) or " " in x for x in val):
                        raise ValueError("Labels must be a list of strings without spaces.")
                    i.labels = list(val)
                elif fid == "priority":
                    name = val.get("name") if isinstance(val, dict) else None
                    pid = val.get("id") if isinstance(val, dict) else None
                    name = name or next((n for n, p in PRIORITIES.items() if p == str(pid)), None)
                    if name not in PRIORITIES:
                        raise ValueError("Specify the Priority (name or id) in the right format")
                    i.priority = name
                elif fid in ("assignee", "reporter", CF_QA_ASSIGNEE):
                    uid = parse_user_ref(w, val)
                    if uid == "__unknown__":
                        raise ValueError(f"User '{val}' does not exist.")
                    if fid == "reporter" and uid is None:
                        raise ValueError("Reporter is required.")
                    setattr(i, {"assignee": "assignee", "reporter": "reporter", CF_QA_ASSIGNEE: "qa_assignee"}[fid], uid)
                elif fid == "components":
                    comps = w.projects[i.project].components
                    names = []
                    for c in val or []:
                        name = c.get("name") if isinstance(c, dict) else None
                        if name is None and isinstance(c, dict):
                            name = next((n for n, cid in comps.items() if str(cid) == str(c.get("id"))), None)
                        if name not in comps:
                            raise ValueError(f"Component name '{c.get('name') if isinstance(c, dict) else c}' is not valid")
                        names.append(name)
                    i.components = names
                elif fid == "duedate" or fid == CF_CONFIG_DATE:
                    if val is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(val)):
                        raise ValueError("Invalid date format. Please enter the date in the format \"yyyy-MM-dd\".")
                    if fid == "duedate":
                        i.duedate = val
                    else:
                        i.config_date = val
                elif fid == CF_QA_DATE:
                    if val is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?([+-]\d{4}|Z)", str(val)):
                        raise ValueError("Invalid date format. Please enter the date in the format \"yyyy-MM-dd'T'HH:mm:ss.SSSZ\".")
                    i.qa_date = val
                elif fid == CF_REQUEST_TYPE:
                    rid = str(val) if val is not None else None
                    if rid and "/" in rid:
                        slug = rid.split("/", 1)[1]
                        rid = next((rt.id for rt in w.request_types.values()
                                    if rt.name.lower().replace(" ", "-") == slug.lower()), None)
                    if rid not in w.request_types:
                        raise ValueError("Invalid request type.")
                    i.request_type = rid
                elif fid == CF_ORGANIZATIONS:
                    if not isinstance(val, list) or any(not isinstance(x, int) or x not in w.organizations for x in val):
                        raise ValueError("Organizations must be a list of existing organization ids.")
                    i.organizations = list(val)
                elif fid == CF_PARTICIPANTS:
                    uids = [parse_user_ref(w, x) for x in (val or [])]
                    if any(u in (None, "__unknown__") for u in uids):
                        raise ValueError("User does not exist.")
                    i.participants = [u for u in uids if u]
                elif fid == CF_CHANNEL:
                    vals = []
                    for opt in val or []:
                        name = opt.get("value") if isinstance(opt, dict) else None
                        name = name or next((n for n, oid in CHANNEL_OPTIONS.items()
                                             if isinstance(opt, dict) and oid == str(opt.get("id"))), None)
                        if name not in CHANNEL_OPTIONS:
                            raise ValueError(f"Option value '{opt}' is not valid")
                        vals.append(name)
                    i.channel = vals
                elif fid == CF_NEEDS_CONFIG:
                    name = val.get("value") if isinstance(val, dict) else None
                    if val is not None and name not in NEEDS_CONFIG_OPTIONS:
                        raise ValueError(f"Option value '{val}' is not valid")
                    i.needs_config = name
                elif fid in ("parent", CF_EPIC_LINK):
                    pkey = val.get("key") if isinstance(val, dict) else val
                    if pkey is not None and (str(pkey).upper() not in w.issues or w.issues[str(pkey).upper()].issue_type != "Epic"):
                        raise ValueError(f"Could not find epic '{pkey}'.")
                    i.parent = str(pkey).upper() if pkey else None
                elif fid in ("status", "resolution", "created", "updated", "issuelinks", "watches", CF_TTFR, CF_TTR):
                    raise ValueError(f"Field '{fid}' cannot be set. It is not on the appropriate screen, or unknown.")
                else:
                    raise ValueError(f"Field '{fid}' cannot be set. It is not on the appropriate screen, or unknown.")
            except ValueError as exc:
                errors[fid] = str(exc)
        if errors:
            raise ApiError(400, [], errors)

    def _needs_config_automation(self, i: Issue) -> None:
        """JSM automation: 'Needs Configuration?' creates a linked CS ticket (High for priority installers)."""
        if not self.w.needs_config_automation or i.needs_config is None:
            return
        if any(self.w.issues[k].project == "CS" for lk in self.w.links_of(i.key)
               for k in (lk.inward_key, lk.outward_key) if k != i.key and k in self.w.issues):
            return
        itype = {"Integrated Finance": "Int Fin", "Configured Finance": "Config Finance", "Document": "Doc",
                 "Onboarding": "Onboarding"}.get(i.needs_config, "Task")
        now = self.now
        high = any(o in self.w.priority_installers for o in i.organizations)
        cs = Issue(self.w.next_id(), self.w.next_key("CS"), "CS", itype, i.summary, i.description, "To Do",
                   "High" if high else "Medium", i.reporter, None, now, now,
                   components=[self.w.organizations[o].name for o in i.organizations
                               if self.w.organizations[o].name in self.w.projects["CS"].components][:1] or ["other"])
        self.w.add_issue(cs)
        self.w.add_link("Relates", i.key, cs.key)

    def assign(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        self.need("ASSIGN_ISSUES")
        i = self.issue_or_404(key)
        if not isinstance(body, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        ident = body.get("accountId") if self.w.mode == "cloud" else body.get("name")
        if self.w.mode == "cloud" and "name" in body and "accountId" not in body:
            raise ApiError(400, ["The query parameter 'accountId' is required; usernames are not accepted on Cloud."])
        if ident is None:
            i.assignee = None
        else:
            u = self.w.user(str(ident))
            if u is None or not u.staff:
                raise ApiError(400, [], {"assignee": f"User '{ident}' cannot be assigned issues."})
            i.assignee = u.account_id
        i.updated = self.now
        self.w.write_log.append(("PUT", "assignee", i.key))
        return 204, None

    def _transitions(self, i: Issue) -> list[dict[str, Any]]:
        proj = self.w.projects[i.project]
        out = []
        for st in proj.statuses:
            if st == i.status:
                continue
            sid = self.w.statuses[st].id
            out.append({"id": str(int(sid) + 100), "name": TRANSITION_NAMES.get(st, st), "to": self.r.status(st),
                        "hasScreen": False, "isGlobal": True, "isInitial": False, "isAvailable": True,
                        "isConditional": False, "isLooped": False, "fields": {}})
        return out

    def get_transitions(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        return 200, {"expand": "transitions", "transitions": self._transitions(i)}

    def do_transition(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        self.need("TRANSITION_ISSUES")
        i = self.issue_or_404(key)
        tid = str(((body or {}).get("transition") or {}).get("id", ""))
        hit = next((t for t in self._transitions(i) if t["id"] == tid), None)
        if hit is None:
            raise ApiError(400, ["It seems that you have tried to perform a workflow operation (transition) that is not valid "
                                 "for the current state of this issue."])
        res = (((body or {}).get("fields") or {}).get("resolution") or {})
        res_name = res.get("name") if isinstance(res, dict) else None
        if res_name and res_name not in RESOLUTIONS:
            raise ApiError(400, [], {"resolution": f"Resolution '{res_name}' does not exist."})
        self.w.set_status(i, hit["to"]["name"], self.now)
        if res_name and i.resolution:
            i.resolution = res_name
        self.w.write_log.append(("POST", "transition", i.key))
        return 204, None

    def get_watchers(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        return 200, {"self": f"{self.r.base}/rest/api/{v}/issue/{i.key}/watchers", "isWatching": self.w.me in i.watchers,
                     "watchCount": len(i.watchers), "watchers": [self.r.user(self.w.users[u], v) for u in i.watchers]}

    def add_watcher(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        self.need("MANAGE_WATCHERS")
        i = self.issue_or_404(key)
        ident = body if isinstance(body, str) else (self.w.me if body is None else None)
        u = self.w.user(ident) if ident else None
        if u is None:
            raise ApiError(400, ["The user does not exist."] if ident else ["The request body must be a JSON string."])
        if u.account_id not in i.watchers:
            i.watchers.append(u.account_id)
        self.w.write_log.append(("POST", "watcher", i.key))
        return 204, None

    def remove_watcher(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        self.need("MANAGE_WATCHERS")
        i = self.issue_or_404(key)
        ident = q.get("accountId") or q.get("username")
        u = self.w.user(ident) if ident else None
        if u is None:
            raise ApiError(400, ["The user does not exist."])
        if u.account_id in i.watchers:
            i.watchers.remove(u.account_id)
        self.w.write_log.append(("DELETE", "watcher", i.key))
        return 204, None

    def get_comments(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        start = _int(q.get("startAt"), 0, "startAt")
        limit = _int(q.get("maxResults"), 100, "maxResults")
        return 200, {"comments": [self.r.comment(i, c, v) for c in i.comments[start:start + limit]],
                     "startAt": start, "maxResults": limit, "total": len(i.comments)}

    def add_comment(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        self.need("ADD_COMMENTS")
        i = self.issue_or_404(key)
        if not isinstance(body, dict) or "body" not in body:
            raise ApiError(400, [], {"comment": "Comment body can not be empty!"})
        text = _plain_text(body["body"])
        if not text.strip():
            raise ApiError(400, [], {"comment": "Comment body can not be empty!"})
        internal = any(p.get("key") == "sd.public.comment" and (p.get("value") or {}).get("internal")
                       for p in body.get("properties") or [] if isinstance(p, dict))
        c = self.w.add_comment(i, self.w.me, text, not internal, self.now)
        self.w.write_log.append(("POST", "comment", i.key))
        return 201, self.r.comment(i, c, v)

    def property_keys(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        return 200, {"keys": [{"key": k, "self": f"{self.r.base}/rest/api/{v}/issue/{i.id}/properties/{k}"}
                              for k in i.properties]}

    def get_property(self, v: str, q: dict[str, str], body: Any, key: str, prop: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        if prop not in i.properties:
            raise _not_found(f"The property with key '{prop}' does not exist.")
        return 200, {"key": prop, "value": i.properties[prop]}

    def put_property(self, v: str, q: dict[str, str], body: Any, key: str, prop: str) -> tuple[int, Any]:
        self.need("EDIT_ISSUES")
        i = self.issue_or_404(key)
        if body is None:
            raise ApiError(400, ["The property value must be valid JSON."])
        if len(json.dumps(body)) > 32768:
            raise ApiError(400, ["The property value is too long: at most 32768 characters."])
        existed = prop in i.properties
        i.properties[prop] = body
        self.w.write_log.append(("PUT", "property", i.key))
        return (200 if existed else 201), None

    def create_link(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        self.need("LINK_ISSUES")
        if not isinstance(body, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        tname = ((body.get("type") or {}).get("name") or "")
        tid = str((body.get("type") or {}).get("id") or "")
        ltype = next((t for t in self.w.link_types if t["name"].lower() == tname.lower() or t["id"] == tid), None)
        if ltype is None:
            raise ApiError(404, [f"No issue link type with name '{tname}' found."])
        inward = self.w.issue(str((body.get("inwardIssue") or {}).get("key") or (body.get("inwardIssue") or {}).get("id") or ""))
        outward = self.w.issue(str((body.get("outwardIssue") or {}).get("key") or (body.get("outwardIssue") or {}).get("id") or ""))
        if inward is None or outward is None:
            raise _not_found("Issue does not exist or you do not have permission to see it.")
        self.w.add_link(ltype["name"], outward.key, inward.key)
        comment = body.get("comment")
        if isinstance(comment, dict) and comment.get("body"):
            self.w.add_comment(inward, self.w.me, _plain_text(comment["body"]), False, self.now)
        self.w.write_log.append(("POST", "issueLink", f"{outward.key}->{inward.key}"))
        return 201, None

    # -- service desk ----------------------------------------------------------------------
    def service_desks(self, v: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        p = self.w.projects[self.w.service_desk_project]
        desk = {"id": self.w.service_desk_id, "projectId": p.id, "projectKey": p.key, "projectName": p.name,
                "_links": {"self": f"{self.r.base}/rest/servicedeskapi/servicedesk/{self.w.service_desk_id}"}}
        return 200, self.page([desk], q, "/rest/servicedeskapi/servicedesk")

    def _desk(self, sd: str) -> None:
        if sd != self.w.service_desk_id:
            raise _not_found(f"Service desk {sd} does not exist.")

    def _queue_json(self, queue: Any, count: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"id": queue.id, "name": queue.name, "jql": queue.jql, "fields": queue.fields,
                               "_links": {"self": f"{self.r.base}/rest/servicedeskapi/servicedesk/1/queue/{queue.id}"}}
        if count:
            out["issueCount"] = len(self._run_jql(queue.jql))
        return out

    def queues(self, v: str, q: dict[str, str], body: Any, sd: str) -> tuple[int, Any]:
        self._desk(sd)
        count = q.get("includeCount", "false").lower() == "true"
        return 200, self.page([self._queue_json(x, count) for x in self.w.queues], q,
                              f"/rest/servicedeskapi/servicedesk/{sd}/queue")

    def _queue_or_404(self, qid: str) -> Any:
        hit = next((x for x in self.w.queues if x.id == qid), None)
        if hit is None:
            raise _not_found(f"Queue {qid} does not exist.")
        return hit

    def queue(self, v: str, q: dict[str, str], body: Any, sd: str, qid: str) -> tuple[int, Any]:
        self._desk(sd)
        return 200, self._queue_json(self._queue_or_404(qid), q.get("includeCount", "false").lower() == "true")

    def queue_issues(self, v: str, q: dict[str, str], body: Any, sd: str, qid: str) -> tuple[int, Any]:
        self._desk(sd)
        queue = self._queue_or_404(qid)
        now = self.now
        fields = set(queue.fields) | {CF_TTFR, CF_TTR}
        hits = self._run_jql(queue.jql)
        start = _int(q.get("start"), 0, "start")
        limit = min(_int(q.get("limit"), 50, "limit"), 50)
        # Render only the page asked for; the rest of the list is placeholders for paging maths.
        vals: list[Any] = list(hits)
        for n in range(start, min(start + limit, len(hits))):
            rendered = self.r.issue(hits[n], fields, "2", now)
            rendered.pop("expand", None)
            vals[n] = rendered
        return 200, self.page(vals, q, f"/rest/servicedeskapi/servicedesk/{sd}/queue/{qid}/issue")

    def request_types(self, v: str, q: dict[str, str], body: Any, sd: str | None = None) -> tuple[int, Any]:
        if sd is not None:
            self._desk(sd)
        vals = [self.r.request_type(rid) for rid in self.w.request_types]
        path = f"/rest/servicedeskapi/servicedesk/{sd}/requesttype" if sd else "/rest/servicedeskapi/requesttype"
        return 200, self.page(vals, q, path, max_limit=100)

    def organizations(self, v: str, q: dict[str, str], body: Any, sd: str | None = None) -> tuple[int, Any]:
        if sd is not None:
            self._desk(sd)
        vals = [self.r.org(o) for o in sorted(self.w.organizations)]
        path = f"/rest/servicedeskapi/servicedesk/{sd}/organization" if sd else "/rest/servicedeskapi/organization"
        return 200, self.page(vals, q, path)

    def _sd_issue(self, key: str) -> Issue:
        i = self.issue_or_404(key)
        if i.project != self.w.service_desk_project:
            raise _not_found("This issue is not a customer request.")
        return i

    def get_request(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        return 200, self.r.customer_request(self._sd_issue(key), self.now)

    def get_sla(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        i = self._sd_issue(key)
        now = self.now
        vals = [x for x in (self.r.sla_info(i, "ttfr", now), self.r.sla_info(i, "ttr", now)) if x]
        return 200, self.page(vals, q, f"/rest/servicedeskapi/request/{i.key}/sla")

    def sd_comments(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        i = self._sd_issue(key)
        want_public = q.get("public", "true").lower() != "false"
        want_internal = q.get("internal", "true").lower() != "false"
        vals = [self.r.sd_comment(c) for c in i.comments if (c.public and want_public) or (not c.public and want_internal)]
        return 200, self.page(vals, q, f"/rest/servicedeskapi/request/{i.key}/comment", max_limit=100)

    def sd_add_comment(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        self.need("ADD_COMMENTS")
        i = self._sd_issue(key)
        if not isinstance(body, dict) or not str(body.get("body") or "").strip():
            raise ApiError(400, ["The comment body is required."])
        public = body.get("public", True)
        if not isinstance(public, bool):
            raise ApiError(400, ["'public' must be true or false."])
        c = self.w.add_comment(i, self.w.me, str(body["body"]), public, self.now)
        self.w.write_log.append(("POST", "sd-comment", i.key))
        return 201, self.r.sd_comment(c)

    def participants(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        i = self._sd_issue(key)
        return 200, self.page([self.r.sd_user(self.w.users[u]) for u in i.participants], q,
                              f"/rest/servicedeskapi/request/{i.key}/participant")

    def _participant_ids(self, body: Any) -> list[str]:
        if not isinstance(body, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        idents = body.get("accountIds") or body.get("usernames") or []
        out = []
        for ident in idents:
            u = self.w.user(str(ident))
            if u is None:
                raise ApiError(400, [f"The user '{ident}' does not exist."])
            out.append(u.account_id)
        return out

    def add_participants(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        self.need("EDIT_ISSUES")
        i = self._sd_issue(key)
        for uid in self._participant_ids(body):
            if uid not in i.participants:
                i.participants.append(uid)
        self.w.write_log.append(("POST", "participant", i.key))
        return self.participants(v, {}, None, key)

    def remove_participants(self, v: str, q: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        self.need("EDIT_ISSUES")
        i = self._sd_issue(key)
        for uid in self._participant_ids(body):
            if uid in i.participants:
                i.participants.remove(uid)
        self.w.write_log.append(("DELETE", "participant", i.key))
        return self.participants(v, {}, None, key)


def _int(raw: Any, default: int, name: str) -> int:
    if raw is None or raw == "":
        return default
    try:
        val = int(raw)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, [f"The '{name}' parameter must be a number."]) from exc
    if val < 0:
        raise ApiError(400, [f"The '{name}' parameter must not be negative."])
    return val


def _split(raw: Any) -> list[str] | None:
    if not raw:
        return None
    if isinstance(raw, list):
        return [str(x) for x in raw]
    return [p for p in str(raw).split(",") if p]


def _fields_of(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("fields"), dict):
        raise ApiError(400, ["Can not deserialize the request body: 'fields' is required."])
    return dict(body["fields"])


def _plain_text(val: Any) -> str:
    """Text of a v2 string body or a v3 Atlassian Document Format body."""
    if val is None:
        return ""
    if isinstance(val, str):
        return val
    if isinstance(val, dict):
        if val.get("type") == "text":
            return str(val.get("text", ""))
        parts = [_plain_text(c) for c in val.get("content", []) or []]
        joiner = "\n" if val.get("type") in ("doc",) else ""
        return joiner.join(parts)
    if isinstance(val, list):
        return "".join(_plain_text(x) for x in val)
    raise ApiError(400, ["Comment body is not valid text or document."])


class Credentials:
    def __init__(self, mode: str, email: str = "agent@goeverbright.com", token: str = "sandbox-token",
                 pat: str = "sandbox-pat") -> None:
        self.mode = mode
        self.email = email
        self.token = token
        self.pat = pat

    def ok(self, header: str | None) -> bool:
        if not header:
            return False
        if self.mode == "cloud":
            if not header.startswith("Basic "):
                return False
            try:
                raw = base64.b64decode(header[6:]).decode()
            except (ValueError, UnicodeDecodeError):
                return False
            return raw == f"{self.email}:{self.token}"
        return header == f"Bearer {self.pat}"

    def describe(self) -> str:
        if self.mode == "cloud":
            return f"email={self.email} token={self.token}"
        return f"pat={self.pat}"


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-answer is normal (an app quitting, a timed-out request): not an error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError | OSError):
            return
        super().handle_error(request, client_address)


class Sandbox:
    """A running simulator: `start()` binds 127.0.0.1 (port 0 picks a free one)."""

    def __init__(self, world: World, credentials: Credentials | None = None, port: int = 0,
                 faults: Faults | None = None) -> None:
        self.world = world
        self.credentials = credentials or Credentials(world.mode)
        self.faults = faults or Faults()
        self.requests: Counter[str] = Counter()  # "METHOD path-template" -> count
        self.request_log: list[tuple[str, str]] = []  # (method, path) of /rest requests, in order
        self.exchanges: list[dict[str, Any]] = []  # recorded when record=True, for contract tests
        self.record = False
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.api: Api | None = None
        self.team_actions: dict[str, Callable[[dict[str, Any]], Any]] = {}
        # Canned answers by (method, path): a proxy's HTML error page, a broken body, odd JSON.
        self.canned: dict[tuple[str, str], tuple[int, str, bytes]] = {}

    @property
    def base_url(self) -> str:
        assert self._server is not None, "sandbox not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Sandbox:
        handler = _make_handler(self)
        self._server = _QuietServer(("127.0.0.1", self._port), handler)
        self.api = Api(self.world, Renderer(self.world, self.base_url), self.faults)
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def rest_requests(self) -> int:
        return len(self.request_log)


def _make_handler(sb: Sandbox) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "SandboxJira/1.0"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None, raw: bytes | None = None) -> None:
            data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
            self.send_response(status)
            if data or status not in (204,):
                self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for k, val in (headers or {}).items():
                self.send_header(k, val)
            self.end_headers()
            if data and self.command != "HEAD":
                self.wfile.write(data)

        def _handle(self) -> None:
            url = urlsplit(self.path)
            path = url.path
            q = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            if "fields" in parse_qs(url.query) and len(parse_qs(url.query)["fields"]) > 1:
                q["fields"] = ",".join(parse_qs(url.query)["fields"])
            length = int(self.headers.get("Content-Length") or 0)
            raw_body = self.rfile.read(length) if length else b""
            if path.startswith("/__sim__/"):
                self._control(path, q, raw_body)
                return
            world = sb.world
            now = world.clock.now()
            sb.faults.arrival(now)
            with world.lock:
                sb.request_log.append((self.command, path))
            fault = sb.faults.pick(now) if path.startswith("/rest/") else None
            if fault == "429":
                self._send(429, {"errorMessages": ["Rate limit exceeded."], "errors": {}},
                           {"Retry-After": str(sb.faults.retry_after),
                            "X-RateLimit-Reset": (now + timedelta(seconds=sb.faults.retry_after)).strftime("%Y-%m-%dT%H:%MZ")})
                return
            if fault == "503":
                self._send(503, {"errorMessages": ["Service temporarily unavailable."], "errors": {}})
                return
            canned = sb.canned.get((self.command, path))
            if canned is not None:
                code, ctype, data = canned
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            status, body, headers = self._dispatch(path, q, raw_body)
            if fault == "slow":
                time.sleep(sb.faults.slow_seconds)
            if fault == "drop":
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass
                return
            if fault == "malformed":
                self._send(200, None, raw=b'{"issues": [{"id": "1", "key": ')
                return
            self._send(status, body, headers)

        def _dispatch(self, path: str, q: dict[str, str], raw_body: bytes) -> tuple[int, Any, dict[str, str]]:
            api = sb.api
            assert api is not None
            try:
                anonymous_ok = re.fullmatch(r"/rest/api/[23]/serverInfo/?", path) is not None
                if not anonymous_ok and not sb.credentials.ok(self.headers.get("Authorization")):
                    raise ApiError(401, ["You are not authenticated. Authentication required to perform this operation."])
                hit = api.match(self.command, path)
                if hit is None:
                    raise ApiError(404, ["null for uri: " + path])
                fn, params = hit
                if fn.__name__ in ("get_request", "sd_comments") or (fn.__name__ == "request_types" and "sd" not in params):
                    if self.headers.get("X-ExperimentalApi", "").lower() != "opt-in":
                        raise ApiError(412, ["This API is experimental. Experimental APIs are not guaranteed to be stable "
                                             "within the preview period. You must set the header 'X-ExperimentalApi: opt-in' to opt into using this API."])
                body: Any = None
                if raw_body:
                    try:
                        body = json.loads(raw_body)
                    except ValueError as exc:
                        raise ApiError(400, ["Unexpected character in the request body: not valid JSON."]) from exc
                version = params.pop("v", "2")
                with sb.world.lock:
                    status, out = fn(version, q, body, **params)
                tmpl = _template(path)
                with sb.world.lock:
                    sb.requests[f"{self.command} {tmpl}"] += 1
                    if sb.record:
                        sb.exchanges.append({"method": self.command, "path": path, "query": q, "body": body,
                                             "status": status, "response": out})
                return status, out, {}
            except ApiError as err:
                with sb.world.lock:
                    if sb.record:
                        sb.exchanges.append({"method": self.command, "path": path, "query": q, "body": None,
                                             "status": err.status, "response": err.body})
                return err.status, err.body, err.headers

        def _control(self, path: str, q: dict[str, str], raw_body: bytes) -> None:
            try:
                body = json.loads(raw_body) if raw_body else {}
                if path == "/__sim__/stats":
                    with sb.world.lock:
                        out: Any = {"requests": len(sb.request_log), "by_route": dict(sb.requests),
                                    "faults": dict(sb.faults.injected), "early_requests": sb.faults.early_requests,
                                    "issues": len(sb.world.issues)}
                elif path == "/__sim__/faults":
                    sb.faults.configure(body.get("rates"), body.get("retry_after"), body.get("slow_seconds"))
                    out = {"rates": sb.faults.rates}
                elif path == "/__sim__/clock":
                    clock = sb.world.clock
                    if hasattr(clock, "advance"):
                        clock.advance(float(body.get("advance", 0)))
                    out = {"now": date_dto(clock.now())}
                elif path == "/__sim__/act":
                    action = sb.team_actions.get(str(body.get("action")))
                    if action is None:
                        raise ValueError(f"unknown action {body.get('action')!r}; known: {sorted(sb.team_actions)}")
                    with sb.world.lock:
                        out = action(body)
                else:
                    raise ValueError("unknown control path")
                self._send(200, out)
            except (ValueError, TypeError, KeyError) as exc:
                self._send(400, {"error": str(exc)})

        do_GET = _handle
        do_POST = _handle
        do_PUT = _handle
        do_DELETE = _handle

    return H


_TEMPLATES = [
    (re.compile(r"/issue/[A-Z][A-Z0-9]*-\d+|/issue/\d+"), "/issue/{key}"),
    (re.compile(r"/request/[A-Z][A-Z0-9]*-\d+|/request/\d+"), "/request/{key}"),
    (re.compile(r"/properties/[^/]+$"), "/properties/{prop}"),
    (re.compile(r"/queue/\d+"), "/queue/{id}"),
    (re.compile(r"/project/[^/]+"), "/project/{key}"),
]


def _template(path: str) -> str:
    for rx, rep in _TEMPLATES:
        path = rx.sub(rep, path)
    return path
