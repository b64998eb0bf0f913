"""Every shipped playbook with credentials alone (JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN set, no
config file), on a desk with the SOP's request type names and on one with its own: it works, or
its plan names exactly what to map and where, and nothing was written to find that out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from queue_tui.cli import _parser, _settings
from queue_tui.config import Config, default_config_path
from queue_tui.core.step_plan import StepStatus
from queue_tui.sandbox import ManualClock, Sandbox, start_sandbox
from queue_tui.service.playbook_runner import PlaybookRunner
from queue_tui.service.playbooks import PACK, load_all
from tests.conftest import make_gateway

BOOKS, _ = load_all([PACK])
# A ticket of the seed each shipped playbook is for (a new shipped playbook must be added here).
TICKETS = {
    "triage": "Proposal PDF fails to generate",
    "non-platform": "Resume - Senior Solar Designer",
    "everbright-onboarding": "EverBright Partner Onboarding",
    "channel-partner": "A New Channel Partner Request for",
}
# What each needs from a configuration when the site offers nothing for it.
EXPECTED = {"triage": "works", "non-platform": "works", "channel-partner": "works",
            "everbright-onboarding": "needs [account_managers] and [roster] approver"}
# The agent's answers a playbook waits on, as x gives them: "not about the platform".
ANSWERS = {"non-platform": {"attention": "junk"}}


def test_every_shipped_playbook_is_covered() -> None:
    assert set(TICKETS) == set(BOOKS)


@pytest.fixture(params=["sop", "site"])
def desk(request: pytest.FixtureRequest, clock: ManualClock) -> Iterator[Sandbox]:
    sb = start_sandbox(clock=clock, request_type_names=request.param)
    yield sb
    sb.stop()


def _env_only(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Config:
    c = sb.credentials
    for var, value in (("JIRA_URL", sb.base_url), ("JIRA_EMAIL", c.email), ("JIRA_API_TOKEN", c.token)):
        monkeypatch.setenv(var, value)
    assert not default_config_path().exists()
    return _settings(_parser().parse_args([]))


@pytest.mark.parametrize("pb_id", sorted(TICKETS))
async def test_a_shipped_playbook_works_or_names_what_to_map_before_writing(
        desk: Sandbox, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, pb_id: str) -> None:
    cfg = _env_only(desk, monkeypatch)
    gw = await make_gateway(desk, clock).open()
    runner = PlaybookRunner(gw, cfg.roster, cfg.monitor.staff_domains, cfg.channel_partners, cfg.account_managers,
                            clock.now, cfg.request_type_aliases, config_where=cfg.where())
    pb = BOOKS[pb_id]
    key = next(i.key for i in desk.world.issues.values() if i.summary.startswith(TICKETS[pb_id]))
    try:
        mark = desk.journal.mark()
        answers = ANSWERS.get(pb_id, {})
        plans = await runner.plan_answered(key, pb, "1", answers)
        assert desk.requests(writes=True, since=mark) == [], "planning writes nothing"
        # What apply-all meets before the first wait: a step the configuration must unblock is named.
        ahead = []
        for p in plans:
            if p.status == StepStatus.WAITING:
                break
            ahead.append(p)
        blocked = [p for p in ahead if p.status == StepStatus.BLOCKED and "under [" in p.problem]
        if EXPECTED[pb_id] == "works":
            assert not blocked, [p.problem for p in blocked]
            for step_id, option in answers.items():
                await runner.choose(key, pb, step_id, option)
            # As x applies an SOP its confirm named; as G applies the others.
            result = await (runner.apply_confirmed_sop if answers else runner.apply_all)(key, pb, "1")
            assert result.error is None, result.summary()
        else:
            said = " ".join(p.problem for p in blocked)
            assert "under [account_managers]" in said and 'add approver = "Name or email" under [roster]' in said
            assert str(default_config_path()) in said  # where: the file the app would read
            assert desk.requests(writes=True, since=mark) == []
    finally:
        await gw.close()


async def test_the_non_platform_sop_on_a_desk_with_its_own_names_uses_the_type_that_reads_like_it(
        clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    sb = start_sandbox(clock=clock, request_type_names="site")
    cfg = _env_only(sb, monkeypatch)
    gw = await make_gateway(sb, clock).open()
    try:
        runner = PlaybookRunner(gw, cfg.roster, [], {}, {}, clock.now, {}, config_where=cfg.where())
        key = next(i.key for i in sb.world.issues.values() if i.summary.startswith(TICKETS["non-platform"]))
        pb = BOOKS["non-platform"]
        steps = {p.step.id: p for p in await runner.plan_answered(key, pb, "1", ANSWERS["non-platform"])}
        assert "Not for support (reads like the SOP's Non-Platform Request" in steps["request_type"].change
        assert "Anonymous (the desk's anonymous customer" in steps["reporter"].change
        await runner.choose(key, pb, "attention", "junk")
        result = await runner.apply_confirmed_sop(key, pb, "1")
        assert result.error is None
        issue = sb.world.issues[key]
        assert sb.world.request_types[issue.request_type or ""].name == "Not for support"
        assert sb.world.users[issue.reporter or ""].display_name == "Anonymous"
    finally:
        await gw.close()
        sb.stop()
