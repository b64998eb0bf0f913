"""The simulator's request journal counts every write it received, apart from what its state
(like Jira's) absorbs: a second watcher or an identical link leaves one in the state and two
in the journal."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from queue_tui.sandbox import Sandbox
from tests.sim_http import client

SAM = "557058:sam-okafor"


@pytest.fixture
def jira(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with client(sandbox) as c:
        yield c


def test_every_request_is_journalled_in_order_with_what_came_in_and_what_went_out(
        sandbox: Sandbox, jira: httpx.Client) -> None:
    mark = sandbox.journal.mark()
    jira.get("/rest/api/2/issue/SS-3", params={"fields": "summary"})
    jira.post("/rest/api/2/issue/SS-3/comment", json={"body": "On it."})
    jira.put("/rest/api/2/issue/SS-3/assignee", json={"accountId": "no-such-person"})
    got = sandbox.requests(since=mark)
    assert [(e.method, e.path, e.status, e.applied) for e in got] == [
        ("GET", "/rest/api/2/issue/SS-3", 200, True),
        ("POST", "/rest/api/2/issue/SS-3/comment", 201, True),
        ("PUT", "/rest/api/2/issue/SS-3/assignee", 400, False),
    ]
    assert got[0].q("fields") == "summary" and got[1].body == {"body": "On it."}
    assert got[1].route == "POST /rest/api/2/issue/{key}/comment"
    assert got[0].seq < got[1].seq < got[2].seq and got[0].at == sandbox.world.clock.now()
    assert sandbox.journal.count("POST", "*/comment", since=mark) == 1
    assert sandbox.journal.count(writes=True, since=mark) == 2


def test_a_watcher_added_twice_is_one_watcher_in_jira_and_two_requests_in_the_journal(
        sandbox: Sandbox, jira: httpx.Client) -> None:
    for _ in range(2):
        assert jira.post("/rest/api/2/issue/SS-4/watchers", json=SAM).status_code == 204
    assert sandbox.world.issues["SS-4"].watchers.count(SAM) == 1
    assert sandbox.journal.count("POST", "/rest/api/2/issue/SS-4/watchers", applied=True) == 2


def test_an_identical_link_twice_is_one_link_but_its_comment_is_added_each_time(
        sandbox: Sandbox, jira: httpx.Client) -> None:
    body = {"type": {"name": "Relates"}, "inwardIssue": {"key": "SS-5"}, "outwardIssue": {"key": "CS-18"},
            "comment": {"body": "Linked the configuration ticket."}}
    before = len(sandbox.world.issues["SS-5"].comments)
    for _ in range(2):
        assert jira.post("/rest/api/2/issueLink", json=body).status_code == 201
    links = [lk for lk in sandbox.world.links_of("SS-5") if "CS-18" in (lk.inward_key, lk.outward_key)]
    assert len(links) == 1
    assert len(sandbox.world.issues["SS-5"].comments) == before + 2
    assert sandbox.journal.count("POST", "*/issueLink", applied=True) == 2


def test_comments_and_new_tickets_are_never_de_duplicated(sandbox: Sandbox, jira: httpx.Client) -> None:
    for _ in range(2):
        jira.post("/rest/servicedeskapi/request/SS-7/comment", json={"body": "Same words", "public": False})
        jira.post("/rest/api/2/issue", json={"fields": {"project": {"key": "CS"}, "issuetype": {"name": "Task"},
                                                        "summary": "Same summary"}})
    assert [c.body for c in sandbox.world.issues["SS-7"].comments].count("Same words") == 2
    assert sum(1 for i in sandbox.world.issues.values() if i.summary == "Same summary") == 2


def test_a_write_whose_answer_was_lost_is_journalled_as_applied_without_an_answer(
        sandbox: Sandbox, jira: httpx.Client) -> None:
    sandbox.faults.inject("drop", path_glob="*/comment", method="POST")
    with pytest.raises(httpx.TransportError):
        jira.post("/rest/api/2/issue/SS-8/comment", json={"body": "Did this land?"})
    (entry,) = sandbox.requests("POST", "/rest/api/2/issue/SS-8/comment")
    assert entry.fault == "drop" and entry.status is None and entry.applied
    assert sandbox.world.issues["SS-8"].comments[-1].body == "Did this land?"


def test_a_write_refused_before_any_work_is_journalled_as_not_applied(sandbox: Sandbox, jira: httpx.Client) -> None:
    sandbox.faults.inject("429", method="PUT")
    r = jira.put("/rest/api/2/issue/SS-8/assignee", json={"accountId": SAM})
    assert r.status_code == 429
    (entry,) = sandbox.requests("PUT", "*/assignee")
    assert entry.status == 429 and not entry.applied and entry.fault == "429"
    assert sandbox.world.issues["SS-8"].assignee != SAM


def test_the_journal_reads_from_another_process_through_the_control_path(sandbox: Sandbox, jira: httpx.Client) -> None:
    jira.post("/rest/api/2/issue/SS-9/watchers", json=SAM)
    rows = httpx.get(sandbox.base_url + "/__sim__/journal", params={"method": "POST", "path_glob": "*/watchers"}).json()
    assert [(r["path"], r["status"], r["applied"], r["body"]) for r in rows] == [
        ("/rest/api/2/issue/SS-9/watchers", 204, True, SAM)]
    assert httpx.get(sandbox.base_url + "/__sim__/stats").json()["by_route"]["POST /rest/api/2/issue/{key}/watchers"] == 1


def test_repeated_writes_are_listed_with_how_often_they_came(sandbox: Sandbox, jira: httpx.Client) -> None:
    for _ in range(2):
        jira.post("/rest/api/2/issue/SS-10/watchers", json=SAM)
        jira.post("/rest/api/2/issue/SS-10/comment", json={"body": "Twice?"})
    jira.post("/rest/api/2/issue/SS-10/comment", json={"body": "Once."})
    assert sandbox.journal.repeated(writes=True) == {
        ("POST", "/rest/api/2/issue/SS-10/watchers", f'"{SAM}"'): 2,
        ("POST", "/rest/api/2/issue/SS-10/comment", '{"body": "Twice?"}'): 2,
    }


def test_a_second_agent_signs_in_as_themselves_and_their_writes_carry_their_name(
        sandbox: Sandbox, jira: httpx.Client) -> None:
    email, token = sandbox.add_agent("557058:priya-nair", "priya-token")
    with httpx.Client(base_url=sandbox.base_url, auth=(email, token)) as priya:
        assert priya.get("/rest/api/2/myself").json()["displayName"] == "Priya Nair"
        priya.put("/rest/api/2/issue/SS-12/assignee", json={"accountId": "557058:priya-nair"})
        priya.post("/rest/api/2/issue/SS-12/comment", json={"body": "Mine now."})
        mine = priya.get("/rest/api/3/search/jql", params={"jql": "assignee = currentUser() AND key = SS-12"}).json()
    assert [i["id"] for i in mine["issues"]] == [sandbox.world.issues["SS-12"].id]
    assert jira.get("/rest/api/2/myself").json()["displayName"] == "Alex Rivera"
    changes = jira.get("/rest/api/2/issue/SS-12/changelog").json()["values"]
    assert changes[-1]["author"]["displayName"] == "Priya Nair"
    assert sandbox.world.issues["SS-12"].comments[-1].author == "557058:priya-nair"
    assert {e.account for e in sandbox.requests("PUT", "*/assignee")} == {"557058:priya-nair"}
    with httpx.Client(base_url=sandbox.base_url, auth=(email, "wrong")) as nobody:
        assert nobody.get("/rest/api/2/myself").status_code == 401
