"""What deserves an alert, and when: new tickets, SLA stage crossings, aging unassigned tickets.

`Watch` keeps, for every ticket, the moment its next stage crossing happens, in a heap, so a
one-second tick costs only the crossings that are due, however big the queue. Each alert fires
once per ticket and kind.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from queue_tui.core.glance import count_stages
from queue_tui.core.models import Ticket
from queue_tui.core.sla import Stage, next_clock, remaining, stage, stage_turns
from queue_tui.core.snapshot import Diff


@dataclass(frozen=True)
class Alert:
    kind: str  # new | under_30m | breached | unassigned
    key: str
    text: str


def next_crossing(ticket: Ticket, now: datetime) -> datetime | None:
    """When this ticket's countdown next changes colour stage (None if it never will by itself)."""
    return stage_turns(next_clock(ticket, now), now)


@dataclass
class Watch:
    unassigned_after: timedelta = timedelta(minutes=20)
    fired: set[tuple[str, str]] = field(default_factory=set)
    _heap: list[tuple[datetime, str]] = field(default_factory=list)
    _tickets: dict[str, Ticket] = field(default_factory=dict)
    crossed: list[str] = field(default_factory=list)  # tickets whose stage changed in the last `due`

    def reset(self, tickets: dict[str, Ticket], now: datetime) -> None:
        """A new set of tickets (a poll): rebuild the crossing schedule."""
        self._tickets = tickets
        heap = []
        for key, t in tickets.items():
            when = next_crossing(t, now)
            if when is not None:
                heap.append((when, key))
            if t.assignee is None and t.status_category != "done":
                heap.append((t.created + self.unassigned_after, key))
        heapq.heapify(heap)
        self._heap = heap

    def update(self, diff: Diff, tickets: dict[str, Ticket], now: datetime) -> None:
        """Schedule only what a poll changed: added and changed tickets get fresh entries; entries
        of gone or changed tickets are dropped lazily when they come due (`due` reads the ticket)."""
        self._tickets = tickets
        for key in (*diff.added, *diff.changed):
            t = tickets[key]
            when = next_crossing(t, now)
            if when is not None:
                heapq.heappush(self._heap, (when, key))
            if t.assignee is None and t.status_category != "done":
                heapq.heappush(self._heap, (t.created + self.unassigned_after, key))

    def on_poll(self, diff: Diff, tickets: dict[str, Ticket], now: datetime) -> list[Alert]:
        if diff.first:
            self.reset(tickets, now)
        else:
            self.update(diff, tickets, now)
        out = []
        if diff.first:
            # Opening the queue is not news: one summary instead of an alert per old ticket. The
            # alerts already due are spent quietly; the figures are the rows' own stages.
            self.due(now)
            counts = count_stages(tickets.values(), now)
            late = sum(1 for t in tickets.values()
                       if t.assignee is None and t.status_category != "done" and now - t.created >= self.unassigned_after)
            parts = [p for p in (replace(counts, unassigned=0).summary(),
                                 f"{late} unassigned too long" if late else "") if p]
            return [Alert("summary", "", "Queue loaded: " + ", ".join(parts))] if parts else []
        if not diff.first:
            for key in diff.added:
                t = tickets[key]
                out.append(self._fire("new", t, f"{key}: {t.summary}"))  # the title says "New ticket"
        return [a for a in out if a is not None] + self.due(now)

    def due(self, now: datetime) -> list[Alert]:
        """Alerts whose moment has come; cheap when none is due. `crossed` lists every ticket
        that changed colour stage meanwhile, alert or not (e.g. into "under 1 h"), since that can
        move it in the queue's order."""
        out: list[Alert] = []
        self.crossed = []
        # A countdown changes stage the moment it is strictly past the threshold (at exactly the
        # breach time it shows 0 and is not yet breached), hence `<` here and `>=` when rescheduling.
        while self._heap and self._heap[0][0] < now:
            _, key = heapq.heappop(self._heap)
            t = self._tickets.get(key)
            if t is None:
                continue
            self.crossed.append(key)
            out += self._check(t, now)
            when = next_crossing(t, now)
            if when is not None and when >= now:
                heapq.heappush(self._heap, (when, key))
        return out

    def _check(self, t: Ticket, now: datetime) -> list[Alert]:
        out = []
        clock = next_clock(t, now)
        st = stage(clock, now)
        if st == Stage.BREACHED and clock is not None:
            out.append(self._fire("breached", t, f"{t.key} breached its SLA ({clock.name}): {t.summary}"))
        elif st == Stage.UNDER_30M and clock is not None:
            mins = int(remaining(clock, now).total_seconds() // 60)
            out.append(self._fire("under_30m", t, f"{t.key} breaches in {mins} min: {t.summary}"))
        if t.assignee is None and t.status_category != "done" and now - t.created >= self.unassigned_after:
            mins = int((now - t.created).total_seconds() // 60)
            out.append(self._fire("unassigned", t, f"{t.key} unassigned for {mins} min: {t.summary}"))
        return [a for a in out if a is not None]

    def _fire(self, kind: str, t: Ticket, text: str) -> Alert | None:
        if (t.key, kind) in self.fired:
            return None
        self.fired.add((t.key, kind))
        return Alert(kind, t.key, text)


def stale_text(since: datetime, reason: str, retry_at: datetime | None, local: bool = True) -> str:
    """The stale banner: since when and why."""
    def hm(dt: datetime) -> str:
        return (dt.astimezone() if local else dt).strftime("%H:%M:%S")

    why = reason
    if retry_at is not None:
        why = f"rate limited until {(retry_at.astimezone() if local else retry_at).strftime('%H:%M')}"
    return f"⚠ Data stale since {hm(since)}: {why}. Countdowns continue from the last data; retrying."
