"""The simulator answers as Jira does where the app could be fooled: error shapes per API, the
experimental header only where JSM demands it, `expand` on a customer request, anonymous
serverInfo, and a 401 that comes as an HTML page. Each is checked against the official specs."""

from __future__ import annotations

import re

import httpx
import pytest

from queue_tui.sandbox import Credentials, ManualClock, Sandbox, start_sandbox
from tests.contract import spec
from tests.sim_http import client

OPT_IN = {"X-ExperimentalApi": "opt-in"}
# Sample values for the path parameters of every route the simulator serves.
SAMPLES = {"v": "3", "key": "SS-1", "sd": "1", "qid": "1", "prop": "queue-tui.claim", "cid": "20001", "aid": "40001",
           "oid": "1", "filename": "form.pdf"}
# Routes that are not REST operations of the Cloud specs, with why.
NOT_IN_SPECS = {
    ("GET", "/rest/api/3/search"),  # Data Center's search; Cloud answers 410 (CHANGE-2046)
    ("POST", "/rest/api/3/search"),
}


def _sample_path(pattern: str) -> str:
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLES[m.group(1)], pattern)
    return path.removesuffix("/?$")


def _routes(sb: Sandbox) -> list[tuple[str, str, bool]]:
    assert sb.router is not None
    return [(r.method, _sample_path(r.pattern.pattern), r.experimental) for r in sb.router.routes
            if r.pattern.pattern.startswith("/rest/")]


def test_every_rest_route_of_the_simulator_is_an_operation_of_the_specs(sandbox: Sandbox) -> None:
    missing = [f"{m} {p}" for m, p, _ in _routes(sandbox)
               if (m, p) not in NOT_IN_SPECS and spec.operation(m, p) is None]
    assert not missing, missing


def test_the_experimental_header_is_demanded_exactly_where_the_jsm_spec_marks_the_operation(sandbox: Sandbox) -> None:
    wrong = [f"{m} {p}: simulator {exp}, spec {spec.experimental(m, p)}" for m, p, exp in _routes(sandbox)
             if (m, p) not in NOT_IN_SPECS and spec.experimental(m, p) != exp]
    assert not wrong, wrong
    assert any(exp for _m, _p, exp in _routes(sandbox)), "no experimental route served: the check proves nothing"


def test_a_customer_request_reads_without_the_experimental_header(jira: httpx.Client) -> None:
    r = jira.get("/rest/servicedeskapi/request/SS-1")
    assert r.status_code == 200 and r.json()["issueKey"] == "SS-1"
    r = jira.get("/rest/servicedeskapi/request/SS-1/comment")
    assert r.status_code == 200


def test_an_experimental_operation_without_the_header_answers_412_in_the_jsm_error_shape(jira: httpx.Client) -> None:
    r = jira.get("/rest/servicedeskapi/requesttype")
    assert r.status_code == 412
    body = r.json()
    assert "X-ExperimentalApi" in body["errorMessage"] and "errorMessages" not in body
    assert spec.check_schema("jsm", "ErrorResponse", body) == []
    assert jira.get("/rest/servicedeskapi/requesttype", headers=OPT_IN).status_code == 200


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("GET", "/rest/servicedeskapi/request/SS-99999", None, 404),
    ("GET", "/rest/servicedeskapi/request/CS-1", None, 404),  # a CS ticket is not a customer request
    ("POST", "/rest/servicedeskapi/request/SS-1/comment", {"body": "", "public": True}, 400),
    ("POST", "/rest/servicedeskapi/request/SS-1/participant", {"accountIds": ["nobody-here"]}, 400),
    ("GET", "/rest/servicedeskapi/servicedesk/9/queue", None, 404),
])
def test_service_desk_errors_come_in_the_jsm_error_shape(jira: httpx.Client, method: str, path: str,
                                                         body: object, status: int) -> None:
    r = jira.request(method, path, json=body)
    assert r.status_code == status
    data = r.json()
    assert set(data) == {"errorMessage", "i18nErrorMessage"} and data["errorMessage"]
    assert spec.check_response(method, path, status, data) == []


def test_service_desk_401_comes_in_the_jsm_error_shape(sandbox: Sandbox) -> None:
    with client(sandbox, signed_in=False) as anon:
        r = anon.get("/rest/servicedeskapi/request/SS-1")
    assert r.status_code == 401
    assert spec.check_response("GET", "/rest/servicedeskapi/request/SS-1", 401, r.json()) == []


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("GET", "/rest/api/3/issue/SS-99999", None, 404),
    ("PUT", "/rest/api/3/issue/SS-1", {"fields": {"duedate": "next tuesday"}}, 400),
    ("GET", "/rest/api/3/search/jql?jql=order+by+created", None, 400),
])
def test_platform_errors_keep_the_platform_shape(jira: httpx.Client, method: str, path: str, body: object,
                                                 status: int) -> None:
    r = jira.request(method, path, json=body)
    assert r.status_code == status
    data = r.json()
    assert "errorMessage" not in data and (data["errorMessages"] or data["errors"])
    assert spec.check_schema("platform", "ErrorCollection", data) == []


def test_a_customer_request_without_expand_lists_what_expands_and_leaves_it_out(jira: httpx.Client) -> None:
    data = jira.get("/rest/servicedeskapi/request/SS-1").json()
    assert set(data["_expands"]) == {"participant", "status", "sla", "requestType", "serviceDesk", "attachment",
                                     "action", "comment"}
    assert not {"participants", "status", "sla", "requestType", "serviceDesk", "attachments", "actions",
                "comments"} & set(data)
    assert spec.check_response("GET", "/rest/servicedeskapi/request/SS-1", 200, data) == []


@pytest.mark.parametrize(("expand", "part"), [
    ("participant", "participants"), ("status", "status"), ("sla", "sla"), ("requestType", "requestType"),
    ("serviceDesk", "serviceDesk"), ("attachment", "attachments"), ("action", "actions"), ("comment", "comments"),
])
def test_each_expand_adds_its_part_of_the_customer_request(jira: httpx.Client, expand: str, part: str) -> None:
    data = jira.get("/rest/servicedeskapi/request/SS-6", params={"expand": expand}).json()
    assert part in data and expand not in data["_expands"]
    assert spec.check_response("GET", "/rest/servicedeskapi/request/SS-6", 200, data) == []


def test_expanded_parts_carry_the_tickets_own_data(sandbox: Sandbox, jira: httpx.Client) -> None:
    issue = sandbox.world.issues["SS-6"]  # a request type, a comment, a status change and an attachment
    data = jira.get("/rest/servicedeskapi/request/SS-6",
                    params={"expand": "sla,requestType,status,comment,attachment"}).json()
    assert [s["name"] for s in data["sla"]["values"]] == ["Time to first response", "Time to resolution"]
    assert data["requestType"]["id"] == issue.request_type
    assert [s["status"] for s in data["status"]["values"]] == [name for name, _ in issue.status_history]
    assert len(issue.status_history) > 1 and issue.comments and issue.attachments
    assert [c["body"] for c in data["comments"]["values"]] == [c.body for c in issue.comments]
    assert [a["filename"] for a in data["attachments"]["values"]] == [a.filename for a in issue.attachments]


def test_server_info_answers_without_credentials_and_nothing_else_does(sandbox: Sandbox) -> None:
    with client(sandbox, signed_in=False) as anon:
        info = anon.get("/rest/api/2/serverInfo")
        me = anon.get("/rest/api/2/myself")
    assert info.status_code == 200 and info.json()["deploymentType"] == "Cloud"
    assert spec.check_response("GET", "/rest/api/3/serverInfo", 200, info.json()) == []
    assert me.status_code == 401


def test_a_refused_token_can_come_back_as_an_html_page(clock: ManualClock) -> None:
    sb = start_sandbox(clock=clock, credentials=Credentials("cloud", html_401=True))
    try:
        with httpx.Client(base_url=sb.base_url, auth=("agent@goeverbright.com", "revoked-token")) as bad:
            r = bad.get("/rest/api/2/myself")
        assert r.status_code == 401
        assert r.headers["Content-Type"].startswith("text/html") and r.text.lstrip().startswith("<!DOCTYPE html>")
        with client(sb) as good:
            assert good.get("/rest/api/2/myself").status_code == 200
    finally:
        sb.stop()
