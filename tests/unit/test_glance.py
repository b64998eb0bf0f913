"""The queue at a glance: stage counts, the breach horizon, the next ticket to take, who holds what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from queue_tui.core.glance import (
    bar_row,
    breach_horizon,
    count_stages,
    next_to_take,
    team_load,
    ticket_stage,
    unassigned_by_age,
)
from queue_tui.core.models import Organization, Person, SlaClock, Ticket
from queue_tui.core.priority import PriorityRule
from queue_tui.core.sla import Stage

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
ANA, BO = Person("u1", "Ana"), Person("u2", "Bo")


def ticket(key: str, left_min: float, assignee: Person | None = None, *, paused: bool = False, org: str = "",
           created_ago: float = 5, updated_ago: float = 0) -> Ticket:
    left = timedelta(minutes=left_min)
    sla = SlaClock("Time to first response", 7_200_000, int(left.total_seconds() * 1000),
                   None if paused else NOW + left, paused, left_min < 0, False, NOW)
    return Ticket(key, key, f"Ticket {key}", "Waiting for support", "new", "Medium", NOW - timedelta(minutes=created_ago),
                  NOW - timedelta(minutes=updated_ago), assignee=assignee, slas=(sla,),
                  organizations=(Organization(1, org),) if org else ())


def test_counts_per_stage_are_the_rows_own_stages() -> None:
    tickets = [ticket("SS-1", -5), ticket("SS-2", -90, ANA), ticket("SS-3", 12), ticket("SS-4", 45, BO),
               ticket("SS-5", 300), ticket("SS-6", -10, paused=True)]
    c = count_stages(tickets, NOW)
    assert (c.breached, c.under_30m, c.under_1h, c.plenty, c.paused, c.unassigned) == (2, 1, 1, 1, 1, 4)
    assert c.breached == sum(ticket_stage(t, NOW) == Stage.BREACHED for t in tickets)
    assert c.summary() == "2 breached, 1 under 30 min, 1 under 1 h, 4 unassigned"


def test_the_horizon_puts_each_running_countdown_in_its_ten_minute_slot() -> None:
    tickets = [ticket("SS-1", 3), ticket("SS-2", 9), ticket("SS-3", 15), ticket("SS-4", 119),
               ticket("SS-5", 121), ticket("SS-6", -1), ticket("SS-7", 5, paused=True)]
    assert breach_horizon(tickets, NOW) == [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_take_next_is_the_most_urgent_unassigned_priority_installers_first_at_an_equal_stage() -> None:
    prio = PriorityRule.of(["Helios"], [])
    tickets = [ticket("SS-1", -50, ANA), ticket("SS-2", 20), ticket("SS-3", 25, org="Helios"), ticket("SS-4", 90)]
    assert next_to_take(tickets, NOW, prio).key == "SS-3"  # type: ignore[union-attr]
    assert next_to_take(tickets, NOW, PriorityRule()).key == "SS-2"  # type: ignore[union-attr]
    assert next_to_take([ticket("SS-1", 5, ANA)], NOW, prio) is None


def test_take_next_takes_a_priority_installers_ticket_before_any_other_however_urgent() -> None:
    prio = PriorityRule.of(["Helios"], [])
    tickets = [ticket("SS-1", -10), ticket("SS-2", 300, org="Helios"), ticket("SS-3", 90, org="Helios"), ticket("SS-4", 5)]
    assert next_to_take(tickets, NOW, prio).key == "SS-3"  # type: ignore[union-attr]
    assert next_to_take([ticket("SS-1", -10), ticket("SS-4", 5)], NOW, prio).key == "SS-1"  # type: ignore[union-attr]


def test_team_load_per_assignee_with_nobody_last() -> None:
    tickets = [ticket("SS-1", -5, ANA, updated_ago=300), ticket("SS-2", 10, ANA), ticket("SS-3", -1, BO),
               ticket("SS-4", -2, BO), ticket("SS-5", 200, BO), ticket("SS-6", 200)]
    rows = team_load(tickets, NOW)
    assert [(h.person.name if h.person else None, h.held, h.breached, h.under_30m) for h in rows] == [
        ("Bo", 3, 2, 0), ("Ana", 2, 1, 1), (None, 1, 0, 0)]
    assert rows[1].untouched_for(NOW) == timedelta(minutes=300)


def test_unassigned_by_age_buckets() -> None:
    tickets = [ticket("SS-1", 50, created_ago=5), ticket("SS-2", 50, created_ago=30), ticket("SS-3", 50, created_ago=3000),
               ticket("SS-4", 50, ANA, created_ago=3000)]
    assert [(label, keys) for label, keys in unassigned_by_age(tickets, NOW) if keys] == [
        ("over a day", ["SS-3"]), ("20 min–1 h", ["SS-2"]), ("under 20 min", ["SS-1"])][::-1]


def test_bar_row_scales_to_the_largest_and_marks_empty_slots() -> None:
    assert bar_row([0, 1, 4]) == "·▂█"
    assert bar_row([0, 0]) == "··"
    assert bar_row([0, 2, 4], ascii_only=True) == ".=%"
