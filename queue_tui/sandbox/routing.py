"""Routes of the simulator: the request a handler sees, the route table, and the shared helpers.

Each API family (`api_meta`, `api_search`, `api_issues`, `api_issue_parts`, `api_properties`,
`api_attachments`, `api_servicedesk`) is a `Family` that lists its routes; `Router` matches a
method and path to one of them (405 when the path exists with another method). A handler takes
the `Request` and the path's named groups and returns `(status, JSON body)` or `(status, Raw)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from typing import Any

from queue_tui.sandbox import jql as jqlmod
from queue_tui.sandbox.errors import ApiError, int_param, not_found
from queue_tui.sandbox.faults import Faults
from queue_tui.sandbox.render import NAVIGABLE, Renderer
from queue_tui.sandbox.state import CF_TTFR, CF_TTR, Issue, World


@dataclass
class Request:
    """One HTTP request as a handler sees it."""

    method: str
    path: str
    version: str = "2"  # the platform API version in the path, "2" elsewhere
    query: dict[str, str] = field(default_factory=dict)  # last value of each parameter
    multi: dict[str, list[str]] = field(default_factory=dict)  # every value of each parameter
    body: Any = None  # parsed JSON, or None
    raw: bytes = b""
    headers: Message = field(default_factory=Message)

    def header(self, name: str) -> str:
        return str(self.headers.get(name) or "")


@dataclass
class Raw:
    """A non-JSON answer: an attachment's bytes, an HTML page."""

    content_type: str
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[..., tuple[int, Any]]


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    experimental: bool = False  # JSM's `x-experimental`: needs `X-ExperimentalApi: opt-in` or answers 412
    anonymous: bool = False  # answers without credentials, as Jira's serverInfo does


PLATFORM = r"/rest/api/(?P<v>[23])"
SERVICEDESK = r"/rest/servicedeskapi"


def route(method: str, pattern: str, handler: Handler, experimental: bool = False, anonymous: bool = False) -> Route:
    return Route(method, re.compile(pattern + r"/?$"), handler, experimental, anonymous)


class Family:
    """Shared state and helpers of one API family."""

    def __init__(self, world: World, renderer: Renderer, faults: Faults) -> None:
        self.w = world
        self.r = renderer
        self.faults = faults

    def routes(self) -> list[Route]:
        raise NotImplementedError

    @property
    def now(self) -> datetime:
        return self.w.clock.now()

    def issue_or_404(self, key: str) -> Issue:
        i = self.w.issue(key)
        if i is None:
            raise not_found()
        return i

    def need(self, perm: str) -> None:
        if not self.w.permissions.get(perm, False):
            raise ApiError(403, [f"You do not have the permission {perm} for this operation."])

    def page(self, values: list[Any], q: dict[str, str], base_path: str, default_limit: int = 50,
             max_limit: int = 50, expands: list[str] | None = None) -> dict[str, Any]:
        """A servicedeskapi page: start, limit, size, isLastPage, values (no total)."""
        start = int_param(q.get("start"), 0, "start")
        limit = min(int_param(q.get("limit"), default_limit, "limit"), max_limit)
        chunk = values[start:start + limit]
        last = start + limit >= len(values)
        links: dict[str, Any] = {"base": f"{self.r.base}/rest/servicedeskapi", "context": "",
                                 "self": f"{self.r.base}{base_path}?start={start}&limit={limit}"}
        if not last:
            links["next"] = f"{self.r.base}{base_path}?start={start + limit}&limit={limit}"
        if start > 0:
            links["prev"] = f"{self.r.base}{base_path}?start={max(0, start - limit)}&limit={limit}"
        return {"_expands": list(expands or []), "size": len(chunk), "start": start, "limit": limit,
                "isLastPage": last, "values": chunk, "_links": links}

    def run_jql(self, jql: str, issues: list[Issue] | None = None) -> list[Issue]:
        try:
            return jqlmod.search(self.w, jql, self.w.me, issues)
        except jqlmod.JqlError as exc:
            raise ApiError(400, [str(exc)]) from exc

    @staticmethod
    def fields_param(raw: Any, default: str) -> set[str] | None:
        """The `fields` parameter as a set of field ids; None means every field."""
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


class Router:
    """All routes of every family, matched in order."""

    def __init__(self, families: Sequence[Family]) -> None:
        self.routes: list[Route] = [r for fam in families for r in fam.routes()]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        path_hit = False
        for r in self.routes:
            hit = r.pattern.match(path)
            if hit:
                path_hit = True
                if r.method == method:
                    return r, hit.groupdict()
        if path_hit:
            raise ApiError(405, [f"Method {method} is not allowed here."])
        return None
