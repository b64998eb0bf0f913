"""The CS ticket's Linked Issues through the simulator: the site's own link types, the direction the
agent chose ("this CS ticket blocks SS-12"), once only across a lost answer or a killed run, and a
colleague's link of another type shown rather than doubled."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from queue_tui.cli import DEMO_CONFIG
from queue_tui.config import config_from_dict
from queue_tui.core.cs_ticket import CsDraft, draft
from queue_tui.core.link_types import LinkChoice, choices
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.claims import Claims
from queue_tui.service.cs_create import CsCreator, CsOutcome
from queue_tui.service.gateway import Gateway

LINK_POST = "/rest/api/2/issueLink"


def _creator(gateway: Gateway, clock: ManualClock) -> CsCreator:
    cfg = config_from_dict(DEMO_CONFIG, "test")
    return CsCreator(gateway, cfg.calendar(), cfg.cs.project, Claims(gateway, clock.now, lambda s: asyncio.sleep(0)))


async def _draft(gateway: Gateway, creator: CsCreator, sandbox: Sandbox, clock: ManualClock, key: str) -> CsDraft:
    cfg = config_from_dict(DEMO_CONFIG, "test")
    t = await gateway.issue(key)
    return draft(t, now=clock.now(), cal=creator.cal, components=await creator.components(),
                 priority_rule=cfg.priority_rule(), roster=cfg.roster, browse_url=f"{sandbox.base_url}/browse/{key}",
                 rules=cfg.due_rules(), project=cfg.cs.project, epic="Installer Configurations",
                 link_types=tuple(await gateway.link_types()))


def _choice(options: tuple[LinkChoice, ...], words: str) -> LinkChoice:
    return next(c for c in options if c.words == words)


def _links(sandbox: Sandbox, a: str, b: str) -> list[tuple[str, str, str]]:
    w = sandbox.world
    with w.lock:
        return [(lk.type_name, lk.outward_key, lk.inward_key) for lk in w.links if {lk.outward_key, lk.inward_key} == {a, b}]


async def test_the_site_serves_its_link_types_on_both_api_versions(gateway: Gateway) -> None:
    for version in ("2", "3"):
        data = await gateway.get(f"/rest/api/{version}/issueLinkType")
        blocks = next(t for t in data["issueLinkTypes"] if t["name"] == "Blocks")
        assert (blocks["inward"], blocks["outward"]) == ("is blocked by", "blocks") and blocks["id"]


async def test_the_cs_ticket_links_with_relates_to_by_default(sandbox: Sandbox, clock: ManualClock, gateway: Gateway) -> None:
    creator = _creator(gateway, clock)
    d = await _draft(gateway, creator, sandbox, clock, "SS-1")
    assert d.link is not None and d.link.says(d.link_to) == "this CS ticket relates to SS-1"
    out = await creator.create(d)
    assert out.complete, out.summary()
    ss = await gateway.issue("SS-1")
    assert [lk.relation for lk in ss.links if lk.key == out.cs_key] == ["relates to"]


async def test_this_cs_ticket_blocks_the_ss_ticket_reads_so_on_both_tickets(sandbox: Sandbox, clock: ManualClock,
                                                                              gateway: Gateway) -> None:
    creator = _creator(gateway, clock)
    d = await _draft(gateway, creator, sandbox, clock, "SS-1")
    options = choices(await gateway.link_types())
    out = await creator.create(replace(d, link=_choice(options, "blocks")))
    assert out.complete, out.summary()
    assert out.cs_key is not None
    cs, ss = await gateway.issue(out.cs_key), await gateway.issue("SS-1")
    assert [lk.relation for lk in cs.links if lk.key == "SS-1"] == ["blocks"]
    assert [lk.relation for lk in ss.links if lk.key == out.cs_key] == ["is blocked by"]

    d2 = await _draft(gateway, creator, sandbox, clock, "SS-2")
    out2 = await creator.create(replace(d2, link=_choice(options, "is blocked by")))
    assert out2.cs_key is not None
    assert [lk.relation for lk in (await gateway.issue(out2.cs_key)).links if lk.key == "SS-2"] == ["is blocked by"]


async def test_a_lost_link_answer_or_a_rerun_after_a_kill_adds_no_second_link(sandbox: Sandbox, clock: ManualClock,
                                                                              gateway: Gateway) -> None:
    creator = _creator(gateway, clock)
    d = await _draft(gateway, creator, sandbox, clock, "SS-1")
    d = replace(d, link=_choice(choices(await gateway.link_types()), "is blocked by"))
    sandbox.faults.inject("drop", path_glob="*/issueLink", method="POST")  # made, then the answer lost
    mark = sandbox.journal.mark()
    out = await creator.create(d)
    assert out.complete, out.summary()
    assert sandbox.faults.injected["drop"] == 1
    assert out.cs_key is not None
    # Killed before the outcome was kept: the next run only knows the CS ticket exists.
    again = await creator.create(d, CsOutcome("SS-1", cs_key=out.cs_key, created=True, attached=True))
    assert again.complete, again.summary()
    assert len(sandbox.journal.requests("POST", LINK_POST, since=mark)) == 1
    assert _links(sandbox, "SS-1", out.cs_key) == [("Blocks", out.cs_key, "SS-1")]


async def test_a_colleagues_link_of_another_type_is_shown_not_doubled(sandbox: Sandbox, clock: ManualClock,
                                                                      gateway: Gateway) -> None:
    creator = _creator(gateway, clock)
    d = await _draft(gateway, creator, sandbox, clock, "SS-1")
    cs_key = await gateway.create_issue(await creator.fields(d))  # filed, then the run was killed before its link
    w = sandbox.world
    with w.lock:
        w.add_link("Blocks", cs_key, "SS-1")  # meanwhile a colleague: SS-1 blocks the CS ticket
    mark = sandbox.journal.mark()
    again = await creator.create(d, CsOutcome("SS-1", cs_key=cs_key, created=True))
    assert again.complete, again.summary()
    assert sandbox.journal.requests("POST", LINK_POST, since=mark) == []
    assert any("already is blocked by SS-1" in s for s in again.steps), again.steps
    assert _links(sandbox, "SS-1", cs_key) == [("Blocks", cs_key, "SS-1")]


async def test_a_link_the_other_way_round_is_not_the_link_asked_for(sandbox: Sandbox, clock: ManualClock,
                                                                    gateway: Gateway) -> None:
    await gateway.link("Blocks", "SS-1", "SS-2")
    mark = sandbox.journal.mark()
    assert await gateway.link("Blocks", "SS-2", "SS-1")  # SS-2 blocks SS-1: a different link, sent
    assert not await gateway.link("is blocked by", "SS-1", "SS-2")  # the same as SS-2 blocks SS-1: there already
    assert len(sandbox.journal.requests("POST", LINK_POST, since=mark)) == 1
    assert sorted(_links(sandbox, "SS-1", "SS-2")) == [("Blocks", "SS-1", "SS-2"), ("Blocks", "SS-2", "SS-1")]


async def test_a_site_without_relates_links_with_its_first_type(sandbox: Sandbox, clock: ManualClock,
                                                                gateway: Gateway) -> None:
    w = sandbox.world
    with w.lock:
        w.link_types = [t for t in w.link_types if t["name"] != "Relates"]
    creator = _creator(gateway, clock)
    d = await _draft(gateway, creator, sandbox, clock, "SS-1")
    assert d.link is not None and d.link.says("SS-1") == "this CS ticket blocks SS-1"
    out = await creator.create(d)
    assert out.complete, out.summary()
    assert [lk.relation for lk in (await gateway.issue("SS-1")).links if lk.key == out.cs_key] == ["is blocked by"]


async def test_a_site_without_issue_linking_still_files_the_cs_ticket(sandbox: Sandbox, clock: ManualClock,
                                                                      gateway: Gateway) -> None:
    w = sandbox.world
    with w.lock:
        w.link_types = []
    creator = _creator(gateway, clock)
    d = await _draft(gateway, creator, sandbox, clock, "SS-1")
    assert d.link is None
    out = await creator.create(d)
    assert out.complete and out.cs_key, out.summary()
    assert any("not linked" in s for s in out.steps)
    assert [c for c in w.issues["SS-1"].comments if out.cs_key in c.body]  # the note names it
