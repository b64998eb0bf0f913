"""Issue search: Cloud's `search/jql` (nextPageToken paging) and Data Center's legacy `search`.

`/rest/api/{2,3}/search/jql` takes GET parameters or a POST body; `fields` defaults to `id`
only; there is no `total`; `nextPageToken` says more pages follow (`isLast` too, unless the
`no-islast` fault leaves it out). It is eventually consistent when `World.search_lag` > 0,
and `reconcileIssues` (issue ids) reads those issues as they are now (`search_index.py`).
Cloud answers 410 Gone to the legacy `/search` (CHANGE-2046); Data Center serves it with
`startAt`/`total`, and has no `search/jql` (404). An unbounded JQL (empty, or only ORDER BY) is refused as Jira refuses it.
"""

from __future__ import annotations

import base64
from typing import Any

from queue_tui.sandbox import search_index
from queue_tui.sandbox.errors import ApiError, int_param, split_param
from queue_tui.sandbox.routing import PLATFORM, Family, Request, Route, route
from queue_tui.sandbox.search_index import reconcile_ids


def _args(req: Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(req.query)
    if isinstance(req.body, dict):
        args.update({k: val for k, val in req.body.items() if val is not None})
    return args


class SearchRoutes(Family):
    def routes(self) -> list[Route]:
        v = PLATFORM
        return [
            route("GET", v + r"/search/jql", self.search_jql),
            route("POST", v + r"/search/jql", self.search_jql),
            route("GET", v + r"/search", self.search_legacy),
            route("POST", v + r"/search", self.search_legacy),
        ]

    def search_jql(self, req: Request) -> tuple[int, Any]:
        if self.w.mode != "cloud":  # Data Center has no enhanced search: it keeps /rest/api/2/search
            raise ApiError(404, ["null for uri: " + req.path])
        args = _args(req)
        jql = str(args.get("jql") or "")
        if not jql.strip() or jql.strip().lower().startswith("order by"):
            raise ApiError(400, ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."])
        fields = self.fields_param(args.get("fields"), "id")
        id_only = fields is not None and fields <= {"id", "key"}
        max_results = int_param(args.get("maxResults"), 50, "maxResults")
        max_results = max(1, min(max_results, 5000 if id_only else 100))
        offset = 0
        token = args.get("nextPageToken")
        if token:
            try:
                offset = int(base64.urlsafe_b64decode(str(token).encode()).decode().split(":")[1])
            except (ValueError, IndexError) as exc:
                raise ApiError(400, ["The provided next page token is invalid or expired."]) from exc
        reconcile = reconcile_ids(args.get("reconcileIssues") if isinstance(req.body, dict)
                                  else req.multi.get("reconcileIssues"))
        hits = self.run_jql(jql, search_index.visible(self.w, reconcile))
        chunk = hits[offset:offset + max_results]
        now = self.now
        if id_only:
            issues = [{"id": i.id} | ({"key": i.key} if fields and "key" in fields else {}) for i in chunk]
        else:
            props = split_param(args.get("properties"))
            issues = [self.r.issue(i, fields, req.version, now, props) for i in chunk]
        last = offset + max_results >= len(hits)
        out: dict[str, Any] = {"issues": issues}
        if not self.faults.roll("no-islast"):
            out["isLast"] = last
        if not last:
            out["nextPageToken"] = base64.urlsafe_b64encode(f"o:{offset + max_results}".encode()).decode()
        return 200, out

    def search_legacy(self, req: Request) -> tuple[int, Any]:
        if self.w.mode == "cloud":
            raise ApiError(410, ["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
                                 "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"])
        args = _args(req)
        start = int_param(args.get("startAt"), 0, "startAt")
        max_results = max(0, min(int_param(args.get("maxResults"), 50, "maxResults"), 1000))
        fields = self.fields_param(args.get("fields"), "*navigable")
        hits = self.run_jql(str(args.get("jql") or ""))
        now = self.now
        return 200, {"expand": "schema,names", "startAt": start, "maxResults": max_results, "total": len(hits),
                     "issues": [self.r.issue(i, fields, req.version, now) for i in hits[start:start + max_results]]}
