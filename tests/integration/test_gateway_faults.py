"""With each fault switched on, reads retry and then fail with the right typed error;
Retry-After is honoured and no request goes out before it expires; writes are never doubled."""

from __future__ import annotations

import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.errors import RateLimitedError, UnavailableError
from tests.conftest import make_gateway


async def test_429_is_retried_after_retry_after_within_the_deadline_and_never_early(sandbox: Sandbox,
                                                                                       clock: ManualClock) -> None:
    gw = await make_gateway(sandbox, clock).open()  # timeout 5 s: a call may take 15 s in all
    sandbox.faults.configure({"429": 1.0}, retry_after=7)
    start = clock.now()
    with pytest.raises(RateLimitedError) as err:
        await gw.get("/rest/api/2/myself")
    # Sent at 0 s, 7 s and 14 s; the next wait would end past the deadline, so the call stops at once.
    assert sandbox.faults.injected["429"] == 3
    assert sandbox.faults.early_requests == 0
    assert (clock.now() - start).total_seconds() == 14
    assert (err.value.retry_at - start).total_seconds() == 21
    # After the limit lifts, the next call waits out the last Retry-After, then succeeds.
    sandbox.faults.clear()
    me = await gw.get("/rest/api/2/myself")
    assert me["displayName"] == "Alex Rivera"
    assert sandbox.faults.early_requests == 0
    await gw.close()


async def test_a_single_429_is_invisible_to_the_caller(sandbox: Sandbox, clock: ManualClock) -> None:
    gw = await make_gateway(sandbox, clock).open()
    sandbox.faults.configure({"429": 1.0}, retry_after=2)
    first = gw.get("/rest/api/2/serverInfo")
    # Switch faults off as soon as the first 429 has been served: the retry must succeed.
    original = sandbox.faults.pick

    def once(now):  # type: ignore[no-untyped-def]
        kind = original(now)
        sandbox.faults.clear()
        return kind

    sandbox.faults.pick = once  # type: ignore[method-assign]
    info = await first
    assert info["deploymentType"] == "Cloud"
    assert sandbox.faults.injected["429"] == 1 and sandbox.faults.early_requests == 0
    await gw.close()


@pytest.mark.parametrize("kind", ["malformed", "drop", "slow"])
async def test_reads_retry_until_the_deadline_then_fail_as_unavailable(sandbox: Sandbox, clock: ManualClock,
                                                                        kind: str) -> None:
    gw = await make_gateway(sandbox, clock, timeout=0.3).open()  # a call may take 0.9 s in all
    sandbox.faults.configure({kind: 1.0}, slow_seconds=0.6)
    start = clock.now()
    with pytest.raises(UnavailableError):
        await gw.get("/rest/api/2/issue/SS-1")
    # Tried at once and again after a ~0.5 s pause; the next pause (~1 s) would end past the deadline.
    assert sandbox.faults.injected[kind] == 2
    assert (clock.now() - start).total_seconds() < 0.9
    sandbox.faults.clear()
    await gw.close()


@pytest.mark.parametrize("kind", ["malformed", "drop", "slow"])
async def test_a_comment_whose_answer_is_lost_is_posted_once(sandbox: Sandbox, clock: ManualClock, kind: str) -> None:
    gw = await make_gateway(sandbox, clock, timeout=0.3).open()
    calls = {"n": 0}
    original = sandbox.faults.pick

    def first_only(now):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return kind if calls["n"] == 1 else original(now)

    sandbox.faults.pick = first_only  # type: ignore[method-assign]
    sandbox.faults.configure(slow_seconds=0.6)
    c = await gw.add_comment("SS-5", "Exactly once, please.", public=False)
    assert c.body == "Exactly once, please."
    bodies = [x.body for x in sandbox.world.issues["SS-5"].comments]
    assert bodies.count("Exactly once, please.") == 1
    await gw.close()


async def test_a_created_issue_whose_answer_is_lost_is_created_once(sandbox: Sandbox, clock: ManualClock) -> None:
    gw = await make_gateway(sandbox, clock, timeout=0.3).open()
    calls = {"n": 0}
    original = sandbox.faults.pick

    def first_only(now):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return "drop" if calls["n"] == 1 else original(now)

    sandbox.faults.pick = first_only  # type: ignore[method-assign]
    summary = "Dana - Blue Sky Renewables - Once only"
    key = await gw.create_issue({"project": {"key": "CS"}, "issuetype": {"name": "Task"}, "summary": summary},
                                find_jql=f'project = CS AND summary ~ "{summary}" AND created >= -15m')
    made = [i for i in sandbox.world.issues.values() if i.summary == summary]
    assert len(made) == 1 and made[0].key == key
    await gw.close()
