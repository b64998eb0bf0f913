"""everbright-partner-onboarding.txt, step 5: the separate approval ticket (linked, then closed as a
duplicate, never over a colleague) and the CS ticket moved back to the site's own to-do status."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_tui.core import ops
from queue_tui.core.context import StepProgress
from queue_tui.core.models import LinkedIssue, Person, Ticket
from queue_tui.core.plan import remaining
from queue_tui.core.playbook import Playbook
from queue_tui.core.step_plan import StepPlan
from queue_tui.service.playbooks import PACK, load_all
from tests.unit.test_playbook_engine import DAVID, NOW, SAM
from tests.unit.test_sop_steps import _cs, _onboarding, steps

CUSTOMER = Person("cust-1", "Olivia Park", "olivia@redwoodpower.com")
PRIYA = Person("priya-1", "Priya Nair", "priya.nair@goeverbright.com")


@pytest.fixture(scope="module")
def pb() -> Playbook:
    found, problems = load_all([PACK])
    assert problems == []
    return found["everbright-onboarding"]


def _link(kind: str = "Duplicate") -> tuple[LinkedIssue, ...]:
    return (LinkedIssue("SS-1", "duplicates", "EverBright Partner Onboarding", "Waiting for support", "new",
                        "Service Request", "Medium", kind),)


def _his(**kw: object) -> Ticket:
    from tests.unit.test_playbook_engine import ticket
    base: dict[str, object] = dict(key="SS-60", summary="RE: EverBright Partner Onboarding - Redwood Power Systems approved",
                                   description="Approved to push live.", reporter=DAVID, created=NOW - timedelta(minutes=5))
    base.update(kw)
    return ticket(**base)


def _customers(**kw: object) -> Ticket:
    from tests.unit.test_playbook_engine import ticket
    base: dict[str, object] = dict(key="SS-33", summary="Question about financing options (Redwood Power Systems)",
                                   description="Which loans can we offer?", reporter=CUSTOMER,
                                   created=NOW - timedelta(minutes=2))
    base.update(kw)
    return ticket(**base)


def _plans(pb: Playbook, related: tuple[Ticket, ...], **kw: object) -> dict[str, StepPlan]:
    return steps(pb, _onboarding(), cs=_cs(), related=related, **kw)


def test_a_customers_ticket_naming_the_installer_is_not_linked_with_the_approvers(pb: Playbook) -> None:
    link = _plans(pb, (_customers(), _his()))["link_approval"]
    assert link.status == "suggested" and link.op == ops.Link("SS-60", ("SS-1",), "Duplicate", link.op.marker)  # type: ignore[union-attr]
    assert "SS-60" in link.change and "e for another (SS-33)" in link.change
    assert link.evidence is not None and link.evidence.author == DAVID


def test_the_agent_picks_another_candidate_or_none(pb: Playbook) -> None:
    picked = {"link_approval": StepProgress("chosen", NOW, "Alex Rivera", "SS-33")}
    link = _plans(pb, (_customers(), _his()), progress=picked)["link_approval"]
    assert link.status == "todo" and isinstance(link.op, ops.Link) and link.op.key == "SS-33" and link.op.others == ("SS-1",)
    none = {"link_approval": StepProgress("chosen", NOW, "Alex Rivera", "none")}
    plans = _plans(pb, (_customers(), _his()), progress=none)
    assert plans["link_approval"].status == "skip" and plans["link_approval"].op is None
    assert plans["close_approval"].status == "skip"


def test_a_ticket_linked_for_another_reason_is_never_closed_as_the_duplicate(pb: Playbook) -> None:
    related = (_customers(links=_link("Relates")),)
    close = _plans(pb, related)["close_approval"]
    assert close.op is None
    assert close.status in ("waiting", "skip")


def test_the_linked_approval_ticket_is_closed_as_a_duplicate(pb: Playbook) -> None:
    close = _plans(pb, (_his(links=_link()),))["close_approval"]
    assert close.status == "todo" and close.op == ops.TransitionMany(("SS-60",), "Closed", "Duplicate", ("Waiting for support",))
    assert [w.line() for w in close.writes()] == ["SS-60  status: Waiting for support → Closed (Duplicate)"]


def test_an_approval_ticket_a_colleague_already_closed_is_left_as_it_is(pb: Playbook) -> None:
    closed = _his(links=_link(), status="Done", status_category="done", resolution="Done")
    close = _plans(pb, (closed,))["close_approval"]
    assert close.status == "met" and close.op is None and "SS-60: Done (Done)" in close.current


def test_an_approval_ticket_a_colleague_holds_is_closed_only_on_the_agents_answer(pb: Playbook) -> None:
    held = _his(links=_link(), assignee=PRIYA)
    plans = _plans(pb, (held,))
    close = plans["close_approval"]
    assert close.status == "decide" and "SS-60 is assigned to Priya Nair" in close.problem
    assert all(p.step.id != "close_approval" for p in remaining(list(plans.values())))
    mine = _plans(pb, (_his(links=_link(), assignee=SAM),), me=SAM)["close_approval"]
    assert mine.status == "todo"  # the agent's own


# -- the CS ticket back to the site's to-do status -----------------------------------------------------
APPROVED = {"wait_approval": StepProgress("confirmed", NOW, "Alex Rivera", "Approved to push live.")}


def test_the_cs_ticket_goes_back_to_to_do_through_the_sites_own_transition(pb: Playbook) -> None:
    moves = {"CS-30": (("Back to To Do", "To Do"), ("Done", "Done"))}
    to_do = _plans(pb, (), progress=APPROVED, transitions=moves)["cs_to_do"]
    assert to_do.status == "todo" and to_do.op == ops.Transition("CS-30", "To Do")
    assert [w.line() for w in to_do.writes()] == ["CS-30  status: On Hold → To Do"]
    by_name = {"CS-30": (("To Do", "Selected"), ("Done", "Done"))}  # the transition is called To Do
    assert _plans(pb, (), progress=APPROVED, transitions=by_name)["cs_to_do"].op == ops.Transition("CS-30", "Selected")


def test_a_site_without_a_to_do_move_says_so_before_anything_is_sent_and_the_agent_picks_the_status(
        pb: Playbook) -> None:
    moves = {"CS-30": (("Reopen", "Backlog"), ("Start", "In Progress"), ("Done", "Done"))}
    plans = _plans(pb, (), progress=APPROVED, transitions=moves)
    to_do = plans["cs_to_do"]
    assert to_do.status == "blocked" and to_do.op is None
    assert "CS-30 cannot move to “To Do” from On Hold" in to_do.problem and "Backlog, Done, In Progress" in to_do.problem
    assert all(p.step.id != "ask_push_live" for p in remaining(list(plans.values())))  # Config is not asked yet
    picked = {**APPROVED, "cs_to_do": StepProgress("chosen", NOW, "Alex Rivera", "status:Backlog")}
    chosen = _plans(pb, (), progress=picked, transitions=moves)["cs_to_do"]
    assert chosen.status == "todo" and chosen.op == ops.Transition("CS-30", "Backlog")
    assert "for the SOP's “To Do”, picked by Alex Rivera" in chosen.change


# -- the approval condition reads only the ticket linked as the onboarding's duplicate ------------
def test_an_approvers_ticket_that_merely_relates_to_the_onboarding_is_not_his_approval(pb: Playbook) -> None:
    relates = _plans(pb, (_his(links=_link("Relates")),))["wait_approval"]
    assert relates.status == "waiting"  # "Approved to push live." in a ticket linked for another reason
    duplicate = _plans(pb, (_his(links=_link()),))["wait_approval"]
    assert duplicate.status == "suggested" and duplicate.evidence is not None
    assert "approved" in duplicate.evidence.sentence and duplicate.evidence.author == DAVID


def test_a_ticket_linked_as_the_duplicate_counts_only_when_the_approver_sent_it(pb: Playbook) -> None:
    someone = _his(links=_link(), reporter=CUSTOMER)
    assert _plans(pb, (someone,))["wait_approval"].status == "waiting"
