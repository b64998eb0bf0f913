"""The one object the UI uses for everything Jira: reads, writes, retries, rate limits.

A facade over `transport` (the way to Jira and its rules), `reads` and `writes`. Reads go
through one `httpx.AsyncClient`; platform operations the `jira` library wraps well (field list,
issue creation, links) go through it, in a thread, under the same rules. A write whose answer
was lost is never blindly repeated: the gateway first checks whether it happened.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from queue_tui.service import parse
from queue_tui.service.fields import FieldMap, discover
from queue_tui.service.transport import Clock, Connection, Sleep, Transport, utcnow
from queue_tui.service.writes import WriteResult, Writes

__all__ = ["Connection", "Gateway", "WriteResult"]


class Gateway(Writes):
    def __init__(self, conn: Connection, *, field_overrides: dict[str, str] | None = None,
                 clock: Clock = utcnow, sleep: Sleep = asyncio.sleep, max_retries: int = 3,
                 audit: Callable[[WriteResult], None] | None = None) -> None:
        self.conn = conn
        self.clock = clock
        self.transport = Transport(conn, clock=clock, sleep=sleep, max_retries=max_retries)
        self.audit = audit or (lambda r: None)
        self.fields = FieldMap()
        self.field_overrides = field_overrides or {}
        self.me = None
        self._parsed: dict[str, tuple[Any, Any]] = {}
        self.written: dict[str, datetime] = {}

    @property
    def max_retries(self) -> int:
        return self.transport.max_retries

    @property
    def sleep(self) -> Sleep:
        return self.transport.sleep

    async def open(self) -> Gateway:
        """Check credentials (myself) and discover custom fields."""
        await self.transport.ready()
        me, raw_fields = await asyncio.gather(self.get("/rest/api/2/myself"), self.get("/rest/api/2/field"))
        self.me = parse.person(me)
        self.fields = discover(raw_fields if isinstance(raw_fields, list) else [], self.field_overrides)
        return self

    async def close(self) -> None:
        await self.transport.close()
