"""The `jira` library, unmodified, works against the simulator for each call the app makes with it."""

from __future__ import annotations

from jira import JIRA

from queue_tui.sandbox import Sandbox


def _client(sb: Sandbox) -> JIRA:
    c = sb.credentials
    opts = {"server": sb.base_url, "rest_api_version": "2"}
    if c.mode == "cloud":
        return JIRA(options=opts, basic_auth=(c.email, c.token), max_retries=0)
    return JIRA(options=opts, token_auth=c.pat, max_retries=0)


def test_server_info_fields_and_issue(any_sandbox: Sandbox) -> None:
    j = _client(any_sandbox)
    info = j.server_info()
    assert info["deploymentType"] == ("Cloud" if any_sandbox.world.mode == "cloud" else "Server")
    names = {f["name"] for f in j.fields()}
    assert {"Request Type", "Organizations", "Time to first response", "QA Assignee"} <= names
    issue = j.issue("SS-1")
    assert issue.key == "SS-1" and issue.fields.summary


def test_create_issue_link_and_transition_by_name(any_sandbox: Sandbox) -> None:
    j = _client(any_sandbox)
    created = j.create_issue(fields={"project": {"key": "CS"}, "issuetype": {"name": "Doc"},
                                     "summary": "Chris - Sighten Solar - New contract"})
    assert any_sandbox.world.issues[created.key].issue_type == "Doc"
    j.create_issue_link("Relates", "SS-2", created.key)
    assert any(lk.outward_key == created.key and lk.inward_key == "SS-2" for lk in any_sandbox.world.links)
    tid = j.find_transitionid_by_name(created.key, "Put on hold")
    j.transition_issue(created.key, tid)
    assert any_sandbox.world.issues[created.key].status == "On Hold"


def test_search_uses_the_deployments_own_endpoint(any_sandbox: Sandbox) -> None:
    j = _client(any_sandbox)
    if any_sandbox.world.mode == "cloud":
        hits = j.enhanced_search_issues("project = CS AND issuetype = Epic", maxResults=100)
    else:
        hits = j.search_issues("project = CS AND issuetype = Epic", maxResults=100)
    assert len(hits) == 17
