"""Which tickets of the queue the closing rules say may be closed, or need a follow-up, kept
current poll after poll at little cost.

Comments are fetched only for tickets that changed since they were last read, a batch per
request. The rules also depend on time (a day without a reply), so every ticket is re-checked
every ten minutes; in between only the ones that changed or were never checked.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from queue_tui.core.models import Comment
from queue_tui.core.snapshot import QueueSnapshot

if TYPE_CHECKING:  # the closing rules load with the first poll, not before the first paint
    from queue_tui.core.closing import ClosingState
    from queue_tui.service.gateway import Gateway

FULL_EVERY = timedelta(minutes=10)


class ClosingWatch:
    def __init__(self, gateway: Gateway, staff_domains: Collection[str], follow_up_after: timedelta,
                 cs_project: str = "CS", aliases: Mapping[str, str] | None = None,
                 dev_projects: Collection[str] = ("DEV",), low_priorities: Collection[str] = ("Low", "Lowest")) -> None:
        self.gateway = gateway
        self.staff_domains = tuple(staff_domains)
        self.follow_up_after = follow_up_after
        self.cs_project = cs_project  # an incentive ticket is ready once its CS ticket is in UAT
        self.aliases = dict(aliases or {})  # the desk's request type names for the SOP's
        self.dev_projects = tuple(dev_projects)  # an active low-priority dev ticket linked: ready
        self.low_priorities = tuple(low_priorities)
        self._comments: dict[str, tuple[Comment, ...]] = {}
        self._read_at: dict[str, datetime] = {}  # ticket key -> its `updated` when its comments were read
        self._full_at: datetime | None = None

    async def states(self, snap: QueueSnapshot, now: datetime, checked: Collection[str]) -> dict[str, ClosingState]:
        """The closing state of the tickets to re-check now (`checked`: those that have one on
        screen). JiraError passes through, with nothing changed."""
        from queue_tui.core.closing import closing_state

        stale = [k for k, t in snap.tickets.items() if self._read_at.get(k) != t.updated]
        if stale:
            found = await self.gateway.comments_for(stale)
            for k in stale:
                self._comments[k] = tuple(found.get(k, []))
                self._read_at[k] = snap.tickets[k].updated
        full = self._full_at is None or now - self._full_at >= FULL_EVERY
        if full:
            self._full_at = now
        again = set(stale)
        keys = list(snap.tickets) if full else [k for k in snap.tickets if k in again or k not in checked]
        return {k: closing_state(replace(snap.tickets[k], comments=self._comments.get(k, ())), self.staff_domains, now,
                                 follow_up_after=self.follow_up_after, cs_project=self.cs_project, aliases=self.aliases,
                                 dev_projects=self.dev_projects, low_priorities=self.low_priorities)
                for k in keys}
