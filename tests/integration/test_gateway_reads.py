"""The gateway reads the seeded service desk over real HTTP, in Cloud and Data Center modes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_tui.core.models import Queue
from queue_tui.core.sla import remaining
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.errors import AuthError, NotFoundError
from queue_tui.service.gateway import Gateway
from tests.conftest import make_gateway


async def test_open_discovers_every_custom_field_the_app_uses(any_gateway: Gateway) -> None:
    fm = any_gateway.fields
    assert fm.missing() == []
    assert fm.get("request_type") == "customfield_10010"
    assert fm.date_kind(fm.get("qa_date") or "") == "datetime"
    assert fm.date_kind(fm.get("config_date") or "") == "date"
    assert any_gateway.me is not None and any_gateway.me.name == "Alex Rivera"


async def test_identity_is_account_id_on_cloud_and_username_on_data_center(any_gateway: Gateway) -> None:
    me = any_gateway.me
    assert me is not None
    assert me.id == ("557058:alex-rivera" if any_gateway.conn.cloud else "arivera")


async def test_queues_come_with_counts_that_match_their_issues(any_gateway: Gateway) -> None:
    queues = await any_gateway.queues("1")
    names = [q.name for q in queues]
    assert "All open" in names and "Unassigned issues" in names
    all_open = next(q for q in queues if q.name == "All open")
    tickets = await any_gateway.search_tickets(all_open.jql)
    assert all_open.count == len(tickets) >= 60


async def test_search_pages_through_more_than_one_page(any_gateway: Gateway) -> None:
    raw = await any_gateway.search("project = SS", ["summary"], page_size=7)
    keys = [r["key"] for r in raw]
    assert len(keys) == len(set(keys)) >= 60


async def test_snapshot_carries_jsm_sla_from_issue_fields_without_per_ticket_requests(
        gateway: Gateway, sandbox: Sandbox, clock: ManualClock) -> None:
    before = sandbox.rest_requests()
    snap = await gateway.snapshot(Queue("1", "All open", "project = SS AND resolution = Unresolved"), "1")
    n = len(snap.tickets)
    assert sandbox.rest_requests() - before == 1 + -(-n // 100)
    # The near-breach seed ticket: created 118 minutes ago, two minutes left on first response.
    near = [t for t in snap.tickets.values() if t.slas and not t.slas[0].completed and not t.slas[0].paused
            and timedelta(0) < remaining(t.slas[0], clock.now()) <= timedelta(minutes=3)]
    assert near, "a ticket about to breach is in the seed"
    breached = [t for t in snap.tickets.values() if t.slas and t.slas[0].breached and not t.slas[0].completed]
    assert breached
    paused = [t for t in snap.tickets.values() if any(s.paused for s in t.slas)]
    assert paused


async def test_sla_endpoint_agrees_with_the_issue_fields(gateway: Gateway, clock: ManualClock) -> None:
    t = await gateway.issue("SS-1")
    clocks = await gateway.sla("SS-1")
    assert [c.name for c in clocks] == [c.name for c in t.slas]
    assert clocks[0].remaining_ms == t.slas[0].remaining_ms


async def test_detail_has_comments_marked_internal_and_watchers(any_gateway: Gateway) -> None:
    tickets = await any_gateway.search_tickets('project = SS AND summary ~ "Proposal PDF"')
    key = tickets[0].key
    await any_gateway.add_comment(key, "Internal note for the team", public=False)
    detail = await any_gateway.ticket_detail(key)
    assert detail.detail_loaded
    note = [c for c in detail.comments if c.body == "Internal note for the team"]
    assert note and note[0].public is False


async def test_participants_organizations_request_types_and_users(any_gateway: Gateway) -> None:
    junk = await any_gateway.search_tickets('project = SS AND summary ~ "Fwd: Customer"')
    parts = await any_gateway.participants(junk[0].key)
    assert {p.name for p in parts} == {"Rachel Kim", "Grace Jones"} or len(parts) == 2
    orgs = await any_gateway.organizations()
    assert "Helios Home Power" in {o.name for o in orgs}
    rts = await any_gateway.request_types("1")
    assert len(rts) == 9
    users = await any_gateway.find_users("david")
    assert users[0].name == "David Ellis"


async def test_wrong_credentials_are_an_auth_error(sandbox: Sandbox, clock: ManualClock) -> None:
    gw = make_gateway(sandbox, clock)
    sandbox.credentials.token = "changed-on-the-server"
    with pytest.raises(AuthError):
        await gw.open()
    await gw.close()


async def test_unknown_key_is_not_found(gateway: Gateway) -> None:
    with pytest.raises(NotFoundError):
        await gateway.issue("SS-99999")
