"""Every write the gateway makes lands in the simulator, in both deployment modes."""

from __future__ import annotations

from queue_tui.core.models import Person
from queue_tui.sandbox import Sandbox
from queue_tui.service.gateway import Gateway, WriteResult


def _world_issue(sb: Sandbox, key: str):  # type: ignore[no-untyped-def]
    return sb.world.issues[key]


async def _first(gw: Gateway, jql: str) -> str:
    return (await gw.search_tickets(jql))[0].key


async def test_assign_to_me_and_unassign(any_gateway: Gateway, any_sandbox: Sandbox) -> None:
    key = await _first(any_gateway, "project = SS AND assignee is EMPTY")
    await any_gateway.assign(key, any_gateway.me)
    assert _world_issue(any_sandbox, key).assignee == "557058:alex-rivera"
    await any_gateway.assign(key, None)
    assert _world_issue(any_sandbox, key).assignee is None


async def test_edit_fields_and_labels(any_gateway: Gateway, any_sandbox: Sandbox) -> None:
    key = await _first(any_gateway, 'project = SS AND summary ~ "EverBright financing approval"')
    fm = any_gateway.fields
    await any_gateway.edit(key, fields={fm.get("organizations"): [3], fm.get("channel"): [{"value": "Email"}, {"value": "Phone"}],
                                        fm.get("request_type"): "2"},
                           update={"labels": [{"add": "EB"}]})
    issue = _world_issue(any_sandbox, key)
    assert issue.organizations == [3]
    assert issue.channel == ["Email", "Phone"]
    assert issue.request_type == "2"
    assert "EB" in issue.labels


async def test_public_and_internal_comments_reach_jira_as_such(any_gateway: Gateway, any_sandbox: Sandbox) -> None:
    key = await _first(any_gateway, "project = SS AND assignee is EMPTY")
    await any_gateway.add_comment(key, "We are looking into it.", public=True)
    await any_gateway.add_comment(key, "Needs a config ticket.", public=False)
    cs = "CS-1"
    await any_gateway.add_comment(cs, "Platform internal note", public=False, service_desk=False)
    comments = {c.body: c.public for c in _world_issue(any_sandbox, key).comments}
    assert comments["We are looking into it."] is True
    assert comments["Needs a config ticket."] is False
    assert _world_issue(any_sandbox, cs).comments[-1].public is False


async def test_participants_and_watchers(any_gateway: Gateway, any_sandbox: Sandbox) -> None:
    key = await _first(any_gateway, 'project = SS AND summary ~ "Fwd: Customer"')
    staff = [p for p in await any_gateway.participants(key) if p.email.endswith("@goeverbright.com")]
    await any_gateway.remove_participants(key, staff)
    for p in staff:
        await any_gateway.add_watcher(key, p)
    issue = _world_issue(any_sandbox, key)
    assert all(p.email.endswith("@goeverbright.com") is False for p in await any_gateway.participants(key))
    assert {any_sandbox.world.users[w].display_name for w in issue.watchers} >= {p.name for p in staff}
    await any_gateway.remove_watcher(key, staff[0])
    assert staff[0].name not in {p.name for p in await any_gateway.watchers(key)}
    await any_gateway.add_participants(key, staff[:1])
    assert staff[0].name in {p.name for p in await any_gateway.participants(key)}


async def test_transition_by_target_status_name_with_resolution(any_gateway: Gateway, any_sandbox: Sandbox) -> None:
    key = await _first(any_gateway, 'project = SS AND text ~ "trade show"')
    await any_gateway.transition(key, "Closed", resolution="Won't Do")
    issue = _world_issue(any_sandbox, key)
    assert issue.status == "Closed" and issue.resolution == "Won't Do"


async def test_create_issue_and_link_through_the_jira_library(any_gateway: Gateway, any_sandbox: Sandbox) -> None:
    key = await any_gateway.create_issue({
        "project": {"key": "CS"}, "issuetype": {"name": "Task"}, "summary": "Rosa - Coastal Sun Co - Channel partner",
        "priority": {"name": "High"}, "components": [{"name": "other"}], "duedate": "2026-11-23",
    })
    created = _world_issue(any_sandbox, key)
    assert created.project == "CS" and created.priority == "High" and created.duedate == "2026-11-23"
    await any_gateway.link("Relates", "SS-1", key)
    await any_gateway.link("Relates", "SS-1", key)  # twice: still one link
    links = [lk for lk in any_sandbox.world.links if {lk.inward_key, lk.outward_key} == {"SS-1", key}]
    assert len(links) == 1
    ss = await any_gateway.issue("SS-1")
    assert key in {lk.key for lk in ss.links}


async def test_issue_properties_round_trip(any_gateway: Gateway) -> None:
    assert await any_gateway.get_property("SS-2", "queue-tui.playbook") is None
    await any_gateway.set_property("SS-2", "queue-tui.playbook", {"steps": {"1": "done"}})
    assert await any_gateway.get_property("SS-2", "queue-tui.playbook") == {"steps": {"1": "done"}}


async def test_every_write_is_audited_with_its_outcome(gateway: Gateway) -> None:
    seen: list[WriteResult] = []
    gateway.audit = seen.append
    await gateway.assign("SS-3", gateway.me)
    try:
        await gateway.assign("SS-3", Person("nobody-here", "Nobody"))
    except Exception:  # noqa: BLE001 - the failure itself is what is audited
        pass
    assert [(r.action, r.ok) for r in seen] == [("assign", True), ("assign", False)]
    assert "cannot be assigned" in seen[1].note


async def test_a_service_desk_refusal_shows_jiras_own_words(gateway: Gateway) -> None:
    """The service desk API words its errors as `errorMessage`: the agent reads them, not "HTTP 400"."""
    import pytest

    from queue_tui.service.errors import BadRequestError

    with pytest.raises(BadRequestError) as caught:
        await gateway.add_comment("SS-1", "   ", public=True)
    assert "HTTP 400" not in caught.value.short()
    assert caught.value.short().strip()
