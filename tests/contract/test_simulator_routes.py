"""Every request of the simulator's newer routes, and every answer, fits the official specs:
comment and issue properties, attachments, changelogs, edit metadata and multi-select edits, customers and organizations, priorities, search with
reconcileIssues, a customer request with every expand."""

from __future__ import annotations

import httpx

from queue_tui.sandbox import Sandbox
from tests.contract import spec

OPT_IN = {"X-ExperimentalApi": "opt-in"}


def _exercise(jira: httpx.Client, sb: Sandbox) -> None:
    c = jira.post("/rest/api/3/issue/SS-2/comment?expand=properties", json={
        "body": {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [
            {"type": "text", "text": "Claimed by Alex"}]}]},
        "properties": [{"key": "queue-tui.claim", "value": {"step": "reply", "by": "alex"}}]}).json()
    jira.get("/rest/api/3/issue/SS-2/comment", params={"expand": "properties"})
    jira.get(f"/rest/api/3/issue/SS-2/comment/{c['id']}", params={"expand": "properties"})
    jira.get(f"/rest/api/3/comment/{c['id']}/properties")
    jira.get(f"/rest/api/3/comment/{c['id']}/properties/queue-tui.claim")
    jira.put(f"/rest/api/3/comment/{c['id']}/properties/queue-tui.done", json={"at": "2026-11-18T15:00:00Z"})
    jira.delete(f"/rest/api/3/comment/{c['id']}/properties/queue-tui.done")
    jira.put("/rest/api/3/issue/SS-2/properties/queue-tui.claim", json={"by": "alex"})
    jira.delete("/rest/api/3/issue/SS-2/properties/queue-tui.claim")
    jira.get("/rest/api/3/issue/SS-61", params={"fields": "attachment"})
    made = jira.post("/rest/api/3/issue/SS-2/attachments", headers={"X-Atlassian-Token": "no-check"},
                     files={"file": ("notes.txt", b"call back at 3pm", "text/plain")}).json()
    jira.get(f"/rest/api/3/attachment/{made[0]['id']}")
    moves = jira.get("/rest/api/3/issue/CS-20/transitions").json()["transitions"]
    jira.post("/rest/api/3/issue/CS-20/transitions", json={"transition": {"id": moves[0]["id"]}, "update": {
        "comment": [{"add": {"body": {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [
            {"type": "text", "text": "Moved by the playbook"}]}]}}}]}})
    jira.get("/rest/api/3/priority")
    jira.get("/rest/api/3/issue/SS-2/editmeta")
    jira.put("/rest/api/3/issue/SS-2", json={"update": {"customfield_10040": [{"add": {"value": "Chat"}},
                                                                            {"remove": {"value": "Phone"}}]}})
    jira.get("/rest/api/3/issue/SS-2/changelog")
    jira.get("/rest/api/3/issue/SS-2", params={"expand": "changelog", "fields": "summary"})
    jira.get("/rest/api/3/user/assignable/search", params={"project": "SS", "query": ""})
    jira.get("/rest/servicedeskapi/servicedesk/1/customer", params={"query": "anon"}, headers=OPT_IN)
    jira.get("/rest/servicedeskapi/organization/1")
    jira.get("/rest/servicedeskapi/organization/1/user")
    jira.get("/rest/servicedeskapi/request/SS-61/attachment")
    jira.get("/rest/servicedeskapi/request/SS-61", params={
        "expand": "participant,status,sla,requestType,serviceDesk,attachment,action,comment"})
    issue_id = int(sb.world.issues["SS-2"].id)
    jira.post("/rest/api/3/search/jql", json={"jql": "project = SS AND updated >= -5m", "fields": ["summary", "updated"],
                                              "reconcileIssues": [issue_id]})
    jira.get("/rest/api/3/search/jql", params={"jql": "key in (SS-1, SS-2) ORDER BY updated DESC",
                                               "fields": "summary", "reconcileIssues": str(issue_id)})


def test_every_exchange_of_the_newer_routes_fits_the_specs(sandbox: Sandbox, jira: httpx.Client) -> None:
    sandbox.record = True
    _exercise(jira, sandbox)
    errors: list[str] = []
    for ex in sandbox.exchanges:
        assert ex["status"] < 400, ex
        errors += spec.check_request(ex["method"], ex["path"], ex["query"], ex["body"])
        errors += spec.check_response(ex["method"], ex["path"], ex["status"], ex["response"])
    assert len(sandbox.exchanges) == 27
    assert not errors, "\n".join(errors[:40])



# SHA-256 of Atlassian's published files (see shared/specs/README.md for where they come from).
OFFICIAL_SHA256 = {
    "platform": "92cdd5188d87fde1f38fc8e8a5afe77c233a7ff18d8a8349d16f09f2cb1cc3e7",
    "jsm": "6c4ac90e818c143ec31c218c5e3ec6e9fa2d0ebda6f463cdc00bc1b785ff862a",
}


def test_vendored_specs_are_atlassians() -> None:
    """The gzipped copies the contract tests read are the official files, byte for byte; where the
    published folder sits beside the checkout it must match too."""
    import hashlib

    for name, digest in OFFICIAL_SHA256.items():
        assert hashlib.sha256(spec.read_spec_text(spec.VENDORED, name).encode()).hexdigest() == digest
        shared = spec.shared_specs()
        if shared is not None:
            assert hashlib.sha256(spec.read_spec_text(shared, name).encode()).hexdigest() == digest
