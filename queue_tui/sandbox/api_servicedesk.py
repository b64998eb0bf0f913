"""Service desk routes (`/rest/servicedeskapi`): desks, queues, request types, organizations and
their members, customers, customer requests, their SLAs, attachments, comments and participants.

Pages carry start, limit, size and isLastPage (no total). Errors take the JSM spec's
`ErrorResponse` shape (see `errors.py`). Operations the JSM spec marks `x-experimental`
are flagged `experimental=True` and answer 412 without `X-ExperimentalApi: opt-in`.
Adding a participant who already participates is a no-op, as in JSM; every comment POST
adds a comment.
"""

from __future__ import annotations

from typing import Any

from queue_tui.sandbox import history
from queue_tui.sandbox.errors import ApiError, int_param, not_found, split_param
from queue_tui.sandbox.render_sd import customer_request, sd_attachment
from queue_tui.sandbox.routing import SERVICEDESK, Family, Request, Route, route
from queue_tui.sandbox.state import CF_TTFR, CF_TTR, Issue, Queue


class ServiceDeskRoutes(Family):
    def routes(self) -> list[Route]:
        sd = SERVICEDESK
        d = sd + r"/servicedesk/(?P<sd>\d+)"
        r = sd + r"/request/(?P<key>[^/]+)"
        return [
            route("GET", sd + r"/servicedesk", self.service_desks),
            route("GET", d + r"/queue", self.queues),
            route("GET", d + r"/queue/(?P<qid>\d+)", self.queue),
            route("GET", d + r"/queue/(?P<qid>\d+)/issue", self.queue_issues),
            route("GET", d + r"/requesttype", self.request_types),
            route("GET", sd + r"/requesttype", self.request_types, experimental=True),
            route("GET", d + r"/organization", self.organizations),
            route("GET", sd + r"/organization", self.organizations),
            route("GET", sd + r"/organization/(?P<oid>\d+)", self.organization),
            route("GET", sd + r"/organization/(?P<oid>\d+)/user", self.organization_users),
            route("GET", d + r"/customer", self.customers, experimental=True),
            route("GET", r, self.get_request),
            route("GET", r + r"/sla", self.get_sla),
            route("GET", r + r"/attachment", self.attachments),
            route("GET", r + r"/comment", self.comments),
            route("POST", r + r"/comment", self.add_comment),
            route("GET", r + r"/participant", self.participants),
            route("POST", r + r"/participant", self.add_participants),
            route("DELETE", r + r"/participant", self.remove_participants),
        ]

    def _desk_json(self) -> dict[str, Any]:
        p = self.w.projects[self.w.service_desk_project]
        return {"id": self.w.service_desk_id, "projectId": p.id, "projectKey": p.key, "projectName": p.name,
                "_links": {"self": f"{self.r.base}/rest/servicedeskapi/servicedesk/{self.w.service_desk_id}"}}

    def service_desks(self, req: Request) -> tuple[int, Any]:
        return 200, self.page([self._desk_json()], req.query, "/rest/servicedeskapi/servicedesk")

    def _desk(self, sd: str) -> None:
        if sd != self.w.service_desk_id:
            raise not_found(f"Service desk {sd} does not exist.")

    def _queue_json(self, queue: Queue, count: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"id": queue.id, "name": queue.name, "jql": queue.jql, "fields": queue.fields,
                               "_links": {"self": f"{self.r.base}/rest/servicedeskapi/servicedesk/1/queue/{queue.id}"}}
        if count:
            out["issueCount"] = len(self.run_jql(queue.jql))
        return out

    def queues(self, req: Request, sd: str) -> tuple[int, Any]:
        self._desk(sd)
        count = req.query.get("includeCount", "false").lower() == "true"
        return 200, self.page([self._queue_json(x, count) for x in self.w.queues], req.query,
                              f"/rest/servicedeskapi/servicedesk/{sd}/queue")

    def _queue_or_404(self, qid: str) -> Queue:
        hit = next((x for x in self.w.queues if x.id == qid), None)
        if hit is None:
            raise not_found(f"Queue {qid} does not exist.")
        return hit

    def queue(self, req: Request, sd: str, qid: str) -> tuple[int, Any]:
        self._desk(sd)
        return 200, self._queue_json(self._queue_or_404(qid), req.query.get("includeCount", "false").lower() == "true")

    def queue_issues(self, req: Request, sd: str, qid: str) -> tuple[int, Any]:
        self._desk(sd)
        queue = self._queue_or_404(qid)
        now = self.now
        fields = set(queue.fields) | {CF_TTFR, CF_TTR}
        hits = self.run_jql(queue.jql)
        start = int_param(req.query.get("start"), 0, "start")
        limit = min(int_param(req.query.get("limit"), 50, "limit"), 50)
        # Render only the page asked for; the rest of the list is placeholders for paging maths.
        vals: list[Any] = list(hits)
        for n in range(start, min(start + limit, len(hits))):
            rendered = self.r.issue(hits[n], fields, "2", now)
            rendered.pop("expand", None)
            vals[n] = rendered
        return 200, self.page(vals, req.query, f"/rest/servicedeskapi/servicedesk/{sd}/queue/{qid}/issue")

    def request_types(self, req: Request, sd: str | None = None) -> tuple[int, Any]:
        if sd is not None:
            self._desk(sd)
        vals = [self.r.request_type(rid) for rid in self.w.request_types]
        path = f"/rest/servicedeskapi/servicedesk/{sd}/requesttype" if sd else "/rest/servicedeskapi/requesttype"
        return 200, self.page(vals, req.query, path, max_limit=100)

    def organizations(self, req: Request, sd: str | None = None) -> tuple[int, Any]:
        if sd is not None:
            self._desk(sd)
        vals = [self.r.org(o) for o in sorted(self.w.organizations)]
        path = f"/rest/servicedeskapi/servicedesk/{sd}/organization" if sd else "/rest/servicedeskapi/organization"
        return 200, self.page(vals, req.query, path)

    def _org_or_404(self, oid: str) -> int:
        if int(oid) not in self.w.organizations:
            raise not_found(f"Organization {oid} does not exist.")
        return int(oid)

    def organization(self, req: Request, oid: str) -> tuple[int, Any]:
        return 200, self.r.org(self._org_or_404(oid))

    def organization_users(self, req: Request, oid: str) -> tuple[int, Any]:
        members = self.w.org_members.get(self._org_or_404(oid), [])
        return 200, self.page([self.r.sd_user(self.w.users[u]) for u in members if u in self.w.users], req.query,
                              f"/rest/servicedeskapi/organization/{oid}/user")

    def customers(self, req: Request, sd: str) -> tuple[int, Any]:
        """The desk's customers (everyone who is not staff, the "Anonymous" account too), by `query`."""
        self._desk(sd)
        term = (req.query.get("query") or "").lower()
        hits = [u for u in self.w.users.values() if not u.staff and not u.app and u.active and (
            term in u.display_name.lower() or term in u.email.lower() or term in u.name.lower())]
        return 200, self.page([self.r.sd_user(u) for u in hits], req.query,
                              f"/rest/servicedeskapi/servicedesk/{sd}/customer")

    def _sd_issue(self, key: str) -> Issue:
        i = self.w.issue(key)
        if i is None or i.project != self.w.service_desk_project:
            raise not_found("The request could not be found, or you do not have permission to see it.")
        return i

    def get_request(self, req: Request, key: str) -> tuple[int, Any]:
        expand = set(split_param(req.multi.get("expand")) or [])
        return 200, customer_request(self.r, self._sd_issue(key), self.now, expand)

    def attachments(self, req: Request, key: str) -> tuple[int, Any]:
        i = self._sd_issue(key)
        return 200, self.page([sd_attachment(self.r, i, a) for a in i.attachments], req.query,
                              f"/rest/servicedeskapi/request/{i.key}/attachment", max_limit=100)

    def get_sla(self, req: Request, key: str) -> tuple[int, Any]:
        i = self._sd_issue(key)
        now = self.now
        vals = [x for x in (self.r.sla_info(i, "ttfr", now), self.r.sla_info(i, "ttr", now)) if x]
        return 200, self.page(vals, req.query, f"/rest/servicedeskapi/request/{i.key}/sla")

    def comments(self, req: Request, key: str) -> tuple[int, Any]:
        i = self._sd_issue(key)
        want_public = req.query.get("public", "true").lower() != "false"
        want_internal = req.query.get("internal", "true").lower() != "false"
        vals = [self.r.sd_comment(c) for c in i.comments
                if (c.public and want_public) or (not c.public and want_internal)]
        return 200, self.page(vals, req.query, f"/rest/servicedeskapi/request/{i.key}/comment", max_limit=100)

    def add_comment(self, req: Request, key: str) -> tuple[int, Any]:
        self.need("ADD_COMMENTS")
        i = self._sd_issue(key)
        body = req.body
        if not isinstance(body, dict) or not str(body.get("body") or "").strip():
            raise ApiError(400, ["The comment body is required."])
        public = body.get("public", True)
        if not isinstance(public, bool):
            raise ApiError(400, ["'public' must be true or false."])
        c = self.w.add_comment(i, self.w.me, str(body["body"]), public, self.now)
        self.w.write_log.append(("POST", "sd-comment", i.key))
        return 201, self.r.sd_comment(c)

    def participants(self, req: Request, key: str) -> tuple[int, Any]:
        i = self._sd_issue(key)
        return 200, self.page([self.r.sd_user(self.w.users[u]) for u in i.participants], req.query,
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

    def add_participants(self, req: Request, key: str) -> tuple[int, Any]:
        self.need("EDIT_ISSUES")
        i = self._sd_issue(key)
        before = history.snapshot(self.w, i)
        for uid in self._participant_ids(req.body):
            if uid not in i.participants:
                i.participants.append(uid)
        history.record(self.w, before, i, self.w.me, self.now)
        self.w.write_log.append(("POST", "participant", i.key))
        return self.participants(Request("GET", req.path), key)

    def remove_participants(self, req: Request, key: str) -> tuple[int, Any]:
        self.need("EDIT_ISSUES")
        i = self._sd_issue(key)
        before = history.snapshot(self.w, i)
        for uid in self._participant_ids(req.body):
            if uid in i.participants:
                i.participants.remove(uid)
        history.record(self.w, before, i, self.w.me, self.now)
        self.w.write_log.append(("DELETE", "participant", i.key))
        return self.participants(Request("GET", req.path), key)
