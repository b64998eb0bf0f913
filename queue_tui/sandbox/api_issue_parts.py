"""Platform routes for the parts of an issue: watchers, comments and issue links.

A comment may be created with `properties` (entity properties, e.g. a claim marker) and read
with `expand=properties`; `sd.public.comment` {"internal": true} makes it internal, as in JSM.

Repeated writes behave as Jira's: adding a watcher who already watches is a no-op (204);
a second identical link is not stored twice but still answers 201 and still adds its
comment, as the platform spec says; every comment POST adds a comment.
"""

from __future__ import annotations

from typing import Any

from queue_tui.sandbox.api_properties import check_value
from queue_tui.sandbox.errors import ApiError, int_param, not_found, plain_text, split_param
from queue_tui.sandbox.routing import PLATFORM, Family, Request, Route, route


class IssuePartRoutes(Family):
    def routes(self) -> list[Route]:
        v = PLATFORM + r"/issue/(?P<key>[^/]+)"
        return [
            route("GET", v + r"/watchers", self.get_watchers),
            route("POST", v + r"/watchers", self.add_watcher),
            route("DELETE", v + r"/watchers", self.remove_watcher),
            route("GET", v + r"/comment", self.get_comments),
            route("POST", v + r"/comment", self.add_comment),
            route("GET", v + r"/comment/(?P<cid>\d+)", self.get_comment),
            route("POST", PLATFORM + r"/issueLink", self.create_link),
        ]

    def get_watchers(self, req: Request, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        return 200, {"self": f"{self.r.base}/rest/api/{req.version}/issue/{i.key}/watchers",
                     "isWatching": self.w.me in i.watchers, "watchCount": len(i.watchers),
                     "watchers": [self.r.user(self.w.users[u], req.version) for u in i.watchers]}

    def add_watcher(self, req: Request, key: str) -> tuple[int, Any]:
        self.need("MANAGE_WATCHERS")
        i = self.issue_or_404(key)
        body = req.body
        ident = body if isinstance(body, str) else (self.w.me if body is None else None)
        u = self.w.user(ident) if ident else None
        if u is None:
            raise ApiError(400, ["The user does not exist."] if ident else ["The request body must be a JSON string."])
        if u.account_id not in i.watchers:
            i.watchers.append(u.account_id)
        self.w.write_log.append(("POST", "watcher", i.key))
        return 204, None

    def remove_watcher(self, req: Request, key: str) -> tuple[int, Any]:
        self.need("MANAGE_WATCHERS")
        i = self.issue_or_404(key)
        ident = req.query.get("accountId") or req.query.get("username")
        u = self.w.user(ident) if ident else None
        if u is None:
            raise ApiError(400, ["The user does not exist."])
        if u.account_id in i.watchers:
            i.watchers.remove(u.account_id)
        self.w.write_log.append(("DELETE", "watcher", i.key))
        return 204, None

    @staticmethod
    def _with_properties(req: Request) -> bool:
        return "properties" in (split_param(req.multi.get("expand")) or [])

    def get_comments(self, req: Request, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        start = int_param(req.query.get("startAt"), 0, "startAt")
        limit = int_param(req.query.get("maxResults"), 100, "maxResults")
        comments = sorted(i.comments, key=lambda c: c.created, reverse=req.query.get("orderBy", "") == "-created")
        props = self._with_properties(req)
        return 200, {"comments": [self.r.comment(i, c, req.version, props) for c in comments[start:start + limit]],
                     "startAt": start, "maxResults": limit, "total": len(i.comments)}

    def get_comment(self, req: Request, key: str, cid: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        c = next((c for c in i.comments if c.id == cid), None)
        if c is None:
            raise not_found(f"Can not find a comment for the id: {cid}.")
        return 200, self.r.comment(i, c, req.version, self._with_properties(req))

    def add_comment(self, req: Request, key: str) -> tuple[int, Any]:
        self.need("ADD_COMMENTS")
        i = self.issue_or_404(key)
        body = req.body
        if not isinstance(body, dict) or "body" not in body:
            raise ApiError(400, [], {"comment": "Comment body can not be empty!"})
        text = plain_text(body["body"])
        if not text.strip():
            raise ApiError(400, [], {"comment": "Comment body can not be empty!"})
        props = body.get("properties") or []
        if not isinstance(props, list) or any(not isinstance(p, dict) or not isinstance(p.get("key"), str)
                                              or not p["key"] or "value" not in p for p in props):
            raise ApiError(400, ["Comment properties must be a list of {\"key\": ..., \"value\": ...}."])
        for p in props:
            check_value(p["value"])
        internal = any(p["key"] == "sd.public.comment" and isinstance(p["value"], dict) and p["value"].get("internal")
                       for p in props)
        c = self.w.add_comment(i, self.w.me, text, not internal, self.now)
        c.properties.update({p["key"]: p["value"] for p in props})
        self.w.write_log.append(("POST", "comment", i.key))
        return 201, self.r.comment(i, c, req.version, self._with_properties(req))

    def create_link(self, req: Request) -> tuple[int, Any]:
        self.need("LINK_ISSUES")
        body = req.body
        if not isinstance(body, dict):
            raise ApiError(400, ["Can not deserialize the request body."])
        tname = ((body.get("type") or {}).get("name") or "")
        tid = str((body.get("type") or {}).get("id") or "")
        ltype = next((t for t in self.w.link_types if t["name"].lower() == tname.lower() or t["id"] == tid), None)
        if ltype is None:
            raise ApiError(404, [f"No issue link type with name '{tname}' found."])

        def ref(side: str) -> str:
            part = body.get(side) or {}
            return str(part.get("key") or part.get("id") or "") if isinstance(part, dict) else ""

        inward = self.w.issue(ref("inwardIssue"))
        outward = self.w.issue(ref("outwardIssue"))
        if inward is None or outward is None:
            raise not_found()
        self.w.add_link(ltype["name"], outward.key, inward.key)
        comment = body.get("comment")
        if isinstance(comment, dict) and comment.get("body"):
            self.w.add_comment(inward, self.w.me, plain_text(comment["body"]), False, self.now)
        self.w.write_log.append(("POST", "issueLink", f"{outward.key}->{inward.key}"))
        return 201, None
