"""Exactly once across crashes and colleagues: a write that would repeat itself if sent twice (a
comment, a link, a CS ticket) is checked against Jira, on the ticket it targets, under a claim.

Jira has no conditional write, so the claim is built from what it has. Each agent writes its own
issue property `queue-tui.claim.<step>.<token>` on the target ticket, where the token starts with
the claim's time and ends with a random part; waits a settle time; lists the claims again; and goes
on only when no other live claim was there first (the lowest token wins). It then asks Jira again
whether the step is done (a comment carries its step's marker in the `queue-tui.step` comment
property, so it is found even if its text was edited), writes, and removes its claim. A claim
older than `ttl` is a crashed run's and is ignored.

What it guarantees: two agents (or two runs after a crash) never both write a step when each
agent's claim reaches Jira within the settle time of its first check, and a step Jira already
shows done is never written again. What it cannot: if one agent's requests take longer than the
settle time, or Jira answers a read from a replica that has not yet seen the other's claim or
comment (eventual consistency), both may write; the marker then lets every later check see both.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from queue_tui.service.errors import JiraError
from queue_tui.service.gateway import Gateway

CLAIM_PREFIX = "queue-tui.claim."
SETTLE_SECONDS = 1.5
TTL = timedelta(minutes=2)

Sleep = Callable[[float], Awaitable[None]]


class Outcome(StrEnum):
    WROTE = "wrote"
    ALREADY = "already done"  # Jira shows the step done: nothing was sent
    BUSY = "busy"  # another agent holds a live claim on the step: nothing was sent


@dataclass(frozen=True)
class Claimed:
    outcome: Outcome
    by: str = ""  # BUSY: who holds the claim, when it says


class StepBusy(JiraError):
    """Another agent is applying the same step right now."""

    kind = "conflict"


def _slug(marker: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", marker)[:150]


class Claims:
    def __init__(self, gw: Gateway, clock: Callable[[], datetime], settle: Sleep, settle_seconds: float = SETTLE_SECONDS,
                 ttl: timedelta = TTL, token: Callable[[datetime], str] | None = None) -> None:
        self.gw = gw
        self.clock = clock
        self.settle = settle
        self.settle_seconds = settle_seconds
        self.ttl = ttl
        self.token = token or (lambda now: f"{int(now.timestamp() * 1000):013d}-{secrets.token_hex(4)}")

    async def once(self, key: str, marker: str, done: Callable[[], Awaitable[bool]],
                   write: Callable[[], Awaitable[Any]]) -> Claimed:
        """Write once: unless Jira shows it done, or another agent's claim on it is live."""
        if await done():
            return Claimed(Outcome.ALREADY)
        prefix = CLAIM_PREFIX + _slug(marker) + "."
        others = await self._live(key, prefix)
        if others:
            return Claimed(Outcome.BUSY, await self._holder(key, prefix + others[0]))
        mine = self.token(self.clock())
        await self.gw.set_property(key, prefix + mine, {"by": self.gw.me.name if self.gw.me else "?",
                                                        "at": self.clock().isoformat(timespec="seconds"),
                                                        "marker": marker})
        try:
            await self.settle(self.settle_seconds)
            first = [t for t in await self._live(key, prefix) if t < mine]
            if first:
                return Claimed(Outcome.BUSY, await self._holder(key, prefix + first[0]))
            if await done():
                return Claimed(Outcome.ALREADY)
            await write()
            return Claimed(Outcome.WROTE)
        finally:
            try:
                await self.gw.delete_property(key, prefix + mine)
            except JiraError:
                pass  # it expires after `ttl`

    async def _live(self, key: str, prefix: str) -> list[str]:
        """Tokens of the live claims on the step, oldest first; stale ones (a crashed run's) are dropped."""
        cutoff = (self.clock() - self.ttl).timestamp() * 1000
        live = []
        for k in await self.gw.property_keys(key):
            if not k.startswith(prefix):
                continue
            token = k[len(prefix):]
            stamp = token.split("-", 1)[0]
            if stamp.isdigit() and int(stamp) >= cutoff:
                live.append(token)
        return sorted(live)

    async def _holder(self, key: str, prop: str) -> str:
        try:
            value = await self.gw.get_property(key, prop)
        except JiraError:
            return ""
        return str(value.get("by") or "") if isinstance(value, dict) else ""
