"""What the simulator's site offers the app beyond tickets: its own request types and priority
automation, customers and organizations, comment and issue properties, attachments."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from queue_tui.sandbox import ManualClock, Sandbox, start_sandbox
from queue_tui.sandbox.seed_data import REQUEST_TYPES
from queue_tui.sandbox.state import CF_ORGANIZATIONS
from tests.sim_http import client

OPT_IN = {"X-ExperimentalApi": "opt-in"}
NO_CHECK = {"X-Atlassian-Token": "no-check"}
HELIOS = 1  # a priority installer on the simulator's own list


@pytest.fixture
def jira(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with client(sandbox) as c:
        yield c


def _site(clock: ManualClock, **kw: object) -> Sandbox:
    return start_sandbox(clock=clock, **kw)  # type: ignore[arg-type]


def _no_org_ticket(sb: Sandbox) -> str:
    return next(i.key for i in sb.world.issues.values() if i.project == "SS" and not i.organizations)


# -- the site's own request types and priority automation -----------------------------------
def test_a_site_desk_offers_its_own_request_types_not_the_sops(clock: ManualClock) -> None:
    sb = _site(clock, request_type_names="site")
    try:
        with client(sb) as jira:
            values = jira.get("/rest/servicedeskapi/servicedesk/1/requesttype").json()["values"]
            names = {v["name"] for v in values}
            assert {"Data fix (one company)", "Data fix (all companies)", "Login trouble", "Feature idea"} <= names
            assert not names & {name for name, _ in REQUEST_TYPES}
            assert min(int(v["id"]) for v in values) > 9
            ticket = jira.get("/rest/api/2/issue/SS-2", params={"fields": "customfield_10010"}).json()
            assert ticket["fields"]["customfield_10010"]["requestType"]["name"] in names
            login = jira.post("/rest/api/3/search/jql", json={"jql": 'summary ~ "cannot log in"', "fields": ["customfield_10010"]})
            (hit,) = login.json()["issues"]
            assert hit["fields"]["customfield_10010"]["requestType"]["name"] == "Login trouble"
    finally:
        sb.stop()


def test_the_teams_automation_sets_priority_once_a_priority_installer_is_the_organization(
        sandbox: Sandbox, jira: httpx.Client) -> None:
    key = _no_org_ticket(sandbox)
    assert sandbox.world.issues[key].priority == "Medium"
    assert jira.put(f"/rest/api/2/issue/{key}", json={"fields": {CF_ORGANIZATIONS: [5]}}).status_code == 204
    assert jira.get(f"/rest/api/2/issue/{key}").json()["fields"]["priority"]["name"] == "Medium"
    assert jira.put(f"/rest/api/2/issue/{key}", json={"fields": {CF_ORGANIZATIONS: [HELIOS]}}).status_code == 204
    assert jira.get(f"/rest/api/2/issue/{key}").json()["fields"]["priority"]["name"] == "High"


def test_a_site_specific_automation_priority_is_in_the_sites_scheme_and_on_its_tickets(clock: ManualClock) -> None:
    sb = _site(clock, priority_automation="P1 - Priority Installer")
    try:
        with client(sb) as jira:
            names = [p["name"] for p in jira.get("/rest/api/2/priority").json()]
            assert names[0] == "P1 - Priority Installer" and "Highest" in names
            found = jira.post("/rest/api/3/search/jql", json={
                "jql": 'project = SS AND priority = "P1 - Priority Installer"', "fields": ["customfield_10002"]}).json()
            orgs = {o["name"] for i in found["issues"] for o in i["fields"]["customfield_10002"]}
            assert orgs == {"Helios Home Power", "Summit Solar Group", "Sunny Day Solar"}
    finally:
        sb.stop()


def test_delayed_automation_changes_priority_only_after_its_delay(sandbox: Sandbox, jira: httpx.Client,
                                                                  clock: ManualClock) -> None:
    sandbox.world.automation_delay = 20
    key = _no_org_ticket(sandbox)
    jira.put(f"/rest/api/2/issue/{key}", json={"fields": {CF_ORGANIZATIONS: [HELIOS]}})
    assert jira.get(f"/rest/api/2/issue/{key}").json()["fields"]["priority"]["name"] == "Medium"
    clock.advance(seconds=21)
    assert jira.get(f"/rest/api/2/issue/{key}").json()["fields"]["priority"]["name"] == "High"


# -- people ----------------------------------------------------------------------------------
def test_customers_include_the_anonymous_account_and_organizations_list_their_members(jira: httpx.Client) -> None:
    anon = jira.get("/rest/servicedeskapi/servicedesk/1/customer", params={"query": "anonymous"}, headers=OPT_IN).json()
    assert [u["displayName"] for u in anon["values"]] == ["Anonymous"]
    orgs = jira.get("/rest/servicedeskapi/organization", params={"limit": 50}).json()["values"]
    assert "Helios Home Power" in {o["name"] for o in orgs}
    members = jira.get("/rest/servicedeskapi/organization/1/user").json()["values"]
    assert members and all(m["emailAddress"].endswith("@helioshomepower.com") for m in members)


def test_assignable_people_of_the_desk_are_its_staff_only(sandbox: Sandbox, jira: httpx.Client) -> None:
    people = jira.get("/rest/api/2/user/assignable/search", params={"project": "SS", "query": ""}).json()
    staff = {u.account_id for u in sandbox.world.users.values() if u.staff}
    assert {p["accountId"] for p in people} == staff
    assert jira.get("/rest/api/2/user/assignable/search", params={"query": "sam"}).status_code == 400


# -- properties ------------------------------------------------------------------------------
def test_a_comment_carries_properties_from_its_creation_and_they_read_back(jira: httpx.Client) -> None:
    made = jira.post("/rest/api/2/issue/SS-3/comment", json={
        "body": "Reply sent by the triage playbook.",
        "properties": [{"key": "queue-tui.step", "value": {"playbook": "triage", "step": 4}}]}).json()
    assert "properties" not in made
    listed = jira.get("/rest/api/2/issue/SS-3/comment", params={"expand": "properties"}).json()["comments"]
    mine = next(c for c in listed if c["id"] == made["id"])
    assert mine["properties"] == [{"key": "queue-tui.step", "value": {"playbook": "triage", "step": 4}}]
    path = f"/rest/api/2/comment/{made['id']}/properties/queue-tui.step"
    assert jira.get(path).json() == {"key": "queue-tui.step", "value": {"playbook": "triage", "step": 4}}
    assert jira.put(path, json={"playbook": "triage", "step": 5}).status_code == 200
    assert jira.put(path.replace("step", "seen"), json=True).status_code == 201
    keys = jira.get(f"/rest/api/2/comment/{made['id']}/properties").json()["keys"]
    assert [k["key"] for k in keys] == ["queue-tui.step", "queue-tui.seen"]
    assert jira.delete(path).status_code == 204 and jira.get(path).status_code == 404


def test_an_issue_property_is_replaced_by_the_last_writer_and_can_be_deleted(jira: httpx.Client) -> None:
    path = "/rest/api/2/issue/SS-3/properties/queue-tui.claim"
    assert jira.put(path, json={"by": "alex"}).status_code == 201
    assert jira.put(path, json={"by": "priya"}).status_code == 200
    assert jira.get(path).json()["value"] == {"by": "priya"}
    assert jira.delete(path).status_code == 204
    assert jira.get(path).status_code == 404 and jira.delete(path).status_code == 404


# -- attachments -----------------------------------------------------------------------------
def test_channel_partner_tickets_list_attachments_whose_content_downloads(sandbox: Sandbox, jira: httpx.Client) -> None:
    key = next(i.key for i in sandbox.world.issues.values() if i.summary.startswith("A New Channel Partner Request"))
    files = jira.get(f"/rest/api/2/issue/{key}", params={"fields": "attachment"}).json()["fields"]["attachment"]
    assert [f["filename"] for f in files][0] == "channel-partner-form.pdf" and len(files) == 2
    first = jira.get(files[0]["content"])
    assert first.status_code == 303
    with httpx.Client() as anonymous:  # the media URL carries its own token, as Jira Cloud's does
        pdf = anonymous.get(first.headers["Location"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-") and len(pdf.content) == files[0]["size"]
    direct = jira.get(files[0]["content"], params={"redirect": "false"})
    assert direct.content == pdf.content and direct.headers["Content-Type"] == "application/pdf"


def test_data_center_attachment_content_is_a_secure_path_with_credentials(clock: ManualClock) -> None:
    sb = _site(clock, mode="dc")
    try:
        with client(sb) as jira:
            files = jira.get("/rest/api/2/issue/SS-61", params={"fields": "attachment"}).json()["fields"]["attachment"]
            assert "/secure/attachment/" in files[0]["content"]
            assert jira.get(files[0]["content"]).content.startswith(b"%PDF-")
        with client(sb, signed_in=False) as anon:
            assert anon.get(files[0]["content"]).status_code == 401
    finally:
        sb.stop()


def test_an_upload_needs_the_xsrf_header_and_each_upload_adds_a_file(sandbox: Sandbox, jira: httpx.Client) -> None:
    url = "/rest/api/2/issue/SS-4/attachments"
    upload = {"file": ("users.csv", b"name,email\nKate,kate@example.com\n", "text/csv")}
    assert jira.post(url, files=upload).status_code == 403
    assert sandbox.world.issues["SS-4"].attachments == []
    for _ in range(2):
        r = jira.post(url, files=upload, headers=NO_CHECK)
        assert r.status_code == 200 and r.json()[0]["filename"] == "users.csv"
    assert [a.filename for a in sandbox.world.issues["SS-4"].attachments] == ["users.csv", "users.csv"]
    listed = jira.get("/rest/api/2/issue/SS-4", params={"fields": "attachment"}).json()["fields"]["attachment"]
    assert jira.get(listed[0]["content"], params={"redirect": "false"}).content == b"name,email\nKate,kate@example.com\n"
    assert sandbox.journal.count("POST", url, applied=True) == 2


# -- changelog -------------------------------------------------------------------------------
def test_the_changelog_says_which_colleague_set_a_value_and_when(sandbox: Sandbox, jira: httpx.Client) -> None:
    key = next(i.key for i in sandbox.world.issues.values() if i.assignee == "557058:priya-nair" and i.history)
    page = jira.get(f"/rest/api/2/issue/{key}/changelog").json()
    first = page["values"][0]
    assert first["author"]["displayName"] == "Priya Nair"
    assert {"field": "assignee", "toString": "Priya Nair"}.items() <= first["items"][0].items()
    assert page["total"] == len(page["values"]) and page["isLast"]


def test_an_edit_and_the_automation_it_triggers_each_leave_their_author_in_the_changelog(
        sandbox: Sandbox, jira: httpx.Client) -> None:
    key = _no_org_ticket(sandbox)
    jira.put(f"/rest/api/2/issue/{key}", json={"fields": {CF_ORGANIZATIONS: [HELIOS]}})
    histories = jira.get(f"/rest/api/2/issue/{key}", params={"expand": "changelog"}).json()["changelog"]["histories"]
    by_author = {h["author"]["displayName"]: [(c["field"], c["toString"]) for c in h["items"]] for h in histories[-2:]}
    assert by_author == {"Alex Rivera": [("Organizations", "Helios Home Power")],
                         "Automation for Jira": [("priority", "High")]}
    assert jira.get(f"/rest/api/2/issue/{key}/changelog").json()["values"][-1]["author"]["accountType"] == "app"


# -- edits and transitions with a comment ----------------------------------------------------
def test_a_transition_or_an_edit_can_add_a_comment_as_jira_allows(sandbox: Sandbox, jira: httpx.Client) -> None:
    moves = jira.get("/rest/api/2/issue/CS-18/transitions").json()["transitions"]
    done = next(t["id"] for t in moves if t["to"]["name"] == "Done")
    r = jira.post("/rest/api/2/issue/CS-18/transitions", json={
        "transition": {"id": done}, "update": {"comment": [{"add": {"body": "Pushed live."}}]}})
    assert r.status_code == 204
    cs = sandbox.world.issues["CS-18"]
    assert cs.status == "Done" and cs.comments[-1].body == "Pushed live."
    jira.put("/rest/api/2/issue/SS-3", json={"update": {"comment": [{"add": {"body": "Noted.", "properties": [
        {"key": "sd.public.comment", "value": {"internal": True}}]}}]}})
    note = sandbox.world.issues["SS-3"].comments[-1]
    assert note.body == "Noted." and not note.public


def test_a_transition_with_an_empty_comment_is_refused_whole(sandbox: Sandbox, jira: httpx.Client) -> None:
    moves = jira.get("/rest/api/2/issue/CS-19/transitions").json()["transitions"]
    before = sandbox.world.issues["CS-19"].status
    r = jira.post("/rest/api/2/issue/CS-19/transitions", json={
        "transition": {"id": moves[0]["id"]}, "update": {"comment": [{"add": {"body": " "}}]}})
    assert r.status_code == 400 and sandbox.world.issues["CS-19"].status == before
    r = jira.put("/rest/api/2/issue/SS-3", json={"update": {"summary": [{"add": "x"}]}})
    assert r.status_code == 400 and "summary" in r.json()["errors"]
