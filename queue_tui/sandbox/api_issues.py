"""Platform issue routes: read, create, edit, assign and transition an issue; its changelog.

Edits are validated on a copy and applied whole or not at all, then the team's automation
(`automation.py`) runs on what changed. Assigning is Cloud's `accountId` or Data Center's
`name`; `null` unassigns. Transitions are the project's statuses other than the current one.
Each edit, assignment and transition is recorded in the changelog (`history.py`), readable
with `expand=changelog` or `GET .../changelog`.
"""

from __future__ import annotations

import copy
from typing import Any

from queue_tui.sandbox import automation, history
from queue_tui.sandbox.errors import ApiError, fields_of, int_param, split_param
from queue_tui.sandbox.issue_edit import apply_fields, apply_update
from queue_tui.sandbox.render import RESOLUTIONS
from queue_tui.sandbox.routing import PLATFORM, Family, Request, Route, route
from queue_tui.sandbox.state import Issue

TRANSITION_NAMES = {
    "Waiting for support": "Back to support", "Waiting for customer": "Respond to customer",
    "In Progress": "Start progress", "Pending": "Pending", "Resolved": "Resolve this issue", "Closed": "Close",
    "To Do": "Back to To Do", "On Hold": "Put on hold", "QA": "Ready for QA", "UAT": "Ready for UAT",
    "Done": "Done", "Backlog": "Backlog", "Selected for Development": "Select for development",
}


class IssueRoutes(Family):
    def routes(self) -> list[Route]:
        v = PLATFORM + r"/issue"
        k = r"/(?P<key>[^/]+)"
        return [
            route("POST", v, self.create_issue),
            route("GET", v + k, self.get_issue),
            route("PUT", v + k, self.edit_issue),
            route("PUT", v + k + r"/assignee", self.assign),
            route("GET", v + k + r"/changelog", self.get_changelog),
            route("GET", v + k + r"/editmeta", self.get_editmeta),
            route("GET", v + k + r"/transitions", self.get_transitions),
            route("POST", v + k + r"/transitions", self.do_transition),
        ]

    def get_issue(self, req: Request, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        out = self.r.issue(i, self.fields_param(req.query.get("fields"), "*all"), req.version, self.now,
                           split_param(req.query.get("properties")))
        if "changelog" in (split_param(req.multi.get("expand")) or []):
            histories = self.r.changelog(i, req.version)
            out["changelog"] = {"startAt": 0, "maxResults": len(histories), "total": len(histories),
                                "histories": histories}
        return 200, out

    def get_editmeta(self, req: Request, key: str) -> tuple[int, Any]:
        """The fields of the issue's edit screen, with their operations and allowed values, as Jira sends them."""
        i = self.issue_or_404(key)
        return 200, {"fields": self.r.editmeta(i)}

    def get_changelog(self, req: Request, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        start = int_param(req.query.get("startAt"), 0, "startAt")
        limit = min(int_param(req.query.get("maxResults"), 100, "maxResults"), 100)
        histories = self.r.changelog(i, req.version)
        chunk = histories[start:start + limit]
        return 200, {"self": f"{self.r.base}/rest/api/{req.version}/issue/{i.key}/changelog", "startAt": start,
                     "maxResults": limit, "total": len(histories), "isLast": start + limit >= len(histories),
                     "values": chunk}

    def create_issue(self, req: Request) -> tuple[int, Any]:
        self.need("CREATE_ISSUES")
        f = fields_of(req.body)
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
        apply_fields(self.w, issue, rest)
        self.w.add_issue(issue)
        self.w.write_log.append(("POST", "issue", issue.key))
        automation.after_create(self.w, issue)
        return 201, {"id": issue.id, "key": issue.key, "self": f"{self.r.base}/rest/api/{req.version}/issue/{issue.id}"}

    def edit_issue(self, req: Request, key: str) -> tuple[int, Any]:
        self.need("EDIT_ISSUES")
        i = self.issue_or_404(key)
        body = req.body
        if not isinstance(body, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        fields = body.get("fields") or {}
        update = body.get("update") or {}
        if not isinstance(fields, dict) or not isinstance(update, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        trial = copy.deepcopy(i)
        apply_fields(self.w, trial, fields)
        apply_update(self.w, trial, update)
        before = history.snapshot(self.w, i)
        apply_fields(self.w, i, fields)
        apply_update(self.w, i, update)
        i.updated = self.now
        history.record(self.w, before, i, self.w.me, self.now)
        self.w.write_log.append(("PUT", "issue", i.key))
        automation.after_edit(self.w, i, {k for k, val in fields.items() if val is not None} | set(update))
        return 204, None

    def assign(self, req: Request, key: str) -> tuple[int, Any]:
        self.need("ASSIGN_ISSUES")
        i = self.issue_or_404(key)
        body = req.body
        if not isinstance(body, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        cloud = self.w.mode == "cloud"
        ident = body.get("accountId") if cloud else body.get("name")
        if cloud and "name" in body and "accountId" not in body:
            raise ApiError(400, ["The query parameter 'accountId' is required; usernames are not accepted on Cloud."])
        before = history.snapshot(self.w, i)
        if ident is None:
            i.assignee = None
        else:
            u = self.w.user(str(ident))
            if u is None or not u.staff:
                raise ApiError(400, [], {"assignee": f"User '{ident}' cannot be assigned issues."})
            i.assignee = u.account_id
        i.updated = self.now
        history.record(self.w, before, i, self.w.me, self.now)
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

    def get_transitions(self, req: Request, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        return 200, {"expand": "transitions", "transitions": self._transitions(i)}

    def do_transition(self, req: Request, key: str) -> tuple[int, Any]:
        self.need("TRANSITION_ISSUES")
        i = self.issue_or_404(key)
        body = req.body if isinstance(req.body, dict) else {}
        tid = str((body.get("transition") or {}).get("id", ""))
        hit = next((t for t in self._transitions(i) if t["id"] == tid), None)
        if hit is None:
            raise ApiError(400, ["It seems that you have tried to perform a workflow operation (transition) that is not valid "
                                 "for the current state of this issue."])
        res = ((body.get("fields") or {}).get("resolution") or {})
        res_name = res.get("name") if isinstance(res, dict) else None
        if res_name and res_name not in RESOLUTIONS:
            raise ApiError(400, [], {"resolution": f"Resolution '{res_name}' does not exist."})
        update = body.get("update") or {}
        if not isinstance(update, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        apply_update(self.w, copy.deepcopy(i), update)  # a bad comment refuses the whole transition
        before = history.snapshot(self.w, i)
        self.w.set_status(i, hit["to"]["name"], self.now)
        if res_name and i.resolution:
            i.resolution = res_name
        apply_update(self.w, i, update)
        history.record(self.w, before, i, self.w.me, self.now)
        self.w.write_log.append(("POST", "transition", i.key))
        return 204, None
