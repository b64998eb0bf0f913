"""everbright-partner-onboarding.txt, step 4: "the config team will place their ticket on hold - and the
SS ticket will be moved to 'waiting on support'", on a site whose CS workflow names its statuses its own way."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_tui.core.context import Change, StepProgress
from queue_tui.core.playbook import Playbook
from queue_tui.core.step_plan import StepPlan
from queue_tui.service.playbooks import PACK, load_all
from tests.unit.test_playbook_engine import NOW, ticket
from tests.unit.test_playbook_engine import TOMAS as CONFIG  # a colleague of the configuration team
from tests.unit.test_sop_steps import _onboarding, steps


@pytest.fixture(scope="module")
def pb() -> Playbook:
    found, problems = load_all([PACK])
    assert problems == []
    return found["everbright-onboarding"]


def _cs(status: str):  # type: ignore[no-untyped-def]
    return ticket(key="CS-30", summary="cs", status=status, status_category="indeterminate",
                  created=NOW - timedelta(hours=3))


def _hold(pb: Playbook, cs_status: str, ss_status: str = "Waiting for support",
          history: dict[str, Change] | None = None, **kw: object) -> StepPlan:
    moves = {"CS-30": (("Pause", "Paused"), ("Done", "Done"))}
    kw.setdefault("transitions", moves)
    return steps(pb, _onboarding(status=ss_status), cs=_cs(cs_status), history=history, **kw)["wait_cs_hold"]


@pytest.mark.parametrize("status", ["On Hold", "on-hold", "Config On Hold"])
def test_a_cs_status_named_on_hold_meets_the_wait_and_says_so(pb: Playbook, status: str) -> None:
    p = _hold(pb, status, history={})
    assert p.status == "met" and p.current == f"CS-30 is {status}"


def test_the_ss_ticket_moved_to_waiting_on_support_after_the_cs_ticket_meets_the_wait_on_a_site_without_on_hold(
        pb: Playbook) -> None:
    moved = {"status": Change(CONFIG, NOW - timedelta(minutes=10), "Waiting for support")}
    p = _hold(pb, "Paused", history=moved)
    assert p.status == "met"
    assert "SS-1 moved to Waiting for support" in p.current and "the SOP's second signal" in p.current
    before = {"status": Change(CONFIG, NOW - timedelta(hours=5), "Waiting for support")}  # before the CS ticket
    assert _hold(pb, "Paused", history=before).status == "waiting"
    elsewhere = {"status": Change(CONFIG, NOW - timedelta(minutes=10), "In Progress")}
    assert _hold(pb, "Paused", "In Progress", history=elsewhere).status == "waiting"


def test_where_neither_signal_can_be_read_the_step_says_what_it_waits_for_and_the_agent_picks_the_status(
        pb: Playbook) -> None:
    p = _hold(pb, "Paused", history=None)  # no status named on hold, and Jira sends no changelog
    assert p.status == "waiting" and p.op is None
    assert "configuration team to put the CS ticket on hold" in p.change
    assert "e to pick the status of CS-30 that means on hold" in p.change
    picked = {"wait_cs_hold": StepProgress("chosen", NOW, "Alex Rivera", "hold:Paused")}
    met = _hold(pb, "Paused", history=None, progress=picked)
    assert met.status == "met" and met.current == "CS-30 is Paused (the status picked as on hold by Alex Rivera)"
    assert _hold(pb, "In Progress", history=None, progress=picked).status == "waiting"
