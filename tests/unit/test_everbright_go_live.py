"""everbright-partner-onboarding.txt, steps 5 and 6: Config is asked by a mention that notifies them,
and the CS ticket counts as complete when its workflow hands it back to support."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from queue_tui.core import ops
from queue_tui.core.context import StepProgress
from queue_tui.core.models import Person
from queue_tui.core.playbook import Playbook
from queue_tui.service.playbooks import PACK, load_all
from tests.unit.test_playbook_engine import NOW
from tests.unit.test_sop_steps import PEOPLE, _cs, _onboarding, steps

LENA = Person("lena-1", "Lena Ortiz", "lena.ortiz@goeverbright.com")
APPROVED = {"wait_cs_hold": StepProgress("met", NOW - timedelta(hours=3), "Alex Rivera"),
            "wait_approval": StepProgress("confirmed", NOW, "Alex Rivera", "Approved to push live.")}


@pytest.fixture(scope="module")
def pb() -> Playbook:
    found, problems = load_all([PACK])
    assert problems == []
    return found["everbright-onboarding"]


def test_asking_config_to_push_live_mentions_whoever_holds_the_cs_ticket(pb: Playbook) -> None:
    moved = {**APPROVED, "cs_to_do": StepProgress("done", NOW, "Alex Rivera")}
    held = steps(pb, _onboarding(), cs=replace(_cs("To Do"), assignee=LENA),
                 progress=moved, mention_style="cloud")["ask_push_live"]
    assert isinstance(held.op, ops.PostComment) and held.op.key == "CS-30" and not held.op.public
    assert held.op.body.startswith("[~accountid:lena-1]: approved by David Ellis") and "@Lena Ortiz" in held.change
    nobody = steps(pb, _onboarding(), cs=_cs("To Do"), progress=moved, mention_style="cloud")["ask_push_live"]
    assert isinstance(nobody.op, ops.PostComment) and nobody.op.body.startswith("[~accountid:tomas-1]")  # the default
    unmapped = {k: v for k, v in PEOPLE.items() if k != "config_assignee"}
    blocked = steps(pb, _onboarding(), cs=_cs("To Do"), progress=moved, people=unmapped)["ask_push_live"]
    assert blocked.status == "blocked" and "config_assignee" in blocked.problem


@pytest.mark.parametrize(("status", "category", "complete"), [
    ("Done", "done", True), ("Waiting for support", "indeterminate", True), ("In Progress", "indeterminate", False),
    ("To Do", "new", False)])
def test_the_cs_ticket_is_complete_when_done_or_handed_back_to_support(pb: Playbook, status: str, category: str,
                                                                     complete: bool) -> None:
    pushed = {**APPROVED, "cs_to_do": StepProgress("done", NOW, "Alex Rivera"),
              "ask_push_live": StepProgress("done", NOW, "Alex Rivera")}
    cs = replace(_cs(status), status_category=category)
    wait = steps(pb, _onboarding(), cs=cs, progress=pushed)["wait_cs_done"]
    assert (wait.status == "met") == complete


# -- step 2: the Needs Configuration? dropdown, as the site spells it ---------------------------
def test_the_needs_configuration_option_is_the_sites_own(pb: Playbook) -> None:
    spelt = steps(pb, _onboarding(), field_options={"needs_config": ("integrated finance", "Document")})["needs_config"]
    assert spelt.status == "todo" and spelt.op == ops.SetNeedsConfig("SS-1", "integrated finance")
    options = {"needs_config": ("Integrated Finance (EverBright)", "Document")}
    missing = steps(pb, _onboarding(), field_options=options)["needs_config"]
    assert missing.status == "blocked" and missing.op is None
    assert "has no “Integrated Finance” (its options: Integrated Finance (EverBright), Document)" in missing.problem
    picked = steps(pb, _onboarding(needs_config="Integrated Finance (EverBright)"), field_options=options)["needs_config"]
    assert picked.status == "met"  # the agent's pick of the site's option (e) stands
