"""SLA countdown maths: remaining time, stages, the fallback clock, and the countdown text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from queue_tui.core.models import SlaClock, Ticket
from queue_tui.core.sla import Stage, format_remaining, next_clock, remaining, sla_text, stage

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def clock(left_min: float, paused: bool = False, completed: bool = False, name: str = "TTFR") -> SlaClock:
    left = timedelta(minutes=left_min)
    return SlaClock(name, 7_200_000, int(left.total_seconds() * 1000), None if paused else NOW + left, paused,
                    left < timedelta(0), completed, NOW)


@pytest.mark.parametrize(("minutes", "text"), [
    (125, "2h 05m"), (61, "1h 01m"), (47.5, "47m"), (10, "10m"), (9.99, "9m 59s"), (0.5, "0m 30s"),
    (-0.5, "-0m 30s"), (-9, "-9m 00s"), (-12, "-12m"), (-185, "-3h 05m"),
])
def test_countdown_text(minutes: float, text: str) -> None:
    assert format_remaining(timedelta(minutes=minutes)) == text


@pytest.mark.parametrize(("minutes", "expected"), [
    (90, Stage.PLENTY), (59, Stage.UNDER_1H), (29, Stage.UNDER_30M), (-1, Stage.BREACHED),
])
def test_colour_stages(minutes: float, expected: Stage) -> None:
    assert stage(clock(minutes), NOW) == expected


def test_paused_clock_holds_still_and_is_marked() -> None:
    c = clock(40, paused=True)
    assert remaining(c, NOW + timedelta(hours=3)) == timedelta(minutes=40)
    assert stage(c, NOW) == Stage.PAUSED
    assert sla_text(c, NOW) == "‖ 40m"  # not the pause symbol, an empty box in common fonts


def test_running_clock_counts_down_from_breach_time() -> None:
    c = clock(30)
    assert remaining(c, NOW + timedelta(minutes=45)) == timedelta(minutes=-15)


def _ticket(*slas: SlaClock, created: datetime = NOW - timedelta(minutes=30)) -> Ticket:
    return Ticket("SS-1", "1", "x", "Waiting for support", "new", "Medium", created, created, slas=slas)


def test_next_clock_is_the_nearest_running_breach() -> None:
    soon, later, paused = clock(20, name="A"), clock(200, name="B"), clock(5, paused=True, name="C")
    assert next_clock(_ticket(later, paused, soon), NOW) == soon
    assert next_clock(_ticket(paused), NOW) == paused
    assert next_clock(_ticket(clock(5, completed=True)), NOW) is None


def test_without_jsm_sla_the_sop_two_hours_from_creation_applies() -> None:
    c = next_clock(_ticket(created=NOW - timedelta(minutes=110)), NOW)
    assert c is not None and c.computed
    assert remaining(c, NOW) == timedelta(minutes=10)
