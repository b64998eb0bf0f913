"""A customer's recent tickets: the reporter's and their organizations', open and closed, newest
first, through one JQL search that stops after the first `limit` (the agent reads the last few,
not every ticket a large organization ever filed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from queue_tui.core.models import Ticket
from queue_tui.service import paging, parse
from queue_tui.service.jql import quoted

if TYPE_CHECKING:
    from queue_tui.service.gateway import Gateway

HISTORY_FIELDS = ["summary", "status", "priority", "assignee", "reporter", "created", "updated", "resolution"]


def history_jql(t: Ticket) -> str | None:
    """Tickets of the same reporter or any of the same organizations, in any project; None when the
    ticket names neither."""
    who = [f"reporter = {quoted(t.reporter.id)}"] if t.reporter else []
    who += [f"organizations = {o.id}" for o in t.organizations]
    if not who:
        return None
    return f"({' OR '.join(who)}) AND key != {quoted(t.key)} ORDER BY created DESC"


async def customer_history(gateway: Gateway, t: Ticket, limit: int = 30) -> list[Ticket]:
    jql = history_jql(t)
    if jql is None:
        return []
    out: list[Ticket] = []
    now = gateway.clock()
    fields = HISTORY_FIELDS + [f for f in (gateway.fields.get("organizations"),) if f]
    async for page in paging.search_pages(gateway.get, gateway.conn.cloud, jql, fields, min(limit, 50)):
        out += [x for x in (parse.ticket(raw, gateway.fields, now) for raw in page if isinstance(raw, dict)) if x]
        if len(out) >= limit:
            break
    return out[:limit]
