"""Jira's rate limit is per user: once a 429 says how long to wait, no request of that agent goes
out before then, whatever became of the call that met it (its caller gone, its thread still
running) and whichever client sends next (httpx or the `jira` library, a second request inside
one library call, a request queued behind busy connections). Each case against a tiny server of
the test's own on 127.0.0.1 that holds a request until the test lets it go; time is moved by the
test, never waited for."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.errors import RateLimitedError
from queue_tui.service.gateway import Connection, Gateway
from tests.conftest import T0
from tests.corpus.tiny_server import Reply, Seen, TinyServer

WAIT = 120  # the Retry-After of every case: longer than a call's deadline (3 x 30 s)


class Held:
    """A request the tiny server holds until the test lets it go; then it answers `reply` (None: Jira's answer)."""

    def __init__(self, reply: Reply | None = None) -> None:
        self.reply = reply
        self.arrived = threading.Event()
        self.go = threading.Event()

    def __call__(self) -> Reply | None:
        self.arrived.set()
        self.go.wait(60)
        return self.reply

    async def reached(self) -> None:
        assert await asyncio.to_thread(self.arrived.wait, 10), "the request never reached the server"


def limited(**headers: str) -> Reply:
    return Reply.json(429, {"errorMessages": ["Rate limit exceeded."]}, **headers)


def gateway_to(tiny: TinyServer, sb: Sandbox, clock: ManualClock, sleep: Any) -> Gateway:
    c = sb.credentials
    return Gateway(Connection(tiny.url, "cloud", email=c.email, token=c.token, timeout=30.0), clock=clock.now,
                   sleep=sleep)


def moving(clock: ManualClock) -> Any:
    async def sleep(seconds: float) -> None:
        clock.advance(seconds)
    return sleep


def arrivals(sb: Sandbox, method: str, path: str) -> list[float]:
    """Seconds after the test's start at which Jira received each matching request."""
    return [(e.at - T0).total_seconds() for e in sb.journal.requests(method, path)]


async def test_a_read_cancelled_while_it_waits_out_a_429_leaves_the_wait_for_the_next_request(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    first = {"n": 0}

    def route(r: Seen) -> Reply | None:
        if r.path.startswith("/rest/api/2/serverInfo"):
            first["n"] += 1
            return limited(**{"Retry-After": "10"}) if first["n"] == 1 else None
        return None

    waiting = asyncio.Event()
    advance = moving(clock)

    async def sleep(seconds: float) -> None:
        if not waiting.is_set():  # the first wait is the one the SOP panel's reload cancels
            waiting.set()
            await asyncio.Event().wait()
        await advance(seconds)

    tiny = TinyServer(route, sandbox.base_url)
    servers.append(tiny)
    gw = gateway_to(tiny, sandbox, clock, sleep)
    reading = asyncio.create_task(gw.server_info())
    await waiting.wait()
    reading.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reading
    me = await gw.get("/rest/api/2/myself")  # issued right after: it waits the 10 s out, then goes
    assert me["displayName"] == "Alex Rivera"
    assert arrivals(sandbox, "GET", "/rest/api/2/myself") == [10.0]
    await gw.close()


def noticing(gw: Gateway) -> threading.Event:
    """Set once the app has read a 429 (whichever client read it): the test goes on from there."""
    seen = threading.Event()
    gate = gw.transport.gate
    note = gate.note

    def noted(status: int, headers: Any) -> Any:
        until = note(status, headers)
        if status == 429:
            seen.set()
        return until

    gate.note = noted  # type: ignore[method-assign]
    return seen


async def test_a_read_cancelled_before_its_429_arrives_still_learns_the_wait(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    held = Held(limited(**{"Retry-After": str(WAIT)}))
    tiny = TinyServer(lambda r: held() if r.path.startswith("/rest/api/2/serverInfo") else None, sandbox.base_url)
    servers.append(tiny)
    gw = gateway_to(tiny, sandbox, clock, moving(clock))
    seen = noticing(gw)
    reading = asyncio.create_task(gw.server_info())
    await held.reached()
    reading.cancel()  # the SOP panel reloads its plan while its read is on its way
    with pytest.raises(asyncio.CancelledError):
        await reading
    held.go.set()  # Jira's answer to the read nobody waits for any more: a 429
    assert await asyncio.to_thread(seen.wait, 10), "the app never read the 429"
    with pytest.raises(RateLimitedError) as err:
        await gw.get("/rest/api/2/myself")
    assert (err.value.retry_at - T0).total_seconds() == WAIT
    assert tiny.calls("GET", "/rest/api/2/myself") == 0
    clock.advance(WAIT)
    assert (await gw.get("/rest/api/2/myself"))["displayName"] == "Alex Rivera"
    assert arrivals(sandbox, "GET", "/rest/api/2/myself") == [WAIT]
    await gw.close()


async def test_a_429_met_by_a_jira_library_call_whose_caller_is_gone_still_holds_the_next_request(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    held = Held(limited(**{"Retry-After": str(WAIT)}))
    tiny = TinyServer(lambda r: held() if r.path.startswith("/rest/api/2/field") else None, sandbox.base_url)
    servers.append(tiny)
    gw = gateway_to(tiny, sandbox, clock, moving(clock))
    finished = threading.Event()

    def fields() -> Any:
        try:
            return gw.transport.jira().fields()
        finally:
            finished.set()

    call = asyncio.create_task(gw.transport.jira_call(fields, False))
    await held.reached()
    call.cancel()  # the screen that asked is gone; the library's thread still waits for Jira's answer
    with pytest.raises(asyncio.CancelledError):
        await call
    held.go.set()
    assert await asyncio.to_thread(finished.wait, 10)
    with pytest.raises(RateLimitedError) as err:
        await gw.get("/rest/api/2/myself")
    assert (err.value.retry_at - T0).total_seconds() == WAIT
    assert tiny.calls("GET", "/rest/api/2/myself") == 0
    clock.advance(WAIT)
    assert (await gw.get("/rest/api/2/myself"))["displayName"] == "Alex Rivera"
    assert arrivals(sandbox, "GET", "/rest/api/2/myself") == [WAIT]
    await gw.close()


async def test_the_second_request_of_one_jira_library_call_waits_for_a_429_met_meanwhile(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    held = Held()  # the call's first request, held until the test lets it go

    def route(r: Seen) -> Reply | None:
        if r.path.startswith("/rest/api/2/field"):
            return held() if not held.arrived.is_set() else None
        if r.path.startswith("/rest/api/2/serverInfo"):
            return limited(**{"Retry-After": str(WAIT)})
        return None

    tiny = TinyServer(route, sandbox.base_url)
    servers.append(tiny)
    gw = gateway_to(tiny, sandbox, clock, moving(clock))

    def fields_then_me() -> Any:  # one library call, two requests (as its helpers that look a name up first)
        client = gw.transport.jira()
        return client.fields(), client.myself()

    calling = asyncio.create_task(gw.transport.jira_call(fields_then_me, False))
    await held.reached()
    with pytest.raises(RateLimitedError):  # a poll meets a 429 while the call waits for its first answer
        await gw.server_info()
    held.go.set()
    with pytest.raises(RateLimitedError) as err:
        await calling
    assert "Rate limited by Jira until" in err.value.short()
    assert tiny.calls("GET", "/rest/api/2/myself") == 0  # nothing before the wait is over
    clock.advance(WAIT)
    _fields, me = await gw.transport.jira_call(fields_then_me, False)
    assert me["displayName"] == "Alex Rivera"
    assert arrivals(sandbox, "GET", "/rest/api/2/myself") == [WAIT]
    await gw.close()


async def test_a_request_queued_behind_busy_connections_does_not_go_out_during_a_wait_met_meanwhile(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    busy = [Held() for _ in range(6)]  # the httpx client's connections, each held by a slow read
    busy[0].reply = limited(**{"Retry-After": str(WAIT)})
    answered: set[int] = set()

    def route(r: Seen) -> Reply | None:
        # Held by the ticket asked for, not by arrival: the requests may reach the server in any order.
        if r.path.startswith("/rest/api/2/issue/SS-"):
            n = int(r.path.rsplit("SS-", 1)[1]) - 1
            if n in answered:  # a second try of the same read is answered at once
                return None
            answered.add(n)
            return busy[n]()
        return None

    tiny = TinyServer(route, sandbox.base_url)
    servers.append(tiny)
    gw = gateway_to(tiny, sandbox, clock, moving(clock))
    reads = [asyncio.create_task(gw.get(f"/rest/api/2/issue/SS-{n + 1}")) for n in range(6)]
    for h in busy:
        await h.reached()
    queued = asyncio.create_task(gw.get("/rest/api/2/myself"))
    for _ in range(20):  # let it reach the connection pool's queue
        await asyncio.sleep(0)
    busy[0].go.set()  # the first read meets the 429
    with pytest.raises(RateLimitedError):
        await reads[0]
    with pytest.raises(RateLimitedError):
        await queued
    for h in busy[1:]:
        h.go.set()
    for r in reads[1:]:  # on their way before the 429: answered
        assert (await r)["key"].startswith("SS-")
    assert tiny.calls("GET", "/rest/api/2/myself") == 0
    await gw.close()
