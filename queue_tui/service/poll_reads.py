"""The reads of a queue poll: the whole queue, the desk's tickets changed lately, and which of
them are in a queue.

Search pages are decoded and parsed in a worker thread: the event loop only sends requests and
receives bytes, so a 5,000-ticket poll never holds up a key press for a frame.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from queue_tui.core.models import Queue, SlaClock, Ticket
from queue_tui.core.snapshot import QueueSnapshot
from queue_tui.service import paging, parse
from queue_tui.service.errors import UnavailableError
from queue_tui.service.fields import FieldMap
from queue_tui.service.jql import key_in, narrow, updated_within
from queue_tui.service.transport import Clock, Connection, Transport

QUEUE_FIELDS = ["summary", "status", "priority", "assignee", "reporter", "created", "updated", "labels", "issuelinks"]
PAGE = 100
# One thread decodes every poll's pages (and compares snapshots): the event loop stays free, and
# one thread keeps one malloc arena, where a pool of them would each grow its own.
POLL_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue-poll")
KEYS_PAGE = 5000  # Cloud's page when only keys are asked for
RECONCILE_MAX = 50  # Jira takes at most 50 ids in reconcileIssues
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change:
    """A ticket Jira says was updated lately: enough to tell whether we already have this version."""

    key: str
    id: str
    updated: datetime | None

    @property
    def project(self) -> str:
        return self.key.rsplit("-", 1)[0]


def decode_page(body: bytes, item: Callable[[dict[str, Any]], T | None]) -> dict[str, Any]:
    """A search answer with its issues turned into `item`s (those it cannot read left out)."""
    try:
        data = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnavailableError("Jira sent an answer that is not valid JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("issues"), list):
        raise UnavailableError("Jira sent a search answer without issues")
    data["issues"] = [x for x in (item(i) for i in data["issues"] if isinstance(i, dict)) if x is not None]
    return data


def change_of(raw: dict[str, Any]) -> Change | None:
    key = raw.get("key")
    if not isinstance(key, str) or not key:
        return None
    fields = raw.get("fields")
    updated = parse.parse_time(fields.get("updated")) if isinstance(fields, dict) else None
    return Change(key, str(raw.get("id") or ""), updated)


def _same_clocks(a: tuple[SlaClock, ...], b: tuple[SlaClock, ...]) -> bool:
    """The same SLA clocks as far as a countdown goes: a running clock's time left at the fetch
    differs from fetch to fetch, while its breach time, from which the countdown runs, does not."""
    def shown(c: SlaClock) -> tuple[object, ...]:
        frozen = c.paused or c.completed or c.breach_at is None
        return (c.name, c.goal_ms, c.breach_at, c.paused, c.completed, c.breached, c.remaining_ms if frozen else None)

    return len(a) == len(b) and all(shown(x) == shown(y) for x, y in zip(a, b, strict=True))


class PollReads:
    """The queue poll's reads; `Gateway` sets these attributes."""

    conn: Connection
    transport: Transport
    clock: Clock
    fields: FieldMap
    _parsed: dict[str, tuple[Any, Ticket]]

    def _queue_fields(self) -> list[str]:
        extra = [self.fields.get(k) for k in ("request_type", "organizations", "channel", "participants")]
        return QUEUE_FIELDS + [f for f in extra if f] + self.fields.sla_ids()

    def _reconcile(self, ids: list[str]) -> dict[str, Any]:
        """Ask Cloud's search to include what was just written, whatever its index says yet."""
        wanted = [int(i) for i in ids if i.isdigit()][:RECONCILE_MAX]
        return {"reconcileIssues": wanted} if wanted and self.conn.cloud else {}

    async def _search_parsed(self, jql: str, fields: list[str], item: Callable[[dict[str, Any]], T | None],
                             page_size: int = PAGE, extra: dict[str, Any] | None = None,
                             limit: int | None = None) -> list[T]:
        """Every issue matching jql as an `item` (or, given a `limit`, more than `limit` of them:
        enough to know there are too many), each page decoded and parsed off the event loop."""
        def decode(body: bytes) -> Any:
            return asyncio.get_running_loop().run_in_executor(POLL_THREAD, decode_page, body, item)

        async def get(path: str, params: dict[str, Any] | None, experimental: bool) -> Any:
            return await self.transport.request("GET", path, params=params, experimental=experimental, decode=decode)

        out: list[T] = []
        async for issues in paging.search_pages(get, self.conn.cloud, jql, fields, page_size, extra):
            out += issues
            if limit is not None and len(out) > limit:
                break
        return out

    async def search_tickets(self, jql: str, extra_fields: list[str] | None = None, cached: bool = False) -> list[Ticket]:
        """Tickets matching jql; `cached` (the queue poll) re-parses only what Jira says was updated."""
        now = self.clock()
        fm = self.fields
        item: Callable[[dict[str, Any]], Ticket | None] = (
            (lambda r: self._parse_cached(r, now)) if cached else (lambda r: parse.ticket(r, fm, now)))
        out = await self._search_parsed(jql, self._queue_fields() + (extra_fields or []), item)
        if cached and len(self._parsed) > 2 * len(out) + 1000:  # forget tickets that left the queues long ago
            keep = {t.key for t in out}
            self._parsed = {k: v for k, v in self._parsed.items() if k in keep}
        return out

    def _parse_cached(self, raw: dict[str, Any], now: datetime) -> Ticket | None:
        """A queue ticket, re-parsed in full only when Jira says it was updated; otherwise only its
        SLA fields and links are read again (SLAs move on their own, and a linked ticket's status
        changes without this one being updated). Keeps a full poll of an unchanged queue cheap."""
        key = raw.get("key")
        fields = raw.get("fields") if isinstance(raw.get("fields"), dict) else None
        updated = fields.get("updated") if fields else None
        hit = self._parsed.get(key) if isinstance(key, str) else None
        if hit is not None and fields is not None and updated is not None and hit[0] == updated:
            slas = tuple(c for c in (parse.sla_clock(fields.get(sid), now) for sid in self.fields.sla_ids())
                         if c is not None)
            links = parse.linked_issues(fields.get("issuelinks"))
            if _same_clocks(slas, hit[1].slas) and links == hit[1].links:
                return hit[1]  # the same object: an unchanged queue costs no new tickets
            moved = replace(hit[1], slas=slas, links=links)
            self._parsed[key] = (updated, moved)  # type: ignore[index]
            return moved
        t = parse.ticket(raw, self.fields, now)
        if t is not None and isinstance(key, str) and updated is not None:
            self._parsed[key] = (updated, t)
        return t

    async def snapshot(self, queue: Queue, desk_id: str | None) -> QueueSnapshot:
        """The whole queue: its tickets (one request per 100), then the desk's queue counts (one request).

        One after the other, not side by side: when Jira answers 429, no second request of the
        poll is already on its way."""
        before = self.transport.requests_sent
        tickets = await self.search_tickets(queue.jql, cached=True)
        queues = tuple(await self.queues(desk_id, include_count=True)) if desk_id else ()
        return QueueSnapshot(queue.id, {t.key: t for t in tickets}, self.clock(), queues,
                             self.transport.requests_sent - before)

    async def queues(self, desk_id: str, include_count: bool = True) -> list[Queue]:
        vals = await paging.service_desk_values(
            lambda path, params, exp: self.transport.request("GET", path, params=params, experimental=exp),
            f"/rest/servicedeskapi/servicedesk/{desk_id}/queue", {"includeCount": "true" if include_count else "false"})
        return [Queue(str(q.get("id")), str(q.get("name") or q.get("id")), str(q.get("jql") or ""),
                      q.get("issueCount") if isinstance(q.get("issueCount"), int) else None)
                for q in vals if isinstance(q, dict) and q.get("id")]

    async def changed_since(self, scope: str, minutes: int, reconcile: list[str] | None = None,
                            limit: int | None = None) -> list[Change]:
        """Tickets within `scope` (JQL) updated in the last `minutes` by Jira's clock: key, id and
        `updated` only, so that a poll in which nothing changed is one small request."""
        return await self._search_parsed(f"({scope}) AND {updated_within(minutes)}", ["updated"], change_of,
                                         extra=self._reconcile(reconcile or []), limit=limit)

    async def queue_keys(self, jql: str, reconcile: list[str] | None = None) -> list[str]:
        """Every key the queue's JQL matches: keys only, which Jira sends by the thousand a page
        (Cloud 5,000, Data Center 1,000), so a big queue's membership costs one or a few requests."""
        def key_of(raw: dict[str, Any]) -> str | None:
            key = raw.get("key")
            return key if isinstance(key, str) and key else None

        return await self._search_parsed(jql, ["key"], key_of, page_size=KEYS_PAGE if self.conn.cloud else 1000,
                                         extra=self._reconcile(reconcile or []))

    async def queue_tickets(self, jql: str, keys: list[str], reconcile: list[str] | None = None) -> list[Ticket]:
        """Those of `keys` that the queue's own JQL matches now, in full: Jira decides membership,
        whatever the queue's JQL says."""
        now = self.clock()
        fm = self.fields
        out: list[Ticket] = []
        for n in range(0, len(keys), PAGE):
            out += await self._search_parsed(narrow(jql, key_in(keys[n:n + PAGE])), self._queue_fields(),
                                             lambda r: parse.ticket(r, fm, now), extra=self._reconcile(reconcile or []))
        return out
