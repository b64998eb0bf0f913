"""The one object the UI uses for everything Jira: reads, writes, retries, rate limits.

Reads go through one `httpx.AsyncClient`. Platform operations the `jira` library wraps well
(field list, issue creation, links, transitions by name) go through it, in a thread. Retries
honour Retry-After and back off; no request is sent before a Retry-After expires. A write whose
answer was lost is never blindly repeated: the gateway first checks whether it happened.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from queue_tui.core.models import Comment, Organization, Person, Queue, RequestType, Ticket
from queue_tui.core.snapshot import QueueSnapshot
from queue_tui.service import parse
from queue_tui.service.errors import (
    AuthError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    GoneError,
    JiraError,
    NotFoundError,
    RateLimitedError,
    UnavailableError,
    UnclearWriteError,
)
from queue_tui.service.fields import FieldMap, discover

log = logging.getLogger("queue_tui.gateway")

QUEUE_FIELDS = ["summary", "status", "priority", "assignee", "reporter", "created", "updated", "labels", "issuelinks"]
PAGE = 100


@dataclass
class Connection:
    """Where Jira is and how to prove who we are. Secrets are never logged or shown."""

    base_url: str
    deployment: str = "cloud"  # cloud | dc
    email: str = ""
    token: str = field(default="", repr=False)
    pat: str = field(default="", repr=False)
    verify_tls: bool = True
    timeout: float = 10.0

    @property
    def cloud(self) -> bool:
        return self.deployment == "cloud"

    def secret(self) -> str:
        return self.token if self.cloud else self.pat


Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class WriteResult:
    action: str
    key: str
    detail: str
    ok: bool
    note: str = ""


class Gateway:
    def __init__(self, conn: Connection, *, field_overrides: dict[str, str] | None = None,
                 clock: Clock = _utcnow, sleep: Sleep = asyncio.sleep, max_retries: int = 3,
                 audit: Callable[[WriteResult], None] | None = None) -> None:
        self.conn = conn
        self.clock = clock
        self.sleep = sleep
        self.max_retries = max_retries
        self.audit = audit or (lambda r: None)
        self.fields = FieldMap()
        self.field_overrides = field_overrides or {}
        self.me: Person | None = None
        self.requests_sent = 0
        self._not_before: datetime | None = None
        self._send_lock = asyncio.Lock()
        self._rng = random.Random(5)
        headers = {"Accept": "application/json", "User-Agent": "queue-tui"}
        auth: httpx.Auth | None = None
        if conn.cloud:
            auth = httpx.BasicAuth(conn.email, conn.token)
        else:
            headers["Authorization"] = f"Bearer {conn.pat}"
        self._client = httpx.AsyncClient(base_url=conn.base_url.rstrip("/"), auth=auth, headers=headers,
                                         timeout=httpx.Timeout(conn.timeout),
                                         verify=conn.verify_tls if conn.base_url.startswith("https:") else False,
                                         limits=httpx.Limits(max_connections=6, max_keepalive_connections=4))
        self._jira_client: Any = None
        self._parsed: dict[str, tuple[Any, Ticket]] = {}

    # -- lifecycle ------------------------------------------------------------------------
    async def open(self) -> Gateway:
        """Check credentials (myself) and discover custom fields."""
        me, raw_fields = await asyncio.gather(self.get("/rest/api/2/myself"), self.get("/rest/api/2/field"))
        self.me = parse.person(me)
        self.fields = discover(raw_fields if isinstance(raw_fields, list) else [], self.field_overrides)
        return self

    async def close(self) -> None:
        await self._client.aclose()
        if self._jira_client is not None:
            self._jira_client.close()

    # -- the request loop ----------------------------------------------------------------
    async def _wait_rate_limit(self) -> None:
        while self._not_before is not None:
            delay = (self._not_before - self.clock()).total_seconds()
            if delay <= 0:
                self._not_before = None
                return
            await self.sleep(delay)

    def _retry_after(self, resp: httpx.Response) -> float | None:
        raw = resp.headers.get("Retry-After")
        if raw is None:
            return None
        try:
            return min(max(float(raw), 0.0), 600.0)
        except ValueError:
            when = parse.parse_time(raw)
            return max((when - self.clock()).total_seconds(), 0.0) if when else None

    def _backoff(self, attempt: int) -> float:
        return min(0.5 * (2 ** attempt), 8.0) * (0.8 + 0.4 * self._rng.random())

    async def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      body: Any = None, idempotent: bool | None = None, experimental: bool = False) -> Any:
        """Send one API call with retries; return its JSON (None for an empty answer)."""
        if idempotent is None:
            idempotent = method in ("GET", "PUT", "DELETE")
        headers = {"X-ExperimentalApi": "opt-in"} if experimental else None
        attempt = 0
        while True:
            # One request at a time: once Jira says "retry after", nothing else is already on its way.
            async with self._send_lock:
                await self._wait_rate_limit()
                self.requests_sent += 1
                try:
                    resp = await self._client.request(method, path, params=params, json=body, headers=headers)
                except (httpx.TimeoutException, httpx.TransportError) as exc:
                    resp = exc  # type: ignore[assignment]
                else:
                    if resp.status_code == 429:
                        # Before anyone else may send: the next request waits out Retry-After.
                        wait = self._retry_after(resp)
                        self._not_before = self.clock() + timedelta(seconds=5.0 if wait is None else wait)
                    elif resp.status_code == 503 and self._retry_after(resp) is not None:
                        self._not_before = self.clock() + timedelta(seconds=self._retry_after(resp) or 0)
            if isinstance(resp, httpx.TimeoutException | httpx.TransportError):
                exc = resp
                what = "timed out" if isinstance(exc, httpx.TimeoutException) else "connection failed"
                if not idempotent:
                    raise UnclearWriteError(f"Jira did not answer ({what}); the change may or may not have been made") from exc
                if attempt >= self.max_retries:
                    raise UnavailableError(f"Jira unreachable: {what}") from exc
                await self.sleep(self._backoff(attempt))
                attempt += 1
                continue
            if resp.status_code == 429 or resp.status_code == 503:
                if resp.status_code == 429:
                    if attempt >= self.max_retries:
                        raise RateLimitedError("Rate limited by Jira", self._not_before or self.clock())
                else:
                    if attempt >= self.max_retries:
                        raise UnavailableError("Jira is unavailable (503)", 503)
                    if self._retry_after(resp) is None:
                        await self.sleep(self._backoff(attempt))
                attempt += 1
                continue
            try:
                return self._result(resp)
            except UnavailableError as exc:
                if not idempotent:
                    raise UnclearWriteError(f"{exc.message}; the change may or may not have been made", resp.status_code) from exc
                if attempt >= self.max_retries:
                    raise
                await self.sleep(self._backoff(attempt))
                attempt += 1

    def _result(self, resp: httpx.Response) -> Any:
        status = resp.status_code
        ctype = resp.headers.get("Content-Type", "")
        if 200 <= status < 300:
            if not resp.content:
                return None
            try:
                return resp.json()
            except (ValueError, UnicodeDecodeError) as exc:
                raise UnavailableError("Jira sent an answer that is not valid JSON", status) from exc
        if "html" in ctype.lower() or (resp.content[:1] == b"<"):
            raise UnavailableError(f"Jira answered with a web page (HTTP {status}), not the API: a proxy or outage?", status)
        messages: list[str] = []
        details: dict[str, str] = {}
        try:
            data = resp.json()
            if isinstance(data, dict):
                messages = [str(m) for m in data.get("errorMessages") or []]
                errs = data.get("errors") or {}
                details = {str(k): str(v) for k, v in errs.items()} if isinstance(errs, dict) else {}
        except (ValueError, UnicodeDecodeError):
            messages = [resp.text[:200]] if resp.text else []
        msg = "; ".join(messages) or f"HTTP {status}"
        if status == 401:
            raise AuthError("Jira refused the credentials (401): check the email/token or PAT", status)
        if status == 403:
            raise ForbiddenError(f"Not permitted: {msg}", status, details)
        if status == 404:
            raise NotFoundError(msg, status, details)
        if status == 409:
            raise ConflictError(msg, status, details)
        if status == 410:
            raise GoneError(msg, status, details)
        if status >= 500:
            raise UnavailableError(f"Jira error {status}: {msg}", status)
        raise BadRequestError(msg, status, details)

    async def get(self, path: str, params: dict[str, Any] | None = None, experimental: bool = False) -> Any:
        return await self.request("GET", path, params=params, experimental=experimental)

    async def _paged(self, path: str, params: dict[str, Any] | None = None, limit: int = 50,
                     experimental: bool = False) -> list[Any]:
        """All values of a servicedeskapi list (start/limit/isLastPage)."""
        out: list[Any] = []
        start = 0
        while True:
            page = await self.get(path, {**(params or {}), "start": start, "limit": limit}, experimental)
            values = page.get("values") if isinstance(page, dict) else None
            if not isinstance(values, list):
                raise UnavailableError("Jira sent a page without values")
            out += values
            if page.get("isLastPage", True) or not values:
                return out
            start += len(values)

    # -- reads ----------------------------------------------------------------------------
    async def server_info(self) -> dict[str, Any]:
        data = await self.get("/rest/api/2/serverInfo")
        return data if isinstance(data, dict) else {}

    async def service_desks(self) -> list[dict[str, Any]]:
        return [d for d in await self._paged("/rest/servicedeskapi/servicedesk") if isinstance(d, dict)]

    async def queues(self, desk_id: str, include_count: bool = True) -> list[Queue]:
        vals = await self._paged(f"/rest/servicedeskapi/servicedesk/{desk_id}/queue",
                                 {"includeCount": "true" if include_count else "false"})
        return [Queue(str(q.get("id")), str(q.get("name") or q.get("id")), str(q.get("jql") or ""),
                      q.get("issueCount") if isinstance(q.get("issueCount"), int) else None)
                for q in vals if isinstance(q, dict) and q.get("id")]

    def _queue_fields(self) -> list[str]:
        extra = [self.fields.get(k) for k in ("request_type", "organizations", "channel", "participants")]
        return QUEUE_FIELDS + [f for f in extra if f] + self.fields.sla_ids()

    async def search(self, jql: str, fields: list[str], page_size: int = PAGE) -> list[dict[str, Any]]:
        """Every issue matching jql, paged the way the deployment wants."""
        out: list[dict[str, Any]] = []
        if self.conn.cloud:
            token: str | None = None
            while True:
                params: dict[str, Any] = {"jql": jql, "fields": ",".join(fields), "maxResults": page_size}
                if token:
                    params["nextPageToken"] = token
                data = await self.get("/rest/api/2/search/jql", params)
                issues = data.get("issues") if isinstance(data, dict) else None
                if not isinstance(issues, list):
                    raise UnavailableError("Jira sent a search answer without issues")
                out += [i for i in issues if isinstance(i, dict)]
                token = data.get("nextPageToken")
                if data.get("isLast", True) or not token:
                    return out
        start = 0
        while True:
            data = await self.get("/rest/api/2/search", {"jql": jql, "fields": ",".join(fields),
                                                         "startAt": start, "maxResults": page_size})
            issues = data.get("issues") if isinstance(data, dict) else None
            if not isinstance(issues, list):
                raise UnavailableError("Jira sent a search answer without issues")
            out += [i for i in issues if isinstance(i, dict)]
            start += len(issues)
            if not issues or start >= int(data.get("total") or 0):
                return out

    async def search_tickets(self, jql: str, extra_fields: list[str] | None = None, cached: bool = False) -> list[Ticket]:
        """Tickets matching jql; `cached` (the queue poll) re-parses only what Jira says was updated."""
        now = self.clock()
        raw = await self.search(jql, self._queue_fields() + (extra_fields or []))
        if not cached:
            return [t for t in (parse.ticket(r, self.fields, now) for r in raw) if t is not None]
        out = [t for t in (self._parse_cached(r, now) for r in raw) if t is not None]
        if len(self._parsed) > 2 * len(out) + 1000:  # forget tickets that left the queues long ago
            keep = {t.key for t in out}
            self._parsed = {k: v for k, v in self._parsed.items() if k in keep}
        return out

    def _parse_cached(self, raw: dict[str, Any], now: datetime) -> Ticket | None:
        """A queue ticket, re-parsed in full only when Jira says it was updated; otherwise only its
        SLA fields are read again (they move on their own). Keeps a poll of an unchanged queue cheap."""
        key = raw.get("key")
        fields = raw.get("fields") if isinstance(raw.get("fields"), dict) else None
        updated = fields.get("updated") if fields else None
        hit = self._parsed.get(key) if isinstance(key, str) else None
        if hit is not None and updated is not None and hit[0] == updated:
            slas = tuple(c for c in (parse.sla_clock(fields.get(sid), now) for sid in self.fields.sla_ids())  # type: ignore[union-attr]
                         if c is not None)
            return hit[1] if slas == hit[1].slas else replace(hit[1], slas=slas)
        t = parse.ticket(raw, self.fields, now)
        if t is not None and isinstance(key, str) and updated is not None:
            self._parsed[key] = (updated, t)
        return t

    async def snapshot(self, queue: Queue, desk_id: str | None) -> QueueSnapshot:
        """One poll: queue counts (one request, alongside) and the queue's tickets (one request per 100)."""
        before = self.requests_sent
        queues: tuple[Queue, ...] = ()
        if desk_id:
            counted, tickets = await asyncio.gather(self.queues(desk_id, include_count=True),
                                                    self.search_tickets(queue.jql, cached=True))
            queues = tuple(counted)
        else:
            tickets = await self.search_tickets(queue.jql, cached=True)
        return QueueSnapshot(queue.id, {t.key: t for t in tickets}, self.clock(), queues,
                             self.requests_sent - before)

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
        """Comments of many issues, a batch of keys per search request (never one request per ticket)."""
        out: dict[str, list[Comment]] = {}
        for n in range(0, len(keys), batch):
            chunk = keys[n:n + batch]
            raw = await self.search(f"key in ({', '.join(chunk)})", ["comment"], page_size=batch)
            for r in raw:
                vals = ((r.get("fields") or {}).get("comment") or {}).get("comments") or []
                out[str(r.get("key"))] = [c for c in (parse.comment(v) for v in vals) if c is not None]
        return out

    async def comments(self, key: str) -> list[Comment]:
        data = await self.get(f"/rest/api/2/issue/{key}/comment", {"maxResults": 100})
        vals = data.get("comments") if isinstance(data, dict) else []
        return [c for c in (parse.comment(v) for v in vals or []) if c is not None]

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

    # -- writes ---------------------------------------------------------------------------
    def _record(self, action: str, key: str, detail: str, ok: bool, note: str = "") -> WriteResult:
        result = WriteResult(action, key, detail, ok, note)
        self.audit(result)
        return result

    async def _write(self, action: str, key: str, detail: str, op: Callable[[], Awaitable[Any]]) -> Any:
        try:
            value = await op()
        except JiraError as exc:
            self._record(action, key, detail, False, exc.short())
            raise
        self._record(action, key, detail, True)
        return value

    def user_ref(self, p: Person | None) -> dict[str, Any] | None:
        if p is None:
            return None
        return {"accountId": p.id} if self.conn.cloud else {"name": p.id}

    async def assign(self, key: str, who: Person | None) -> None:
        body = {"accountId": who.id if who else None} if self.conn.cloud else {"name": who.id if who else None}
        await self._write("assign", key, f"assignee = {who.name if who else 'unassigned'}",
                          lambda: self.request("PUT", f"/rest/api/2/issue/{key}/assignee", body=body))

    async def edit(self, key: str, fields: dict[str, Any] | None = None, update: dict[str, Any] | None = None,
                   detail: str = "") -> None:
        body: dict[str, Any] = {}
        if fields:
            body["fields"] = fields
        if update:
            body["update"] = update
        await self._write("edit", key, detail or json.dumps(body, default=str)[:300],
                          lambda: self.request("PUT", f"/rest/api/2/issue/{key}", body=body))

    async def add_comment(self, key: str, text: str, public: bool, service_desk: bool = True) -> Comment:
        """Post a comment once: after a lost answer, look for it before trying again."""
        visibility = "public" if public else "internal"

        async def post() -> Comment:
            if service_desk:
                data = await self.request("POST", f"/rest/servicedeskapi/request/{key}/comment",
                                          body={"body": text, "public": public})
            else:
                data = await self.request("POST", f"/rest/api/2/issue/{key}/comment", body={
                    "body": text, "properties": [{"key": "sd.public.comment", "value": {"internal": not public}}]})
            c = parse.comment(data)
            if c is None:
                raise UnavailableError("Jira accepted the comment but sent no readable answer")
            return c

        async def find() -> Comment | None:
            mine = self.me.id if self.me else None
            existing = await (self.request_comments(key) if service_desk else self.comments(key))
            for c in reversed(existing):
                if c.body.strip() == text.strip() and c.public == public and (mine is None or (c.author and c.author.id == mine)):
                    return c
            return None

        return await self._write("comment", key, f"{visibility} comment: {text[:80]}",
                                 lambda: self._once(post, find))

    async def _once(self, op: Callable[[], Awaitable[Any]], find: Callable[[], Awaitable[Any]], tries: int = 3) -> Any:
        """Run a non-idempotent write at most once in effect: after a lost answer, look for the
        write before trying again; if even the look cannot be done, say the outcome is unknown."""
        for n in range(tries):
            try:
                return await op()
            except UnclearWriteError:
                await self.sleep(self._backoff(n))
                for look in range(4):
                    try:
                        found = await find()
                        break
                    except JiraError:
                        await self.sleep(self._backoff(look))
                else:
                    raise UnclearWriteError("Jira lost the answer and could not be asked whether the change was "
                                            "made: check the ticket before trying again") from None
                if found is not None:
                    return found
        raise UnclearWriteError("Jira kept losing the answer; the change was not made")

    async def add_participants(self, key: str, people: list[Person]) -> None:
        ids = [p.id for p in people]
        body = {"accountIds": ids} if self.conn.cloud else {"usernames": ids}
        await self._write("add participants", key, ", ".join(p.name for p in people), lambda: self.request(
            "POST", f"/rest/servicedeskapi/request/{key}/participant", body=body, idempotent=True))

    async def remove_participants(self, key: str, people: list[Person]) -> None:
        ids = [p.id for p in people]
        body = {"accountIds": ids} if self.conn.cloud else {"usernames": ids}
        await self._write("remove participants", key, ", ".join(p.name for p in people), lambda: self.request(
            "DELETE", f"/rest/servicedeskapi/request/{key}/participant", body=body))

    async def add_watcher(self, key: str, who: Person) -> None:
        await self._write("add watcher", key, who.name, lambda: self.request(
            "POST", f"/rest/api/2/issue/{key}/watchers", body=who.id, idempotent=True))

    async def remove_watcher(self, key: str, who: Person) -> None:
        params = {"accountId": who.id} if self.conn.cloud else {"username": who.id}
        await self._write("remove watcher", key, who.name, lambda: self.request(
            "DELETE", f"/rest/api/2/issue/{key}/watchers", params=params))

    async def set_property(self, key: str, prop: str, value: Any) -> None:
        await self._write("set property", key, prop, lambda: self.request(
            "PUT", f"/rest/api/2/issue/{key}/properties/{prop}", body=value))

    async def transitions(self, key: str) -> list[dict[str, Any]]:
        data = await self.get(f"/rest/api/2/issue/{key}/transitions")
        vals = data.get("transitions") if isinstance(data, dict) else []
        return [t for t in vals or [] if isinstance(t, dict)]

    async def transition(self, key: str, target: str, resolution: str | None = None) -> str:
        """Move to the status (or through the transition) named `target`; returns the new status."""
        async def op() -> str:
            options = await self.transitions(key)
            want = target.lower()
            hit = next((t for t in options if str((t.get("to") or {}).get("name", "")).lower() == want), None) or next(
                (t for t in options if str(t.get("name", "")).lower() == want), None)
            if hit is None:
                current = await self.issue(key, ["status"])
                if current.status.lower() == want:
                    return current.status
                names = ", ".join(sorted({str((t.get("to") or {}).get("name")) for t in options}))
                raise BadRequestError(f"No transition to '{target}' from '{current.status}' (possible: {names})")
            body: dict[str, Any] = {"transition": {"id": hit["id"]}}
            if resolution:
                body["fields"] = {"resolution": {"name": resolution}}
            try:
                await self.request("POST", f"/rest/api/2/issue/{key}/transitions", body=body)
            except UnclearWriteError:
                current = await self.issue(key, ["status"])
                if current.status.lower() != str((hit.get("to") or {}).get("name", "")).lower():
                    raise
            return str((hit.get("to") or {}).get("name") or target)

        return await self._write("transition", key, f"status -> {target}" + (f" ({resolution})" if resolution else ""), op)

    async def create_issue(self, fields: dict[str, Any], find_jql: str | None = None) -> str:
        """Create an issue through the jira library; returns its key.

        `find_jql` finds the issue if the answer is lost, so a retry never makes a second one.
        """
        async def op() -> str:
            issue = await self._jira_call(lambda: self._jira().create_issue(fields=dict(fields), prefetch=False), True)
            return str(issue.key)

        async def find() -> str | None:
            if not find_jql:
                return None
            hits = await self.search(find_jql, ["summary"], page_size=5)
            return str(hits[0]["key"]) if hits else None

        summary = str(fields.get("summary", ""))
        project = str((fields.get("project") or {}).get("key", "?"))
        key: str = await self._write("create issue", project, summary[:100], lambda: self._once(op, find))
        return key

    async def link(self, link_type: str, inward: str, outward: str) -> None:
        """Link two issues once: an existing link of that type between them counts as done."""
        async def exists() -> bool:
            t = await self.issue(inward, ["issuelinks"])
            return any(lk.key == outward and lk.link_type.lower() == link_type.lower() for lk in t.links)

        async def op() -> None:
            if await exists():
                return
            try:
                await self._jira_call(lambda: self._jira().create_issue_link(link_type, inward, outward), True)
            except UnclearWriteError:
                if not await exists():
                    raise

        await self._write("link", inward, f"{inward} {link_type} {outward}", op)

    # -- the jira library ----------------------------------------------------------------
    def _jira(self) -> Any:
        if self._jira_client is None:
            from jira import JIRA

            opts = {"server": self.conn.base_url, "verify": self.conn.verify_tls, "rest_api_version": "2"}
            if self.conn.cloud:
                self._jira_client = JIRA(options=opts, basic_auth=(self.conn.email, self.conn.token),
                                         max_retries=0, timeout=self.conn.timeout, get_server_info=False)
            else:
                self._jira_client = JIRA(options=opts, token_auth=self.conn.pat, max_retries=0,
                                         timeout=self.conn.timeout, get_server_info=False)
        return self._jira_client

    async def jira_fields(self) -> list[dict[str, Any]]:
        """The field list through the jira library (used by setup and checks)."""
        return list(await self._jira_call(lambda: self._jira().fields(), False))

    async def _jira_call(self, fn: Callable[[], Any], write: bool) -> Any:
        """Call the jira library in a thread: the same Retry-After rule, typed errors."""
        from jira.exceptions import JIRAError

        attempt = 0
        while True:
            async with self._send_lock:
                await self._wait_rate_limit()
                try:
                    return await asyncio.to_thread(fn)
                except Exception as exc:  # noqa: BLE001 - every failure becomes a typed error below
                    status = exc.status_code if isinstance(exc, JIRAError) else None
                    if status in (429, 503):
                        raw = exc.response.headers.get("Retry-After") if getattr(exc, "response", None) is not None else None
                        wait = float(raw) if raw and raw.isdigit() else (5.0 if status == 429 else self._backoff(attempt))
                        self._not_before = self.clock() + timedelta(seconds=wait)
                        if attempt < self.max_retries:
                            attempt += 1
                            continue
                    raise self._map_jira_error(exc, write) from exc

    def _map_jira_error(self, exc: Exception, write: bool) -> JiraError:
        import requests
        from jira.exceptions import JIRAError

        if isinstance(exc, JIRAError):
            status = exc.status_code or 0
            text = exc.text or ""
            try:
                data = json.loads(exc.response.text) if exc.response is not None else {}
                msgs = data.get("errorMessages") or []
                errs = data.get("errors") or {}
                text = "; ".join([*map(str, msgs), *(f"{k}: {v}" for k, v in errs.items())]) or text
            except (ValueError, AttributeError):
                pass
            if status == 401:
                return AuthError("Jira refused the credentials (401): check the email/token or PAT", 401)
            if status == 403:
                return ForbiddenError(f"Not permitted: {text}", 403)
            if status == 404:
                return NotFoundError(text or "Not found", 404)
            if status in (429, 503) or status >= 500 or status == 0:
                return UnclearWriteError(f"Jira error {status}") if write and status not in (429, 503) else UnavailableError(
                    f"Jira is busy or unavailable ({status})", status)
            return BadRequestError(text or f"HTTP {status}", status)
        if isinstance(exc, requests.exceptions.RequestException | ValueError):
            if write:
                return UnclearWriteError("Jira did not answer; the change may or may not have been made")
            return UnavailableError("Jira unreachable")
        return JiraError(str(exc))
