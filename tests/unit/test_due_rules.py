"""The due-date rules of cs-ticket-creation.txt, table-tested, plus properties that must always hold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from queue_tui.core.calendar import BusinessCalendar
from queue_tui.core.due_rules import (
    DEFAULT_RULES,
    STANDARD,
    DueRule,
    apply_offset,
    choices,
    due_dates,
    field_value,
    suggested_choices,
)

CAL = BusinessCalendar(UTC)
WED = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
FRI_EVENING = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
SAT = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
CHANNEL_PARTNER = DueRule("Channel partner request", "3bd", "2bd", "3bd")


def _dates(filed: datetime, issue_type: str = "Task", chosen: str = "", top: bool = False,
           playbook: DueRule | None = None, cal: BusinessCalendar = CAL) -> tuple[str, str, str, str]:
    d = due_dates(cal, filed, issue_type, top, DEFAULT_RULES, playbook, frozenset(chosen.split()))
    return (cal.due_date(d.due).isoformat(), cal.due_date(d.config).isoformat(), cal.due_date(d.qa).isoformat(), d.rule)


@pytest.mark.parametrize(("filed", "issue_type", "chosen", "top", "expected", "rule_word"), [
    # Standard: due 72 h, configuration 24 h, QA 48 h, weekends not counted.
    (WED, "Task", "", False, ("2026-11-23", "2026-11-19", "2026-11-20"), "Standard"),
    (FRI_EVENING, "Task", "", False, ("2026-11-25", "2026-11-23", "2026-11-24"), "Standard"),
    (SAT, "Task", "", False, ("2026-11-25", "2026-11-23", "2026-11-24"), "Standard"),
    # Integrated financing, basic onboarding, a configuration error blocking jobs: 24 h for all three.
    (WED, "Int Fin", "", False, ("2026-11-19",) * 3, "Integrated financing"),
    (FRI_EVENING, "Int Fin", "", False, ("2026-11-23",) * 3, "Integrated financing"),
    # Basic onboarding and blocking jobs are the agent's choices on the form, not the issue type's.
    (WED, "Onboarding", "basic_onboarding", False, ("2026-11-19",) * 3, "Basic onboarding"),
    (SAT, "Onboarding", "basic_onboarding", False, ("2026-11-23",) * 3, "Basic onboarding"),
    (WED, "Onboarding", "", False, ("2026-11-23", "2026-11-19", "2026-11-20"), "Standard"),
    (WED, "Task", "blocking_jobs", False, ("2026-11-19",) * 3, "blocking jobs"),
    # Top tier: next business day for everything but documents.
    (WED, "Config Finance", "", True, ("2026-11-19",) * 3, "Top-tier"),
    (FRI_EVENING, "Task", "", True, ("2026-11-23",) * 3, "Top-tier"),
    (SAT, "Task", "", True, ("2026-11-23",) * 3, "Top-tier"),
    (WED, "Doc", "", True, ("2026-11-23", "2026-11-19", "2026-11-20"), "Standard"),
    (FRI_EVENING, "Doc", "", True, ("2026-11-25", "2026-11-23", "2026-11-24"), "Standard"),
])
def test_due_dates_follow_the_sop(filed: datetime, issue_type: str, chosen: str, top: bool,
                                  expected: tuple[str, str, str], rule_word: str) -> None:
    *dates, rule = _dates(filed, issue_type, chosen, top)
    assert tuple(dates) == expected
    assert rule_word in rule


def test_a_playbook_brings_its_own_offsets() -> None:
    assert _dates(WED, playbook=CHANNEL_PARTNER)[:3] == ("2026-11-23", "2026-11-20", "2026-11-23")
    assert _dates(FRI_EVENING, playbook=CHANNEL_PARTNER)[:3] == ("2026-11-25", "2026-11-24", "2026-11-25")


def test_team_holidays_are_skipped() -> None:
    thanksgiving = BusinessCalendar(UTC, [date(2026, 11, 26)])
    wed = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    due, config, qa, _ = _dates(wed, cal=thanksgiving)
    assert config == "2026-11-27"  # Thursday is a holiday: 24 h lands on Friday
    assert qa == "2026-11-30" and due == "2026-12-01"


def test_dates_are_written_in_each_fields_form() -> None:
    d = due_dates(CAL, WED, "Task", False)
    assert field_value(d.config, "date", CAL) == "2026-11-19"
    assert field_value(d.qa, "datetime", CAL) == "2026-11-20T15:00:00.000+0000"


def test_a_rule_with_a_bad_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="not like 24h"):
        DueRule("typo", "3 days", "24h", "48h")


filings = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)).map(lambda d: d.replace(tzinfo=UTC))


@settings(max_examples=300, deadline=None)
@given(filed=filings, issue_type=st.sampled_from(["Doc", "Onboarding", "Int Fin", "Config Finance", "Task"]),
       top=st.booleans(), blocking=st.booleans())
def test_due_dates_never_land_on_a_weekend(filed: datetime, issue_type: str, top: bool, blocking: bool) -> None:
    d = due_dates(CAL, filed, issue_type, top, chosen=frozenset({"blocking_jobs"} if blocking else ()))
    for moment in (d.due, d.config, d.qa):
        assert CAL.due_date(moment).weekday() < 5


@settings(max_examples=300, deadline=None)
@given(filed=filings, rule=st.sampled_from(DEFAULT_RULES + (CHANNEL_PARTNER,)))
def test_no_deadline_is_earlier_than_its_rule_allows(filed: datetime, rule: DueRule) -> None:
    """Skipping weekends only ever adds time: a deadline is at least the rule's offset after filing,
    and never more than the offset plus the weekends in between."""
    for offset in (rule.due, rule.config, rule.qa):
        moment = apply_offset(CAL, filed, offset)
        if offset == "nbd":
            assert CAL.due_date(moment) > filed.date()
            continue
        span = timedelta(hours=float(offset[:-1])) if offset.endswith("h") else timedelta(days=int(offset[:-2]))
        assert moment >= filed + span - timedelta(seconds=1)
        weekends = (span.days // 5 + 2) * 2 + 1
        assert moment <= filed + span + timedelta(days=weekends)


@settings(max_examples=200, deadline=None)
@given(filed=filings)
def test_exceptions_are_never_slower_than_standard(filed: datetime) -> None:
    std = due_dates(CAL, filed, "Task", False, (STANDARD,))
    for issue_type, chosen in (("Int Fin", ""), ("Onboarding", "basic_onboarding"), ("Task", "blocking_jobs")):
        fast = due_dates(CAL, filed, issue_type, False, chosen=frozenset(chosen.split()))
        assert fast.due <= std.due



def test_the_form_asks_about_basic_onboarding_and_blocking_jobs_and_the_words_only_suggest() -> None:
    assert [r.question for r in choices(DEFAULT_RULES)] == ["basic_onboarding", "blocking_jobs"]
    said = suggested_choices(DEFAULT_RULES, "New installer.\nThis is a basic onboarding, logo and two users.")
    assert said == {"basic_onboarding": "This is a basic onboarding, logo and two users."}
    assert suggested_choices(DEFAULT_RULES, "Full onboarding with custom contracts and 40 users.") == {}
    # A mention alone applies nothing: only the agent's choice does.
    assert "Standard" in due_dates(CAL, WED, "Onboarding", False).rule


def test_a_teams_rule_with_keywords_is_a_choice_too() -> None:
    rush = DueRule("Rush: next business day", "nbd", "nbd", "nbd", keywords=("rush",))
    assert rush.question == rush.name
    assert not rush.applies("Task", False)
    assert rush.applies("Task", False, frozenset({rush.name}))
