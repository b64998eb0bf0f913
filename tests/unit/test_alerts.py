"""When alerts fire: stage crossings scheduled ahead, each alert once, and every stage change
reported so the queue can move the ticket, including a tick that lands on the breach instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from queue_tui.core.alerts import Watch
from queue_tui.core.models import Person, SlaClock, Ticket
from queue_tui.core.snapshot import Diff

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
ANA = Person("u1", "Ana")


def ticket(key: str, left_min: float, assignee: Person | None = ANA) -> Ticket:
    left = timedelta(minutes=left_min)
    sla = SlaClock("Time to first response", 7_200_000, int(left.total_seconds() * 1000), NOW + left, False, False,
                   False, NOW)
    return Ticket(key, key, f"Ticket {key}", "Waiting for support", "new", "Medium", NOW - timedelta(minutes=5),
                  NOW, assignee=assignee, slas=(sla,))


def start(*tickets: Ticket) -> Watch:
    w = Watch()
    w.on_poll(Diff(added=tuple(t.key for t in tickets), first=True), {t.key: t for t in tickets}, NOW)
    return w


def test_breach_fires_once_even_when_a_tick_lands_on_the_breach_instant() -> None:
    w = start(ticket("SS-1", 10))
    assert [a.kind for a in w.due(NOW + timedelta(minutes=10))] == []  # shows 0m 00s: not breached yet
    alerts = w.due(NOW + timedelta(minutes=10, seconds=1))
    assert [(a.kind, a.key) for a in alerts] == [("breached", "SS-1")]
    assert w.crossed == ["SS-1"]
    assert w.due(NOW + timedelta(minutes=11)) == []
    assert w.crossed == []


def test_under_30_minutes_then_breach_in_order() -> None:
    w = start(ticket("SS-2", 31))
    assert w.due(NOW + timedelta(seconds=30)) == []
    assert [a.kind for a in w.due(NOW + timedelta(minutes=1, seconds=1))] == ["under_30m"]
    assert [a.kind for a in w.due(NOW + timedelta(minutes=31, seconds=1))] == ["breached"]


def test_crossing_into_under_an_hour_reports_a_stage_change_without_an_alert() -> None:
    w = start(ticket("SS-3", 61))
    assert w.due(NOW + timedelta(minutes=1, seconds=1)) == []
    assert w.crossed == ["SS-3"], "the ticket changed colour stage, so its place in the queue may change"


def test_an_unassigned_ticket_alerts_once_after_the_configured_age() -> None:
    w = start(ticket("SS-4", 500, assignee=None))  # created 5 minutes before NOW
    assert w.due(NOW + timedelta(minutes=14)) == []
    alerts = w.due(NOW + timedelta(minutes=15, seconds=1))
    assert [a.kind for a in alerts] == ["unassigned"]
    assert w.due(NOW + timedelta(minutes=40)) == []


def test_the_opening_summary_counts_every_breached_row_not_only_those_with_an_alert_scheduled() -> None:
    tickets = [ticket(f"SS-{i}", -30 - i) for i in range(4)] + [ticket("SS-10", 20), ticket("SS-11", 25)]
    [summary] = Watch().on_poll(Diff(added=tuple(t.key for t in tickets), first=True), {t.key: t for t in tickets}, NOW)
    assert summary.text == "Queue loaded: 4 breached, 2 under 30 min"
