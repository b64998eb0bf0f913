"""The queue table's columns fit its width: dropped and narrowed in a declared order, cut with an
ellipsis, one column per SLA goal when there is room."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from queue_tui.core.models import Organization, SlaClock, Ticket
from queue_tui.ui.queue_colours import MARKS
from queue_tui.ui.widgets.queue_cells import time_cells
from queue_tui.ui.widgets.queue_columns import Columns
from queue_tui.ui.widgets.table_render import clip

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def ticket(n: int, priority: str = "Medium", goals: int = 2) -> Ticket:
    names = ["Time to first response", "Time to resolution"][:goals]
    slas = tuple(SlaClock(name, 7_200_000, 3_600_000 * (i + 1), NOW + timedelta(hours=i + 1), False, False, False, NOW)
                 for i, name in enumerate(names))
    return Ticket(f"SS-{n}", str(n), "A summary long enough to be cut at narrow widths", "Waiting for support",
                  "indeterminate", priority, NOW - timedelta(hours=2), NOW, organizations=(Organization(1, "Mesa Solar"),),
                  slas=slas)


def columns(width: int, priorities: tuple[str, ...] = ("Medium",), goals: int = 2) -> Columns:
    ts = {t.key: t for t in (ticket(i, priorities[i % len(priorities)], goals) for i in range(1, 20))}
    cols = Columns()
    cols.learn_goals(ts)
    time = {k: time_cells(t, NOW, cols.goals, MARKS) for k, t in ts.items()}
    cols.measure(ts, ts, time, {})
    cols.place(width)
    return cols


def ids(cols: Columns) -> list[str]:
    return [p.id for p in cols.placed]


@pytest.mark.parametrize("width", [20, 36, 60, 80, 100, 160, 200])
def test_sla_and_key_never_drop_and_nothing_overflows(width: int) -> None:
    cols = columns(width)
    shown = ids(cols)
    assert ("sla" in shown or any(c.startswith("goal:") for c in shown)) and "key" in shown
    if width >= 36:
        assert cols.placed[-1].x + cols.placed[-1].width <= width


def test_assignee_and_age_stay_at_100_columns_and_the_least_needed_go_first() -> None:
    at100, at80, at200 = ids(columns(100)), ids(columns(80)), ids(columns(200))
    assert {"assignee", "age", "org", "summary"} <= set(at100)
    assert {"assignee", "age", "summary"} <= set(at80)
    assert {"status", "rtype", "assignee", "age", "org"} <= set(at200)
    assert "rtype" not in at80 and "status" not in at80


def test_one_column_per_sla_goal_headed_by_jsm_names_when_there_is_room() -> None:
    wide = columns(200)
    heads = {p.id: p.header for p in wide.placed}
    assert heads["goal:Time to first response"] == "Time to first response"
    assert heads["goal:Time to resolution"] == "Time to resolution"
    assert "sla" not in heads
    narrow = ids(columns(80))
    assert "sla" in narrow and not any(c.startswith("goal:") for c in narrow)
    assert "sla" in ids(columns(200, goals=1)), "a desk with one SLA shows one countdown column"


def test_goal_columns_show_only_with_a_header_that_names_them() -> None:
    for width in range(60, 201, 5):
        heads = [p.header for p in columns(width).placed if p.id.startswith("goal:")]
        assert heads in ([], ["First response", "Resolution"], ["Time to first response", "Time to resolution"]), width


def test_a_priority_column_only_where_priorities_differ() -> None:
    assert "priority" not in ids(columns(200))
    assert "priority" in ids(columns(200, priorities=("High", "Medium")))


def test_the_sla_column_is_as_wide_as_its_content() -> None:
    sla = next(p for p in columns(80).placed if p.id == "sla")
    assert sla.width == len(MARKS["plenty"]) + 1 + len("1h 00m")


def test_text_too_long_is_cut_with_an_ellipsis() -> None:
    assert clip("Industry-wide Data Change", 12) == "Industry-wi…"
    assert clip("SS-1", 6, "right") == "  SS-1"
    assert clip("宽字符宽字符", 5) == "宽字…"


def test_the_filter_finds_what_a_cell_shows_untyped_included() -> None:
    from dataclasses import replace

    from queue_tui.core.models import RequestType
    from queue_tui.ui.widgets.queue_cells import matches

    untyped = ticket(1)
    typed = replace(ticket(2), request_type=RequestType("7", "General Inquiry"))
    assert matches(untyped, "untyped") and not matches(typed, "untyped")
    assert matches(typed, "general inquiry") and matches(untyped, "mesa untyped")
