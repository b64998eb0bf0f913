"""Every comment of a playbook step is posted once: across two agents at the same moment, a lost
answer, and a crash between the comment and the progress record; one CS ticket per request; a
watcher two steps of one run add is sent once. Counted from the write requests the simulator
received (its journal), not from its state."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import pytest

from queue_tui.cli import DEMO_CONFIG
from queue_tui.config import config_from_dict
from queue_tui.core.playbook import parse_playbook
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.sandbox.state import Issue
from queue_tui.service.claims import CLAIM_PREFIX
from queue_tui.service.gateway import Gateway
from queue_tui.service.playbook_runner import PlaybookRunner, replan
from tests.conftest import make_gateway

NOTES = parse_playbook("""
id = "notes"
name = "Notes"
[[steps]]
id = "note_ss"
kind = "comment"
template = "Picked up {key}: we are on it."
[[steps]]
id = "note_cs"
kind = "comment"
on = "cs"
template = "Approved by the approver: please push the products live for {key}."
""", "notes.toml")

Settle = Callable[[float], Awaitable[None]]
T = TypeVar("T")


class Together:
    """Agents at the same moment: each one's settle time ends only once every other agent still
    running has written its claim too (reached its own settle) or finished. This is the condition
    the claim guarantees under: each claim reaches Jira within the settle time of the other's."""

    def __init__(self, clock: ManualClock, agents: int) -> None:
        self.clock, self.active, self.waiting, self.round = clock, agents, 0, 0
        self.cond = asyncio.Condition()

    async def settle(self, seconds: float) -> None:
        self.clock.advance(seconds)
        async with self.cond:
            self.waiting += 1
            mine = self.round
            self._release_if_all()
            await self.cond.wait_for(lambda: self.round != mine)

    async def run(self, work: Awaitable[T]) -> T:
        try:
            return await work
        finally:
            async with self.cond:
                self.active -= 1
                self._release_if_all()

    def _release_if_all(self) -> None:
        if self.waiting and self.waiting >= self.active:
            self.waiting, self.round = 0, self.round + 1
            self.cond.notify_all()


def _runner(gw: Gateway, clock: ManualClock, settle: Settle) -> PlaybookRunner:
    cfg = config_from_dict(DEMO_CONFIG, "test")
    return PlaybookRunner(gw, cfg.roster, cfg.monitor.staff_domains, cfg.channel_partners, cfg.account_managers,
                          clock.now, cfg.request_type_aliases, cfg.cs.project, settle=settle)


@pytest.fixture
async def two_gateways(sandbox: Sandbox, clock: ManualClock) -> AsyncIterator[tuple[Gateway, Gateway]]:
    a, b = await make_gateway(sandbox, clock).open(), await make_gateway(sandbox, clock).open()
    yield a, b
    await a.close()
    await b.close()


def _ticket_with_cs(sb: Sandbox) -> str:
    """An SS ticket with a CS ticket linked to it."""
    w = sb.world
    with w.lock:
        ss = next(i for i in w.issues.values() if i.summary.startswith("Proposal PDF fails"))
        now = w.clock.now()
        cs = w.add_issue(Issue(w.next_id(), w.next_key("CS"), "CS", "Task", "Config for the proposal", "", "To Do",
                               "High", None, None, now, now))
        w.add_link("Relates", ss.key, cs.key)
    return ss.key


def _posts(sb: Sandbox, since: int = 0) -> dict[str, int]:
    """Comment POSTs the simulator received per issue key."""
    out: dict[str, int] = {}
    for e in sb.journal.requests("POST", "*/comment", since=since):
        key = e.path.rsplit("/", 2)[-2]
        out[key] = out.get(key, 0) + 1
    return out


async def test_two_agents_applying_the_same_playbook_at_the_same_moment_post_each_comment_once(
        sandbox: Sandbox, clock: ManualClock, two_gateways: tuple[Gateway, Gateway]) -> None:
    key = _ticket_with_cs(sandbox)
    cs_key = next(lk.inward_key for lk in sandbox.world.links if lk.outward_key == key)
    together = Together(clock, 2)
    a, b = (_runner(gw, clock, together.settle) for gw in two_gateways)
    mark = sandbox.journal.mark()
    results = await asyncio.gather(together.run(a.apply_all(key, NOTES, None)), together.run(b.apply_all(key, NOTES, None)))
    winner = next(r for r in results if r.applied)
    loser = next(r for r in results if r is not winner)
    assert winner.applied == ["Note ss", "Note cs"] and winner.error is None
    assert loser.applied == [] and loser.error is not None and "is applying this step right now" in loser.error.short()
    assert _posts(sandbox, mark) == {key: 1, cs_key: 1}
    for runner in (a, b):  # both agents see both steps done
        _, plans = await replan(runner, key, NOTES, None)
        assert [str(p.status) for p in plans] == ["done", "done"]
    assert not any(k.startswith(CLAIM_PREFIX) for k in sandbox.world.issues[key].properties)  # claims cleaned up


async def test_two_agents_at_the_same_moment_post_the_cs_tickets_comment_once(
        sandbox: Sandbox, clock: ManualClock, two_gateways: tuple[Gateway, Gateway]) -> None:
    key = _ticket_with_cs(sandbox)
    cs_key = next(lk.inward_key for lk in sandbox.world.links if lk.outward_key == key)
    together = Together(clock, 2)
    a, b = (_runner(gw, clock, together.settle) for gw in two_gateways)
    await together.run(a.apply_all(key, NOTES, None, rounds=0))  # a no-op: A is counted as finished once
    together = Together(clock, 2)
    a.writer.claims.settle = b.writer.claims.settle = together.settle
    with sandbox.world.lock:  # the note on the SS ticket is there already: both agents race for the CS one
        sandbox.world.add_comment(sandbox.world.issues[key], sandbox.world.me, "Picked up " + key + ": we are on it.", False)
    mark = sandbox.journal.mark()
    results = await asyncio.gather(together.run(a.apply_all(key, NOTES, None)), together.run(b.apply_all(key, NOTES, None)))
    assert sorted(len(r.applied) for r in results) == [0, 1]
    assert _posts(sandbox, mark) == {cs_key: 1}
    assert sum("push the products live" in c.body for c in sandbox.world.issues[cs_key].comments) == 1


async def test_an_agent_arriving_while_another_holds_the_claim_stands_back(
        sandbox: Sandbox, clock: ManualClock, two_gateways: tuple[Gateway, Gateway]) -> None:
    key = _ticket_with_cs(sandbox)
    a_gw, b_gw = two_gateways
    b = _runner(b_gw, clock, lambda s: asyncio.sleep(0))
    b_result = None

    async def a_settle(seconds: float) -> None:  # while A waits out its settle time, B tries the same step
        nonlocal b_result
        b_result = await b.apply_all(key, NOTES, None)

    a = _runner(a_gw, clock, a_settle)
    mark = sandbox.journal.mark()
    a_result = await a.apply_all(key, NOTES, None, rounds=1)
    assert a_result.applied and b_result is not None and not b_result.applied
    assert b_result.error is not None and "Alex Rivera is applying this step right now" in b_result.error.short()
    cs_key = next(lk.inward_key for lk in sandbox.world.links if lk.outward_key == key)
    assert _posts(sandbox, mark) == {key: 1, cs_key: 1}


async def test_a_claim_left_by_a_crashed_run_expires(sandbox: Sandbox, clock: ManualClock, gateway: Gateway) -> None:
    key = _ticket_with_cs(sandbox)
    runner = _runner(gateway, clock, lambda s: asyncio.sleep(0))
    stamp = int((clock.now() - timedelta(minutes=5)).timestamp() * 1000)
    with sandbox.world.lock:
        sandbox.world.issues[key].properties[f"{CLAIM_PREFIX}notes_note_ss_{key}.{stamp:013d}-dead"] = {"by": "Sam"}
    result = await runner.apply_all(key, NOTES, None)
    assert result.error is None and result.applied == ["Note ss", "Note cs"]


async def test_a_lost_answer_is_checked_in_jira_not_posted_again(sandbox: Sandbox, clock: ManualClock,
                                                                 gateway: Gateway) -> None:
    key = _ticket_with_cs(sandbox)
    runner = _runner(gateway, clock, lambda s: asyncio.sleep(0))
    sandbox.faults.inject("drop", path_glob=f"*/issue/{key}/comment", method="POST")  # applied, then the answer lost
    mark = sandbox.journal.mark()
    result = await runner.apply_all(key, NOTES, None)
    assert result.error is None, result.summary()
    assert sandbox.faults.injected["drop"] == 1
    assert _posts(sandbox, mark)[key] == 1
    assert sum(c.body.startswith("Picked up") for c in sandbox.world.issues[key].comments) == 1


async def test_a_crash_between_the_cs_comment_and_the_progress_record_does_not_post_it_again(
        sandbox: Sandbox, clock: ManualClock, gateway: Gateway) -> None:
    key = _ticket_with_cs(sandbox)
    runner = _runner(gateway, clock, lambda s: asyncio.sleep(0))
    with sandbox.world.lock:  # the note on the SS ticket is there already
        sandbox.world.add_comment(sandbox.world.issues[key], sandbox.world.me, "Picked up " + key + ": we are on it.", False)
    cs_key = next(lk.inward_key for lk in sandbox.world.links if lk.outward_key == key)
    # The progress record cannot be written: as if the app died right after the CS comment went out.
    sandbox.faults.inject("503", path_glob=f"*/issue/{key}/properties/queue-tui.progress*", method="PUT", times=50)
    mark = sandbox.journal.mark()
    crashed = await runner.apply_all(key, NOTES, None)
    assert crashed.error is not None and crashed.failed == "Note cs"
    assert _posts(sandbox, mark) == {cs_key: 1}
    sandbox.faults.clear()
    again = await runner.apply_all(key, NOTES, None)  # the agent retries what they were doing
    assert again.error is None and again.applied == []
    assert _posts(sandbox, mark) == {cs_key: 1}
    _, plans = await replan(runner, key, NOTES, None)
    assert next(p for p in plans if p.step.id == "note_cs").status == "done"


async def test_a_comment_someone_edited_is_still_recognised_as_the_steps(sandbox: Sandbox, clock: ManualClock,
                                                                        gateway: Gateway) -> None:
    key = _ticket_with_cs(sandbox)
    runner = _runner(gateway, clock, lambda s: asyncio.sleep(0))
    await runner.apply_all(key, NOTES, None)
    with sandbox.world.lock:
        posted = next(c for c in sandbox.world.issues[key].comments if c.body.startswith("Picked up"))
        posted.body = "Picked this up, we are looking into it."  # a colleague reworded it in Jira
        props = sandbox.world.issues[key].properties
        for k in [k for k in props if k.startswith("queue-tui.progress")]:
            del props[k]  # and the record is gone
    mark = sandbox.journal.mark()
    await runner.apply_all(key, NOTES, None)
    assert key not in _posts(sandbox, mark)



async def test_two_agents_filing_the_cs_ticket_at_the_same_moment_file_one(
        sandbox: Sandbox, clock: ManualClock, two_gateways: tuple[Gateway, Gateway]) -> None:
    from queue_tui.core.cs_ticket import draft
    from queue_tui.service.claims import Claims
    from queue_tui.service.cs_create import CsCreator

    cfg = config_from_dict(DEMO_CONFIG, "test")
    key = next(i.key for i in sandbox.world.issues.values() if i.summary.startswith("A New Channel Partner Request for Coastal"))
    together = Together(clock, 2)
    creators = [CsCreator(gw, cfg.calendar(), cfg.cs.project, Claims(gw, clock.now, together.settle)) for gw in two_gateways]
    ticket = await two_gateways[0].issue(key)
    d = draft(ticket, now=clock.now(), cal=creators[0].cal, components=await creators[0].components(),
              priority_rule=cfg.priority_rule(), roster=cfg.roster, browse_url=f"{sandbox.base_url}/browse/{key}",
              rules=cfg.due_rules(), project=cfg.cs.project, epic="Configuration Partner/Product Onboarding")
    mark = sandbox.journal.mark()
    outcomes = await asyncio.gather(*(together.run(c.create(d)) for c in creators))
    created = sandbox.journal.requests("POST", "/rest/api/2/issue", since=mark)
    assert len(created) == 1  # one CS ticket filed
    assert [o.meanwhile or o.error is not None for o in outcomes].count(True) == 1
    loser = next(o for o in outcomes if o.meanwhile or o.error is not None)
    assert loser.error is not None and "is filing the CS ticket" in loser.error.short()
    again = await creators[1].create(d)  # the agent who stood back tries again: it is there, linked
    assert again.meanwhile and again.cs_key == next(o.cs_key for o in outcomes if o is not loser)
    assert len(sandbox.journal.requests("POST", "/rest/api/2/issue", since=mark)) == 1
    notes = [c for c in sandbox.world.issues[key].comments if c.body.startswith("Created CS-")]
    assert len(notes) == 1


async def test_a_cs_ticket_filed_for_another_request_with_the_same_summary_is_not_taken_for_this_ones(
        sandbox: Sandbox, clock: ManualClock, gateway: Gateway) -> None:
    # Two channel partner requests for the same partner have the same summary, and the CS ticket copies
    # it (channel-partner-request.txt): the first request's CS ticket is not the second one's.
    from queue_tui.core.cs_ticket import draft
    from queue_tui.service.claims import Claims
    from queue_tui.service.cs_create import CsCreator

    cfg = config_from_dict(DEMO_CONFIG, "test")
    w = sandbox.world
    first = next(i.key for i in w.issues.values() if i.summary.startswith("A New Channel Partner Request for Coastal"))
    with w.lock:
        src, now = w.issues[first], w.clock.now()
        second = w.add_issue(Issue(w.next_id(), w.next_key("SS"), "SS", src.issue_type, src.summary, src.description,
                                   src.status, src.priority, src.reporter, None, now, now)).key
    creator = CsCreator(gateway, cfg.calendar(), cfg.cs.project, Claims(gateway, clock.now, lambda s: asyncio.sleep(0)))

    async def file(key: str) -> object:
        t = await gateway.issue(key)
        d = draft(t, now=clock.now(), cal=creator.cal, components=await creator.components(),
                  priority_rule=cfg.priority_rule(), roster=cfg.roster, browse_url=f"{sandbox.base_url}/browse/{key}",
                  rules=cfg.due_rules(), project=cfg.cs.project, summary=t.summary)
        return await creator.create(d)

    one = await file(first)
    mark = sandbox.journal.mark()
    two = await file(second)
    assert len(sandbox.journal.requests("POST", "/rest/api/2/issue", since=mark)) == 1  # its own CS ticket
    assert not two.meanwhile and two.created and two.cs_key != one.cs_key  # type: ignore[attr-defined]
    with w.lock:
        assert {lk.inward_key for lk in w.links_of(second)} | {lk.outward_key for lk in w.links_of(second)} \
            >= {second, two.cs_key}  # type: ignore[attr-defined]


WATCHERS = parse_playbook("""
id = "watchers"
name = "Watchers"
[[steps]]
id = "staff"
kind = "move_staff_to_watchers"
[[steps]]
id = "loop_in"
kind = "add_watchers"
people = ["approver"]
""", "watchers.toml")


async def test_a_watcher_two_steps_of_one_run_add_is_sent_once(sandbox: Sandbox, clock: ManualClock,
                                                               gateway: Gateway) -> None:
    # The approver is a staff participant (moved to the watchers) and the step after adds him too.
    w = sandbox.world
    with w.lock:
        ss = next(i for i in w.issues.values() if i.summary.startswith("Proposal PDF fails"))
        ss.participants = ["557058:david-ellis"]
        ss.watchers = [x for x in ss.watchers if x != "557058:david-ellis"]
    runner = _runner(gateway, clock, lambda s: asyncio.sleep(0))
    mark = sandbox.journal.mark()
    result = await runner.apply_all(ss.key, WATCHERS, None)
    assert result.error is None
    posts = sandbox.journal.requests("POST", "*/watchers", since=mark)
    assert [e.body for e in posts] == ["557058:david-ellis"]
    assert "557058:david-ellis" in w.issues[ss.key].watchers and w.issues[ss.key].participants == []
