"""The gateway's reads: desks, tickets, comments, people; the queue poll's own are in `poll_reads`.

Every read is a GET through the transport (retried, rate limited); paged lists are walked to
their end by `paging`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from queue_tui.core.link_types import LinkType
from queue_tui.core.models import Attachment, Comment, Organization, Person, RequestType, Ticket
from queue_tui.service import paging, parse
from queue_tui.service.errors import BadRequestError, NotFoundError, UnavailableError
from queue_tui.service.poll_reads import PAGE, PollReads


class Reads(PollReads):
    """What the gateway reads; `Gateway` sets these attributes."""

    me: Person | None
    written: dict[str, datetime]  # key -> when this app last wrote to it
    _link_types: list[LinkType] | None = None

    @property
    def requests_sent(self) -> int:
        return self.transport.requests_sent

    def written_since(self, since: datetime) -> list[str]:
        """Tickets this app wrote to since `since`, most recent first (older entries are forgotten)."""
        for key in [k for k, at in self.written.items() if at < since]:
            del self.written[key]
        return sorted(self.written, key=self.written.__getitem__, reverse=True)

    async def get(self, path: str, params: dict[str, Any] | None = None, experimental: bool = False) -> Any:
        return await self.transport.request("GET", path, params=params, experimental=experimental)

    async def _paged(self, path: str, params: dict[str, Any] | None = None, limit: int = 50,
                     experimental: bool = False) -> list[Any]:
        return await paging.service_desk_values(self.get, path, params, limit, experimental)

    async def server_info(self) -> dict[str, Any]:
        data = await self.get("/rest/api/2/serverInfo")
        return data if isinstance(data, dict) else {}

    async def service_desks(self) -> list[dict[str, Any]]:
        return [d for d in await self._paged("/rest/servicedeskapi/servicedesk") if isinstance(d, dict)]

    async def search(self, jql: str, fields: list[str], page_size: int = PAGE) -> list[dict[str, Any]]:
        """Every issue matching jql, paged the way the deployment wants."""
        return await paging.search_issues(self.get, self.conn.cloud, jql, fields, page_size)

    async def attachment_list(self, key: str) -> tuple[Attachment, ...]:
        """The files on a ticket now, as Jira lists them."""
        raw = await self.get(f"/rest/api/2/issue/{key}", {"fields": "attachment"})
        return parse.attachments(((raw or {}).get("fields") or {}).get("attachment") if isinstance(raw, dict) else None)

    async def download(self, a: Attachment) -> bytes:
        """An attachment's bytes, from the content URL Jira gave, which must be on this site (the
        credentials go nowhere else). Cloud's content route would redirect to its media service:
        `redirect=false` asks for the bytes themselves, as the API allows."""
        base = self.conn.base_url.rstrip("/")
        if not a.content.startswith(base + "/"):
            raise BadRequestError(f"{a.filename}: Jira gave a download address on another site; not followed")
        path = a.content[len(base):]
        params = {"redirect": "false"} if "/attachment/content/" in path else None

        async def raw(body: bytes) -> bytes:
            return body

        data = await self.transport.request("GET", path, params=params, decode=raw)
        return data if isinstance(data, bytes) else b""

    async def issue(self, key: str, fields: list[str] | None = None) -> Ticket:
        params = {"fields": ",".join(fields)} if fields else None
        raw = await self.get(f"/rest/api/2/issue/{key}", params)
        t = parse.ticket(raw, self.fields, self.clock())
        if t is None:
            raise UnavailableError(f"Jira sent an unreadable issue for {key}")
        return t

    async def ticket_detail(self, key: str) -> Ticket:
        """Everything the detail screen shows: fields, comments (public/internal), watchers."""
        t = await self.issue(key)
        comments = t.comments
        try:
            comments = tuple(await self.request_comments(key))
        except (NotFoundError, BadRequestError):
            pass  # not a customer request: the platform comments already read stand
        watchers = await self.watchers(key)
        return replace(t, comments=comments, watchers=tuple(watchers), detail_loaded=True)

    async def request_comments(self, key: str) -> list[Comment]:
        vals = await self._paged(f"/rest/servicedeskapi/request/{key}/comment", limit=100, experimental=True)
        return [c for c in (parse.comment(v) for v in vals) if c is not None]

    async def comments_for(self, keys: list[str], batch: int = 50) -> dict[str, list[Comment]]:
        """Comments of many issues, a batch of keys per search request (never one request per ticket),
        decoded off the event loop."""
        def item(r: dict[str, Any]) -> tuple[str, list[Comment]]:
            vals = ((r.get("fields") or {}).get("comment") or {}).get("comments") or []
            return str(r.get("key")), [c for c in (parse.comment(v) for v in vals) if c is not None]

        out: dict[str, list[Comment]] = {}
        for n in range(0, len(keys), batch):
            chunk = keys[n:n + batch]
            out.update(await self._search_parsed(f"key in ({', '.join(chunk)})", ["comment"], item, page_size=batch))
        return out

    async def comments(self, key: str) -> list[Comment]:
        data = await self.get(f"/rest/api/2/issue/{key}/comment", {"maxResults": 100})
        vals = data.get("comments") if isinstance(data, dict) else []
        return [c for c in (parse.comment(v) for v in vals or []) if c is not None]

    async def step_comments(self, key: str) -> list[Comment]:
        """Every comment of an issue (internal ones too) with its properties: visibility and step marker."""
        out: list[Comment] = []
        while True:
            data = await self.get(f"/rest/api/2/issue/{key}/comment",
                                  {"startAt": len(out), "maxResults": 100, "expand": "properties"})
            vals = data.get("comments") if isinstance(data, dict) else None
            if not isinstance(vals, list) or not vals:
                return out
            out += [c for c in (parse.comment(v) for v in vals) if c is not None]
            total = data.get("total") if isinstance(data, dict) else None
            if not isinstance(total, int) or len(out) >= total:
                return out

    async def property_keys(self, key: str) -> list[str]:
        data = await self.get(f"/rest/api/2/issue/{key}/properties")
        vals = data.get("keys") if isinstance(data, dict) else []
        return [str(k["key"]) for k in vals or [] if isinstance(k, dict) and k.get("key")]

    async def sla(self, key: str) -> list[Any]:
        now = self.clock()
        vals = await self._paged(f"/rest/servicedeskapi/request/{key}/sla")
        return [c for c in (parse.sla_clock(v, now) for v in vals) if c is not None]

    async def participants(self, key: str) -> list[Person]:
        vals = await self._paged(f"/rest/servicedeskapi/request/{key}/participant")
        return [p for p in (parse.person(v) for v in vals) if p is not None]

    async def watchers(self, key: str) -> list[Person]:
        data = await self.get(f"/rest/api/2/issue/{key}/watchers")
        vals = data.get("watchers") if isinstance(data, dict) else []
        return [p for p in (parse.person(v) for v in vals or []) if p is not None]

    async def organizations(self) -> list[Organization]:
        vals = await self._paged("/rest/servicedeskapi/organization")
        out = []
        for v in vals:
            try:
                out.append(Organization(int(v["id"]), str(v["name"])))
            except (KeyError, TypeError, ValueError):
                continue
        return out

    async def request_types(self, desk_id: str) -> list[RequestType]:
        vals = await self._paged(f"/rest/servicedeskapi/servicedesk/{desk_id}/requesttype", limit=100)
        return [RequestType(str(v.get("id")), str(v.get("name")), str(v.get("description") or ""))
                for v in vals if isinstance(v, dict) and v.get("name")]

    async def priorities(self) -> list[str]:
        """The site's priority names, highest first (GET /rest/api/2/priority: Cloud and Data Center both have it)."""
        data = await self.get("/rest/api/2/priority")
        return [str(p["name"]) for p in (data if isinstance(data, list) else []) if isinstance(p, dict) and p.get("name")]

    async def assignable_people(self, project: str, query: str = "", limit: int = 100) -> list[Person]:
        """People who can be assigned tickets of `project` (the agents a role can name)."""
        params: dict[str, Any] = {"project": project, "maxResults": limit}
        if query:
            params["query" if self.conn.cloud else "username"] = query
        data = await self.get("/rest/api/2/user/assignable/search", params)
        return [p for p in (parse.person(v) for v in (data if isinstance(data, list) else [])) if p is not None]

    async def customers(self, desk_id: str, query: str = "") -> list[Person]:
        """The desk's customers matching `query` (by display name, name or email), e.g. its "Anonymous" account."""
        vals = await self._paged(f"/rest/servicedeskapi/servicedesk/{desk_id}/customer",
                                 {"query": query} if query else None, limit=50, experimental=True)
        return [p for p in (parse.person(v) for v in vals) if p is not None]

    async def find_users(self, query: str, issue_key: str | None = None) -> list[Person]:
        if issue_key:
            params: dict[str, Any] = {"issueKey": issue_key, "query" if self.conn.cloud else "username": query}
            data = await self.get("/rest/api/2/user/assignable/search", params)
        else:
            data = await self.get("/rest/api/2/user/search", {"query" if self.conn.cloud else "username": query})
        return [p for p in (parse.person(v) for v in (data if isinstance(data, list) else [])) if p is not None]

    async def components(self, project: str) -> list[str]:
        data = await self.get(f"/rest/api/2/project/{project}/components")
        return [str(c["name"]) for c in (data if isinstance(data, list) else []) if isinstance(c, dict) and c.get("name")]

    async def link_types(self) -> list[LinkType]:
        """The site's issue link types (none where issue linking is off); read once per gateway."""
        cached = self._link_types
        if cached is None:
            data = await self.get("/rest/api/2/issueLinkType")
            raw = data.get("issueLinkTypes") if isinstance(data, dict) else None
            cached = [LinkType(str(t.get("id") or ""), str(t["name"]), str(t.get("inward") or t["name"]),
                               str(t.get("outward") or t["name"]))
                      for t in (raw if isinstance(raw, list) else []) if isinstance(t, dict) and t.get("name")]
            self._link_types = cached
        return cached

    async def permissions(self, names: list[str], project: str | None = None) -> dict[str, bool]:
        params: dict[str, Any] = {"permissions": ",".join(names)}
        if project:
            params["projectKey"] = project
        data = await self.get("/rest/api/2/mypermissions", params)
        perms = data.get("permissions", {}) if isinstance(data, dict) else {}
        return {n: bool((perms.get(n) or {}).get("havePermission")) for n in names}

    async def get_property(self, key: str, prop: str) -> Any:
        try:
            data = await self.get(f"/rest/api/2/issue/{key}/properties/{prop}")
        except NotFoundError:
            return None
        return data.get("value") if isinstance(data, dict) else None


    async def jira_fields(self) -> list[dict[str, Any]]:
        """The field list through the jira library (used by setup and checks)."""
        return list(await self.transport.jira_call(lambda: self.transport.jira().fields(), False))
