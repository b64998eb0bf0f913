"""The CS ticket's fields as its SOPs name them, through the simulator: the channel partner's QA
assignee (channel-partner-request.txt: "QA Assignee: Cherish Sharma"), the "already filed" check
for the customer the channel partner form names, and a person Jira does not know said, not dropped."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from queue_tui.cli import DEMO_CONFIG
from queue_tui.config import config_from_dict
from queue_tui.core.cs_ticket import draft
from queue_tui.core.plan_steps import cs_rules
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.sandbox.state import Issue
from queue_tui.service.claims import Claims
from queue_tui.service.cs_create import CsCreator
from queue_tui.service.gateway import Gateway
from queue_tui.service.playbooks import PACK, load_all


def _creator(gateway: Gateway, clock: ManualClock) -> CsCreator:
    cfg = config_from_dict(DEMO_CONFIG, "test")
    return CsCreator(gateway, cfg.calendar(), cfg.cs.project, Claims(gateway, clock.now, lambda s: asyncio.sleep(0)))


def _channel_partner_key(sandbox: Sandbox) -> str:
    return next(i.key for i in sandbox.world.issues.values() if i.summary.startswith("A New Channel Partner Request for Coastal"))


async def test_the_channel_partners_cs_ticket_gets_the_qa_assignee_its_sop_names(sandbox: Sandbox, clock: ManualClock,
                                                                                 gateway: Gateway) -> None:
    data = {**DEMO_CONFIG, "roster": {**DEMO_CONFIG["roster"], "qa_assignee": "Sam Okafor"}}  # type: ignore[dict-item]
    cfg = config_from_dict(data, "test")
    book = load_all([PACK])[0]["channel-partner"]
    spec = book.cs_step()
    assert spec is not None
    t = await gateway.issue(_channel_partner_key(sandbox))
    rules = cs_rules(spec, t)
    creator = _creator(gateway, clock)
    d = draft(t, now=clock.now(), cal=creator.cal, components=await creator.components(), priority_rule=cfg.priority_rule(),
              roster=cfg.roster, browse_url="", project=cfg.cs.project, playbook_rule=rules.due, issue_type=rules.issue_type,
              epic=rules.epic, summary=t.summary, customer=rules.customer, priority=rules.priority, qa=rules.qa or None)
    assert d.qa_assignee == "Cherish Sharma" and d.qa_reason == "named by the SOP"
    out = await creator.create(d)
    assert out.complete, out.summary()
    assert sandbox.world.issues[out.cs_key or ""].qa_assignee == "557058:cherish-sharma"


async def test_the_already_filed_list_looks_for_the_company_the_channel_partner_form_names(
        sandbox: Sandbox, clock: ManualClock, gateway: Gateway) -> None:
    w = sandbox.world
    with w.lock:
        now = w.clock.now()
        open_cs = w.add_issue(Issue(w.next_id(), w.next_key("CS"), "CS", "Task", "Rosa - Green Light Solar - Add Concert",
                                    "", "To Do", "Medium", None, None, now, now)).key
    creator = _creator(gateway, clock)
    t = await gateway.issue(_channel_partner_key(sandbox))
    assert open_cs not in [c.key for c in await creator.existing(t)]  # the ticket itself names no organization
    assert open_cs in [c.key for c in await creator.existing(t, "Green Light Solar")]


async def test_a_qa_assignee_jira_does_not_know_is_said_in_the_outcome(sandbox: Sandbox, clock: ManualClock,
                                                                       gateway: Gateway) -> None:
    cfg = config_from_dict(DEMO_CONFIG, "test")
    creator = _creator(gateway, clock)
    t = await gateway.issue("SS-1")
    d = draft(t, now=clock.now(), cal=creator.cal, components=await creator.components(), priority_rule=cfg.priority_rule(),
              roster=cfg.roster, browse_url="", project=cfg.cs.project, epic="Installer Configurations")
    out = await creator.create(replace(d, qa_assignee="Nobody Known Here"))
    assert out.complete, out.summary()
    assert "not set: QA assignee 'Nobody Known Here' (not found in Jira)" in out.summary()
