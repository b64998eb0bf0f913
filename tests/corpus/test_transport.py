"""The way to Jira under a hostile network, each case against a tiny server of the test's own on
127.0.0.1 (passing the rest through to the simulator): redirects are not followed, a hanging
server costs a bounded time and does not stop polling, rate limits are waited out once and
capped, paging runs to the last token, a refused login reads as one, a bad certificate is named."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.errors import (
    AuthError,
    CertificateError,
    ForbiddenError,
    RateLimitedError,
    RedirectError,
    UnavailableError,
    UnclearWriteError,
)
from queue_tui.service.gateway import Connection, Gateway, WriteResult
from tests.corpus.tiny_server import HANG, Reply, Seen, TinyServer


def gateway_to(url: str, sb: Sandbox, clock: ManualClock, timeout: float = 5.0, **kw: Any) -> Gateway:
    c = sb.credentials

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)

    conn = Connection(url, "cloud", email=c.email, token=c.token, timeout=timeout, **kw)
    return Gateway(conn, clock=clock.now, sleep=sleep)


def serve(servers: list[TinyServer], route: Any, upstream: str | None = None, **kw: Any) -> TinyServer:
    s = TinyServer(route, upstream, **kw)
    servers.append(s)
    return s


# -- redirects ---------------------------------------------------------------------------------
async def test_a_redirect_is_not_followed_and_says_where_jira_pointed(sandbox: Sandbox, clock: ManualClock,
                                                                      servers: list[TinyServer]) -> None:
    elsewhere = serve(servers, lambda r: Reply.json(200, {"accountId": "x", "displayName": "Mallory"}))
    tiny = serve(servers, lambda r: Reply(307, headers={"Location": f"{elsewhere.url}/rest/api/2/myself?sig=abc"})
                 if r.path.startswith("/rest/api/2/myself") else None, sandbox.base_url)
    gw = gateway_to(tiny.url, sandbox, clock)
    with pytest.raises(RedirectError) as err:
        await gw.open()
    assert f"redirect (HTTP 307) to {elsewhere.url}/rest/api/2/myself;" in err.value.short()
    assert "sig=abc" not in err.value.short()
    assert elsewhere.seen == []
    await gw.close()


async def test_a_307_on_creating_a_ticket_through_the_jira_library_is_not_followed(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    elsewhere = serve(servers, lambda r: Reply.json(201, {"id": "99999", "key": "CS-999", "self": "x"}))
    tiny = serve(servers, lambda r: Reply(307, headers={"Location": f"{elsewhere.url}/rest/api/2/issue"})
                 if r.method == "POST" and r.path == "/rest/api/2/issue" else None, sandbox.base_url)
    audit: list[WriteResult] = []
    gw = gateway_to(tiny.url, sandbox, clock)
    gw.audit = audit.append
    await gw.open()
    fields = {"project": {"key": "CS"}, "summary": "Configure Helios portal", "issuetype": {"name": "Task"}}
    with pytest.raises(RedirectError) as err:
        await gw.create_issue(fields, find_jql='project = CS AND summary ~ "Configure Helios portal"')
    assert "redirect (HTTP 307)" in err.value.short() and "CS-999" not in err.value.short()
    assert elsewhere.seen == []  # the ticket body never left for the other host
    assert tiny.calls("POST", "/rest/api/2/issue") == 1
    assert not any(i.summary == "Configure Helios portal" for i in sandbox.world.issues.values())
    assert [(a.action, a.ok) for a in audit] == [("create issue", False)]
    await gw.close()


# -- a hanging server --------------------------------------------------------------------------
async def test_a_hanging_comment_costs_one_send_and_one_check_and_polling_goes_on(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    tiny = serve(servers, lambda r: HANG if r.method == "POST" and r.path.endswith("/comment") else None,
                 sandbox.base_url)
    gw = await gateway_to(tiny.url, sandbox, clock, timeout=2.0).open()
    desk = str((await gw.service_desks())[0]["id"])
    queue = (await gw.queues(desk))[0]
    write = asyncio.create_task(gw.add_comment("SS-5", "Looking into it now.", public=False))
    await asyncio.sleep(0.05)
    snap = await gw.snapshot(queue, desk)  # a poll while the write hangs
    assert snap.tickets and not write.done()
    with pytest.raises(UnclearWriteError) as err:
        await write
    assert "check SS-5 before trying again" in err.value.short()
    assert tiny.calls("POST", "/rest/servicedeskapi/request/SS-5/comment") == 1  # never sent twice
    assert tiny.calls("GET", "/rest/servicedeskapi/request/SS-5/comment") == 1  # checked once
    await gw.close()


async def test_a_hanging_ticket_creation_through_the_jira_library_is_checked_once_never_resent(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    tiny = serve(servers, lambda r: HANG if r.method == "POST" and r.path == "/rest/api/2/issue" else None,
                 sandbox.base_url)
    gw = await gateway_to(tiny.url, sandbox, clock, timeout=1.0).open()
    fields = {"project": {"key": "CS"}, "summary": "Configure Summit portal", "issuetype": {"name": "Task"}}
    with pytest.raises(UnclearWriteError) as err:
        await gw.create_issue(fields, find_jql='project = CS AND summary ~ "Configure Summit portal"')
    assert "check the CS project before trying again" in err.value.short()
    assert tiny.calls("POST", "/rest/api/2/issue") == 1
    assert tiny.calls("GET", "/rest/api/2/search") == 1
    await gw.close()


async def test_a_hanging_read_gives_up_within_its_deadline(sandbox: Sandbox, clock: ManualClock,
                                                           servers: list[TinyServer]) -> None:
    tiny = serve(servers, lambda r: HANG if r.path.startswith("/rest/api/2/serverInfo") else None, sandbox.base_url)
    gw = gateway_to(tiny.url, sandbox, clock, timeout=0.3)
    with pytest.raises(UnavailableError, match="Jira unreachable"):
        await gw.server_info()
    assert tiny.calls("GET", "/rest/api/2/serverInfo") == 2  # a second try fits in 0.9 s, a third does not
    await gw.close()


async def test_a_closed_port_says_nothing_answered_there_and_that_nothing_was_sent(
        sandbox: Sandbox, clock: ManualClock) -> None:
    import socket

    with socket.socket() as s:  # a port that was free a moment ago and that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gw = gateway_to(f"http://127.0.0.1:{port}", sandbox, clock, timeout=0.5)
    with pytest.raises(UnavailableError) as err:
        await gw.server_info()
    assert "nothing answered on that address and port" in err.value.short()
    await gw.close()


def test_a_host_name_that_does_not_resolve_is_named_as_such_by_either_library() -> None:
    import httpx
    import requests

    from queue_tui.service.responses import connect_failure

    with pytest.raises(httpx.ConnectError) as by_httpx:
        httpx.get("https://queue-tui-site.invalid/", timeout=5)
    with pytest.raises(requests.ConnectionError) as by_requests:
        requests.get("https://queue-tui-site.invalid/", timeout=5)
    for exc in (by_httpx.value, by_requests.value):
        assert "host name was not found" in connect_failure(exc)


# -- rate limits -------------------------------------------------------------------------------
def _rate_limited(path: str, **headers: str) -> Any:
    return lambda r: Reply.json(429, {"errorMessages": ["Rate limit exceeded"]}, **headers) if r.path.startswith(path) else None


async def test_a_429_with_an_http_date_three_days_away_waits_five_minutes_and_sends_nothing_before(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    start = clock.now()
    when = format_datetime(start + timedelta(days=3), usegmt=True)
    tiny = serve(servers, _rate_limited("/rest/api/2/serverInfo", **{"Retry-After": when}), sandbox.base_url)
    gw = gateway_to(tiny.url, sandbox, clock)
    with pytest.raises(RateLimitedError) as err:
        await gw.server_info()
    assert (err.value.retry_at - start).total_seconds() == 300  # jira.max_wait_seconds, not three days
    assert err.value.short() == f"Rate limited by Jira until {err.value.retry_at.astimezone():%H:%M}"
    assert tiny.calls("GET", "/rest/api/2/serverInfo") == 1  # a wait past the call's deadline: it stops at once
    clock.advance(200)
    with pytest.raises(RateLimitedError):
        await gw.get("/rest/api/2/myself")
    assert tiny.calls("GET", "/rest/api/2/myself") == 0  # nothing goes out before the wait is over
    clock.advance(90)  # 10 s left, within a call's deadline: the call waits them out, then sends
    assert (await gw.get("/rest/api/2/myself"))["displayName"] == "Alex Rivera"
    assert (clock.now() - start).total_seconds() == 300
    await gw.close()


async def test_the_longest_wait_is_configurable(sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    tiny = serve(servers, _rate_limited("/rest/api/2/serverInfo", **{"Retry-After": "86400"}), sandbox.base_url)
    gw = gateway_to(tiny.url, sandbox, clock, max_wait=60.0)
    with pytest.raises(RateLimitedError) as err:
        await gw.server_info()
    assert (err.value.retry_at - clock.now()).total_seconds() == 60
    await gw.close()


async def test_the_jira_library_path_obeys_the_same_capped_wait(sandbox: Sandbox, clock: ManualClock,
                                                                servers: list[TinyServer]) -> None:
    tiny = serve(servers, _rate_limited("/rest/api/2/field", **{"Retry-After": "86400"}), sandbox.base_url)
    gw = gateway_to(tiny.url, sandbox, clock)
    start = clock.now()
    with pytest.raises(RateLimitedError) as err:
        await gw.jira_fields()
    assert (err.value.retry_at - start).total_seconds() == 300
    assert tiny.calls("GET", "/rest/api/2/field") == 1
    with pytest.raises(RateLimitedError):  # the httpx client waits for the same gate
        await gw.get("/rest/api/2/myself")
    assert tiny.calls("GET", "/rest/api/2/myself") == 0
    await gw.close()


async def test_x_ratelimit_reset_alone_says_how_long(sandbox: Sandbox, clock: ManualClock,
                                                     servers: list[TinyServer]) -> None:
    reset = (clock.now() + timedelta(seconds=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    tiny = serve(servers, _rate_limited("/rest/api/2/serverInfo", **{"X-RateLimit-Reset": reset}), sandbox.base_url)
    gw = gateway_to(tiny.url, sandbox, clock)
    with pytest.raises(RateLimitedError) as err:
        await gw.server_info()
    assert (err.value.retry_at - clock.now()).total_seconds() == 40
    await gw.close()


async def test_a_503_with_retry_after_is_waited_out_then_answered(sandbox: Sandbox, clock: ManualClock,
                                                                  servers: list[TinyServer]) -> None:
    answered: list[float] = []

    def route(r: Seen) -> Reply | None:
        if not r.path.startswith("/rest/api/2/serverInfo"):
            return None
        answered.append((clock.now() - start).total_seconds())
        return Reply.json(503, {}, **{"Retry-After": "4"}) if len(answered) == 1 else None

    start = clock.now()
    tiny = serve(servers, route, sandbox.base_url)
    gw = gateway_to(tiny.url, sandbox, clock)
    assert (await gw.server_info())["deploymentType"] == "Cloud"
    assert answered == [0, 4]
    await gw.close()


# -- paging ------------------------------------------------------------------------------------
def _without(key: str, path: str, holder: list[TinyServer]) -> Any:
    def route(r: Seen) -> Reply | None:
        if not r.path.startswith(path):
            return None
        reply = holder[0].forward(r)
        data = json.loads(reply.body)
        data.pop(key, None)
        return Reply.json(reply.status, data)
    return route


async def test_search_pages_to_the_last_token_when_is_last_is_left_out(sandbox: Sandbox, clock: ManualClock,
                                                                       servers: list[TinyServer]) -> None:
    holder: list[TinyServer] = []
    tiny = serve(servers, _without("isLast", "/rest/api/2/search/jql", holder), sandbox.base_url)
    holder.append(tiny)
    direct = Gateway(Connection(sandbox.base_url, "cloud", email=sandbox.credentials.email,
                                token=sandbox.credentials.token), clock=clock.now)
    gw = gateway_to(tiny.url, sandbox, clock)
    want = await direct.search("project = SS", ["summary"], page_size=7)
    got = await gw.search("project = SS", ["summary"], page_size=7)
    assert len(want) > 14 and [i["key"] for i in got] == [i["key"] for i in want]
    await gw.close()
    await direct.close()


async def test_a_page_token_that_never_ends_stops_with_a_clear_error(sandbox: Sandbox, clock: ManualClock,
                                                                     servers: list[TinyServer]) -> None:
    tiny = serve(servers, lambda r: Reply.json(200, {"issues": [{"key": "SS-1", "fields": {}}], "nextPageToken": "again"}))
    gw = gateway_to(tiny.url, sandbox, clock)
    with pytest.raises(UnavailableError, match="same next-page token twice"):
        await gw.search("project = SS", ["summary"])
    assert tiny.calls("GET", "/rest/api/2/search/jql") == 2
    await gw.close()


async def test_service_desk_lists_page_until_an_empty_page_when_is_last_page_is_left_out(
        sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer]) -> None:
    holder: list[TinyServer] = []
    tiny = serve(servers, _without("isLastPage", "/rest/servicedeskapi/organization", holder), sandbox.base_url)
    holder.append(tiny)
    direct = Gateway(Connection(sandbox.base_url, "cloud", email=sandbox.credentials.email,
                                token=sandbox.credentials.token), clock=clock.now)
    gw = gateway_to(tiny.url, sandbox, clock)
    want = await direct.organizations()
    got = await gw.organizations()
    assert len(want) > 0 and got == want
    await gw.close()
    await direct.close()


# -- refused logins, permissions and certificates ---------------------------------------------------
PAGE = b"<!DOCTYPE html><html><body><h1>Log in</h1></body></html>"


@pytest.mark.parametrize("client", ["httpx", "jira library"])
async def test_a_401_web_page_reads_as_refused_credentials(sandbox: Sandbox, clock: ManualClock,
                                                           servers: list[TinyServer], client: str) -> None:
    tiny = serve(servers, lambda r: Reply(401, PAGE, {"Content-Type": "text/html"}))
    gw = gateway_to(tiny.url, sandbox, clock)
    with pytest.raises(AuthError) as err:
        await (gw.open() if client == "httpx" else gw.jira_fields())
    assert err.value.short().startswith("Jira refused the credentials")
    await gw.close()


async def test_a_403_web_page_reads_as_no_permission(sandbox: Sandbox, clock: ManualClock,
                                                     servers: list[TinyServer]) -> None:
    tiny = serve(servers, lambda r: Reply(403, PAGE, {"Content-Type": "text/html"}))
    gw = gateway_to(tiny.url, sandbox, clock)
    with pytest.raises(ForbiddenError) as err:
        await gw.open()
    assert err.value.short().startswith("No permission (403)")
    await gw.close()


@pytest.mark.parametrize("client", ["httpx", "jira library"])
async def test_a_self_signed_certificate_is_named(sandbox: Sandbox, clock: ManualClock, servers: list[TinyServer],
                                                  tmp_path: Any, client: str) -> None:
    from tests.corpus.certs import self_signed_context

    tiny = serve(servers, lambda r: Reply.json(200, {}), tls=self_signed_context(tmp_path))
    gw = gateway_to(tiny.url, sandbox, clock)
    with pytest.raises(CertificateError) as err:
        await (gw.open() if client == "httpx" else gw.jira_fields())
    assert "certificate was not accepted" in err.value.short() and "self" in err.value.short()
    assert tiny.seen == []
    await gw.close()


async def test_a_context_path_in_the_url_reaches_jira_under_it(sandbox: Sandbox, clock: ManualClock,
                                                                servers: list[TinyServer]) -> None:
    holder: list[TinyServer] = []

    def route(r: Seen) -> Reply:
        if not r.path.startswith("/jira/"):
            return Reply.json(404, {"errorMessages": ["not under /jira"]})
        return holder[0].forward(r, r.path.removeprefix("/jira"))

    tiny = serve(servers, route, sandbox.base_url)
    holder.append(tiny)
    gw = await gateway_to(f"{tiny.url}/jira", sandbox, clock).open()
    assert gw.me is not None and gw.me.name == "Alex Rivera"
    assert any(f.get("id") == "summary" for f in await gw.jira_fields())
    await gw.close()
