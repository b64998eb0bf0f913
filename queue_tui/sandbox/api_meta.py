"""Platform reads about the site rather than its tickets: server info, me, fields, users,
link types, permissions, projects, components and priorities.

`serverInfo` answers without credentials, as Jira does. User search follows Cloud (`query`,
account ids) or Data Center (`username`) by the world's mode; assignable search with an
`issueKey` or `project` lists only people who can be assigned (staff).
"""

from __future__ import annotations

from typing import Any

from queue_tui.sandbox.errors import ApiError, int_param, not_found
from queue_tui.sandbox.render import FIELDS, jira_time
from queue_tui.sandbox.routing import PLATFORM, Family, Request, Route, route


class MetaRoutes(Family):
    def routes(self) -> list[Route]:
        v = PLATFORM
        return [
            route("GET", v + r"/serverInfo", self.server_info, anonymous=True),
            route("GET", v + r"/myself", self.myself),
            route("GET", v + r"/field", self.fields),
            route("GET", v + r"/user/search", self.user_search),
            route("GET", v + r"/user/assignable/search", self.assignable_search),
            route("GET", v + r"/issueLinkType", self.link_types),
            route("GET", v + r"/mypermissions", self.my_permissions),
            route("GET", v + r"/priority", self.priorities),
            route("GET", v + r"/project/(?P<key>[^/]+)", self.project),
            route("GET", v + r"/project/(?P<key>[^/]+)/components", self.components),
        ]

    def server_info(self, req: Request) -> tuple[int, Any]:
        cloud = self.w.mode == "cloud"
        return 200, {"baseUrl": self.r.base, "displayUrl": self.r.base,
                     "version": "1001.0.0-SNAPSHOT" if cloud else "9.12.4",
                     "versionNumbers": [1001, 0, 0] if cloud else [9, 12, 4],
                     "deploymentType": "Cloud" if cloud else "Server",
                     "buildNumber": 100283, "buildDate": "2026-11-01T00:00:00.000+0000",
                     "serverTime": jira_time(self.now), "scmInfo": "5a0e5f1", "serverTitle": "EverBright Support"}

    def myself(self, req: Request) -> tuple[int, Any]:
        return 200, self.r.user(self.w.users[self.w.me], req.version)

    def fields(self, req: Request) -> tuple[int, Any]:
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

    def _users(self, req: Request, staff_only: bool) -> tuple[int, Any]:
        q = req.query
        term = (q.get("query") or q.get("username") or "").lower()
        hits = [u for u in self.w.users.values() if u.active and (
            term in u.display_name.lower() or term in u.email.lower() or term in u.name.lower())]
        if staff_only:
            hits = [u for u in hits if u.staff]
        start = int_param(q.get("startAt"), 0, "startAt")
        limit = int_param(q.get("maxResults"), 50, "maxResults")
        return 200, [self.r.user(u, req.version) for u in hits[start:start + limit]]

    def user_search(self, req: Request) -> tuple[int, Any]:
        q = req.query
        if not (q.get("query") or q.get("username") or q.get("accountId")):
            raise ApiError(400, ["The query parameter 'query' is not present."] if self.w.mode == "cloud"
                           else ["The username query parameter was not provided"])
        if q.get("accountId"):
            u = self.w.user(q["accountId"])
            return 200, [self.r.user(u, req.version)] if u else []
        return self._users(req, staff_only=False)

    def assignable_search(self, req: Request) -> tuple[int, Any]:
        q = req.query
        if not any(q.get(k) for k in ("issueKey", "issueId", "project")):
            raise ApiError(400, ["One of the following parameters must be provided: issueKey, issueId, project."])
        key = q.get("issueKey") or q.get("issueId")
        if key and self.w.issue(key) is None:
            raise not_found()
        if q.get("project") and q["project"].upper() not in self.w.projects and not any(
                p.id == q["project"] for p in self.w.projects.values()):
            raise not_found(f"No project could be found with key '{q['project']}'.")
        return self._users(req, staff_only=True)

    def link_types(self, req: Request) -> tuple[int, Any]:
        return 200, {"issueLinkTypes": [dict(t, self=f"{self.r.base}/rest/api/{req.version}/issueLinkType/{t['id']}")
                                        for t in self.w.link_types]}

    def my_permissions(self, req: Request) -> tuple[int, Any]:
        wanted = [p for p in (req.query.get("permissions") or "").split(",") if p]
        if not wanted:
            raise ApiError(400, ["The permissions query parameter is required."])
        return 200, {"permissions": {p: {"id": str(n), "key": p, "name": p.replace("_", " ").title(), "type": "PROJECT",
                                         "description": p, "havePermission": self.w.permissions.get(p, False)}
                                     for n, p in enumerate(wanted)}}

    def priorities(self, req: Request) -> tuple[int, Any]:
        return 200, [self.r.priority(name) | {"description": name, "statusColor": "#cccccc",
                                              "iconUrl": f"{self.r.base}/images/icons/priorities/{pid}.svg"}
                     for name, pid in self.w.priorities.items()]

    def project(self, req: Request, key: str) -> tuple[int, Any]:
        p = self.w.projects.get(key.upper()) or next((p for p in self.w.projects.values() if p.id == key), None)
        if p is None:
            raise not_found(f"No project could be found with key '{key}'.")
        return 200, {"self": f"{self.r.base}/rest/api/{req.version}/project/{p.id}", "id": p.id, "key": p.key,
                     "name": p.name, "projectTypeKey": p.type_key,
                     "issueTypes": [{"id": tid, "name": n, "subtask": False} for n, tid in p.issue_types.items()],
                     "components": [{"id": str(cid), "name": n} for n, cid in p.components.items()]}

    def components(self, req: Request, key: str) -> tuple[int, Any]:
        p = self.w.projects.get(key.upper())
        if p is None:
            raise not_found(f"No project could be found with key '{key}'.")
        return 200, [{"self": f"{self.r.base}/rest/api/{req.version}/component/{cid}", "id": str(cid), "name": n,
                      "projectId": int(p.id), "project": p.key, "assigneeType": "PROJECT_DEFAULT",
                      "isAssigneeTypeValid": True} for n, cid in p.components.items()]
