"""The detail view's facts read as an agent means them: a finished SLA cycle says whether it met its
goal instead of a countdown of 0m 00s, and a closed ticket is not said to wait on anyone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.console import Console

from queue_tui.core.models import SlaClock, Ticket
from queue_tui.ui.screens.detail import render_ticket

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def _text(t: Ticket) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(render_ticket(t, list(t.slas), NOW))
    return console.export_text()


def _sla(completed: bool, breached: bool) -> SlaClock:
    return SlaClock("Time to first response", 7_200_000, 0, None, False, breached, completed, NOW)


def test_a_finished_first_response_says_met_or_breached_not_zero_left() -> None:
    met = Ticket("1", "SS-1", "Inverter offline", "Waiting for customer", "indeterminate", "Medium",
                 NOW - timedelta(hours=3), NOW, slas=(_sla(True, False),))
    text = _text(met)
    assert "completed, met" in text and "0m 00s" not in text
    late = Ticket("2", "SS-2", "Inverter offline", "Waiting for customer", "indeterminate", "Medium",
                  NOW - timedelta(hours=3), NOW, slas=(_sla(True, True),))
    assert "completed, breached" in _text(late)


def test_a_closed_ticket_is_not_said_to_wait_on_anyone() -> None:
    closed = Ticket("3", "SS-3", "Thanks!", "Closed", "done", "Medium", NOW - timedelta(hours=3), NOW)
    text = _text(closed)
    assert "Closed" in text and "waiting on" not in text
    open_ = Ticket("4", "SS-4", "Help", "Waiting for support", "indeterminate", "Medium", NOW - timedelta(hours=3), NOW)
    assert "(waiting on support)" in _text(open_)
