"""Where the triage SOPs put a step after another, or say how a heads-up goes out: the Technical
Support bug ticket after the root cause is ruled out, the account manager's Slack heads-up on a
cancellation, and the non-platform status only after its fields."""

from __future__ import annotations

import pytest

from queue_tui.core.context import StepProgress
from queue_tui.core.models import Organization, RequestType
from queue_tui.core.plan import apply_list
from queue_tui.core.playbook import ManualSpec, Playbook
from queue_tui.service.playbooks import PACK, load_all
from tests.unit.test_playbook_engine import NOW, RACHEL, ticket
from tests.unit.test_sop_steps import steps


@pytest.fixture(scope="module")
def books() -> dict[str, Playbook]:
    found, problems = load_all([PACK])
    assert problems == []
    return found


def test_the_bug_ticket_for_dev_waits_until_user_error_browser_and_hardware_are_ruled_out(
        books: dict[str, Playbook]) -> None:
    t = ticket(summary="Proposal PDF fails", request_type=RequestType("2", "Technical Support"))
    plans = steps(books["triage"], t)
    assert plans["root_cause"].status == "manual"
    assert plans["bug_ticket"].status == "waiting" and "Rule out user error" in plans["bug_ticket"].change
    ruled_out = {"root_cause": StepProgress("done", NOW, "Alex Rivera")}
    assert steps(books["triage"], t, progress=ruled_out)["bug_ticket"].status == "manual"


def test_a_cancellation_heads_up_is_a_slack_message_to_copy_naming_the_account_manager(
        books: dict[str, Playbook]) -> None:
    t = ticket(summary="Cancel our subscription", request_type=RequestType("6", "Account Management"),
               organizations=(Organization(15, "Redwood Power Systems"),))
    step = books["triage"].step("cancellation_am")
    assert step is not None and isinstance(step.spec, ManualSpec)  # nothing is written to Jira
    plan = steps(books["triage"], t, request_types={"account management": "6"})["cancellation_am"]
    assert plan.status == "manual" and plan.op is None
    assert "Hi Rachel Kim, heads up: Redwood Power Systems asked to cancel" in plan.change
    assert "Account manager: Rachel Kim" in plan.change


def test_the_non_platform_status_comes_after_its_fields_and_never_before_them(books: dict[str, Playbook]) -> None:
    junk = {"attention": StepProgress("chosen", NOW, "Alex Rivera", "junk")}
    t = ticket(summary="Meet us at RE+ 2026", reporter=RACHEL)  # the reporter is a colleague's: the agent decides
    plans = steps(books["non-platform"], t, progress=junk)
    close = plans["close"]
    assert close.status == "waiting" and "reporter" in close.held_by
    listed = apply_list(list(plans.values()))
    assert "close" not in [p.step.id for p in listed.steps]  # G cannot close before the reporter is settled
    # With every field a plain to-do, one G makes them and then closes, in the SOP's order.
    clean = steps(books["non-platform"], ticket(summary="Meet us at RE+ 2026", reporter=None), progress=junk)
    ids = [p.step.id for p in apply_list(list(clean.values())).steps]
    assert ids[-1] == "close" and {"organization", "assignee", "reporter", "request_type"} <= set(ids), ids
