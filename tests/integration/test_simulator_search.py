"""Search on the simulator as Jira Cloud answers it: JQL dates and keys, ORDER BY updated, an
eventually consistent index and `reconcileIssues` for read-after-write, pages without isLast."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from tests.conftest import T0
from tests.sim_http import client

SEARCH = "/rest/api/3/search/jql"


@pytest.fixture
def jira(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with client(sandbox) as c:
        yield c


def keys(jira: httpx.Client, jql: str, **extra: Any) -> list[str]:
    r = jira.post(SEARCH, json={"jql": jql, "fields": ["key"], "maxResults": 500, **extra})
    assert r.status_code == 200, r.text
    return [i["key"] for i in r.json()["issues"]]


def touch(jira: httpx.Client, key: str, summary: str) -> None:
    assert jira.put(f"/rest/api/2/issue/{key}", json={"fields": {"summary": summary}}).status_code == 204


def test_updated_since_a_minute_in_jiras_date_format_finds_what_changed(
        jira: httpx.Client, clock: ManualClock) -> None:
    clock.advance(minutes=30)
    touch(jira, "SS-12", "Changed after the mark")
    mark = T0.strftime("%Y/%m/%d %H:%M")
    assert keys(jira, f'project = SS AND updated >= "{mark}"') == ["SS-12"]
    assert keys(jira, f'project = SS AND updated >= "{T0:%Y-%m-%d %H:%M}"') == ["SS-12"]
    assert keys(jira, "project = SS AND updated >= -5m") == ["SS-12"]
    assert keys(jira, 'project = SS AND updated >= "-1w 2d"') != []


@pytest.mark.parametrize("bad", ["2026-11-18T15:00:00", "18/11/2026", "yesterday", "-5 minutes"])
def test_a_date_jira_would_refuse_is_refused(jira: httpx.Client, bad: str) -> None:
    r = jira.get(SEARCH, params={"jql": f'project = SS AND updated >= "{bad}"'})
    assert r.status_code == 400
    assert f"Date value '{bad}' for field 'updated' is invalid" in r.json()["errorMessages"][0]


def test_key_in_finds_the_listed_tickets_and_a_missing_key_is_an_error(jira: httpx.Client) -> None:
    assert sorted(keys(jira, "key in (SS-3, SS-1, CS-18)")) == ["CS-18", "SS-1", "SS-3"]
    r = jira.get(SEARCH, params={"jql": "key in (SS-1, SS-99999)"})
    assert r.status_code == 400
    assert r.json()["errorMessages"] == ["An issue with key 'SS-99999' does not exist for field 'key'."]


def test_order_by_updated_puts_the_latest_change_first(jira: httpx.Client, clock: ManualClock) -> None:
    for n, key in enumerate(("SS-20", "SS-4", "SS-31")):
        clock.advance(seconds=10)
        touch(jira, key, f"Touched {n}")
    assert keys(jira, "project = SS ORDER BY updated DESC")[:3] == ["SS-31", "SS-4", "SS-20"]
    assert keys(jira, "project = SS ORDER BY updated ASC")[-3:] == ["SS-20", "SS-4", "SS-31"]


def test_a_lagging_index_hides_a_fresh_change_until_reconciled_or_settled(
        sandbox: Sandbox, jira: httpx.Client, clock: ManualClock) -> None:
    sandbox.world.search_lag = 5
    keys(jira, "project = SS")  # search catches up with the seed
    clock.advance(seconds=60)
    touch(jira, "SS-14", "Fresh change")
    jql = "project = SS AND updated >= -1m"
    issue_id = sandbox.world.issues["SS-14"].id
    assert keys(jira, jql) == []
    assert keys(jira, jql, reconcileIssues=[int(issue_id)]) == ["SS-14"]
    r = jira.get(SEARCH, params={"jql": jql, "fields": "key", "reconcileIssues": issue_id})
    assert [i["key"] for i in r.json()["issues"]] == ["SS-14"]
    clock.advance(seconds=6)
    assert keys(jira, jql) == ["SS-14"]


def test_a_lagging_index_does_not_see_a_new_ticket_until_reconciled(
        sandbox: Sandbox, jira: httpx.Client, clock: ManualClock) -> None:
    sandbox.world.search_lag = 5
    r = jira.post("/rest/api/2/issue", json={"fields": {"project": {"key": "CS"}, "issuetype": {"name": "Task"},
                                                        "summary": "Just made"}})
    made = r.json()
    jql = 'project = CS AND summary ~ "Just made"'
    assert keys(jira, jql) == []
    assert keys(jira, jql, reconcileIssues=[int(made["id"])]) == [made["key"]]


def test_more_than_fifty_reconciled_ids_are_refused(jira: httpx.Client) -> None:
    r = jira.post(SEARCH, json={"jql": "project = SS", "reconcileIssues": list(range(10001, 10052))})
    assert r.status_code == 400


def test_a_page_can_come_without_is_last_and_only_the_token_says_more_follow(
        sandbox: Sandbox, jira: httpx.Client) -> None:
    sandbox.faults.configure(rates={"no-islast": 1.0})
    first = jira.post(SEARCH, json={"jql": "project = SS", "fields": ["summary"], "maxResults": 20}).json()
    assert "isLast" not in first and first["nextPageToken"]
    seen = len(first["issues"])
    token = first["nextPageToken"]
    while token:
        page = jira.post(SEARCH, json={"jql": "project = SS", "fields": ["summary"], "maxResults": 20,
                                       "nextPageToken": token}).json()
        assert "isLast" not in page
        seen += len(page["issues"])
        token = page.get("nextPageToken")
    assert seen == sum(1 for i in sandbox.world.issues.values() if i.project == "SS")
    assert sandbox.faults.injected["no-islast"] >= 2


def test_requests_per_poll_are_counted_by_the_journal(sandbox: Sandbox, jira: httpx.Client) -> None:
    mark = sandbox.journal.mark()
    keys(jira, "project = SS AND updated >= -5m")
    jira.get("/rest/servicedeskapi/servicedesk/1/queue/1/issue")
    assert len(sandbox.requests(since=mark)) == 2
    assert sandbox.journal.count("POST", "/rest/api/*/search/jql", since=mark) == 1


def test_data_center_searches_the_legacy_way_and_has_no_enhanced_search(clock: ManualClock) -> None:
    from queue_tui.sandbox import start_sandbox

    sb = start_sandbox(mode="dc", clock=clock)
    try:
        with client(sb) as jira:
            assert jira.get(SEARCH, params={"jql": "project = SS"}).status_code == 404
            page = jira.get("/rest/api/2/search", params={"jql": "project = SS", "maxResults": 10}).json()
            assert page["total"] == sum(1 for i in sb.world.issues.values() if i.project == "SS")
            assert len(page["issues"]) == 10 and page["startAt"] == 0
    finally:
        sb.stop()
