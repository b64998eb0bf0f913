"""The table's row order: lasting sort keys keep the urgency order as time passes, and the sorted
list finds, moves and removes tickets by binary search."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_tui.core.models import Organization, SlaClock, Ticket
from queue_tui.core.priority import PriorityRule
from queue_tui.core.sla import next_clock, stage
from queue_tui.core.urgency import lasting_sort_key, urgency_key
from queue_tui.ui.widgets.row_order import RowOrder

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
ORGS = PriorityRule.of(["Helios Home Power"], [])


def ticket(n: int, minutes_left: float, paused: bool = False, pi: bool = False, completed: bool = False) -> Ticket:
    left = timedelta(minutes=minutes_left)
    clock = SlaClock("Time to first response", 7_200_000, int(left.total_seconds() * 1000),
                     None if paused else NOW + left, paused, left < timedelta(0), completed, NOW)
    orgs = (Organization(1, "Helios Home Power"),) if pi else (Organization(2, "Mesa Solar"),)
    return Ticket(f"SS-{n}", str(n), "s", "Waiting for support", "indeterminate", "Medium", NOW - timedelta(hours=3),
                  NOW, organizations=orgs, slas=(clock,))


tickets_st = st.lists(st.tuples(st.floats(-300, 300), st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(tickets_st, st.integers(0, 240))
def test_keys_taken_earlier_still_sort_like_a_fresh_sort_while_no_stage_changes(specs: list[tuple[float, bool, bool, bool]],
                                                                                 later_min: int) -> None:
    ts = [ticket(i, left, paused, pi, done) for i, (left, paused, pi, done) in enumerate(specs)]
    earlier = {t.key: lasting_sort_key("urgency", NOW, ORGS)(t) for t in ts}
    later = NOW + timedelta(minutes=later_min)
    same_stage = [t for t in ts if stage(next_clock(t, NOW), NOW) == stage(next_clock(t, later), later)]
    assert sorted((t.key for t in same_stage), key=earlier.__getitem__) == \
        sorted((t.key for t in same_stage), key=lambda k: urgency_key(next(t for t in ts if t.key == k), later, ORGS))


def test_re_placing_the_crossed_tickets_gives_the_order_of_a_full_sort() -> None:
    rng = random.Random(7)
    ts = {t.key: t for t in (ticket(i, rng.uniform(-120, 180), rng.random() < 0.1, rng.random() < 0.2) for i in range(300))}
    order = RowOrder()
    order.rebuild(lasting_sort_key("urgency", NOW, ORGS)(t) for t in ts.values())
    for minute in range(1, 200, 7):
        now = NOW + timedelta(minutes=minute)
        before = NOW + timedelta(minutes=minute - 7)
        crossed = [k for k, t in ts.items() if stage(next_clock(t, before), before) != stage(next_clock(t, now), now)]
        for k in crossed:
            order.place(k, lasting_sort_key("urgency", now, ORGS)(ts[k]))
        assert list(order) == sorted(ts, key=lambda k: urgency_key(ts[k], now, ORGS)), f"at +{minute} min"


def test_a_move_reports_where_the_row_was_and_went() -> None:
    order = RowOrder()
    order.rebuild([(1, "A"), (2, "B"), (3, "C"), (4, "D")])
    assert order.place("D", (0, "D")) == (3, 0)
    assert order.keys() == ["D", "A", "B", "C"]
    assert order.index_of("B") == 2 and order.key_at(2) == "B"
    assert order.remove("A") == 1 and "A" not in order and len(order) == 3
    assert order.place("E", (9, "E")) == (None, 3)
    assert order.index_of("A") is None
