"""everbright-partner-onboarding.txt in the SOP panel against the simulator: the approval ticket
is the agent's pick among the candidates, and the CS ticket goes back to the site's own to-do status."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.sandbox.team import cs_hold, linked_cs, new_ticket
from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen
from tests.ui.helpers import (
    apply_all_in_panel,
    make_app,
    open_panel,
    press_on,
    step_status,
    text_of,
    wait_until,
)
from tests.ui.test_playbooks_live import SIZE, _apply_remaining, _confirm, _key

PB = "everbright-onboarding"


def _plan_of(panel, step_id: str):  # type: ignore[no-untyped-def]
    return next(p for p in panel.plans if p.step.id == step_id)


async def _pick(app, pilot, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    """In the open picker: read its options, then choose the one starting with `label`."""
    await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and bool(app.screen.values), "the picker")
    ol = app.screen.query_one("#options", OptionList)
    labels = [str(ol.get_option_at_index(n).prompt) for n in range(ol.option_count)]
    n = next(n for n, text in enumerate(labels) if text.startswith(label))
    ol.focus()
    ol.highlighted = n
    await pilot.press("enter")
    return labels


async def test_a_customers_ticket_naming_the_installer_is_offered_but_never_linked_on_the_approvers_behalf(
        sandbox: Sandbox, clock: ManualClock) -> None:
    w = sandbox.world
    key = _key(sandbox, "EverBright Partner Onboarding")
    his = _key(sandbox, "RE: EverBright Partner Onboarding")
    with w.lock:
        customers = new_ticket(w, summary="Question about financing options (Redwood Power Systems)").key
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _apply_remaining(app, key, PB)
        with w.lock:
            cs_hold(w, key)
        await _apply_remaining(app, key, PB)  # the approval question
        panel = await open_panel(app, pilot, key)
        link = _plan_of(panel, "link_approval")
        assert link.status == "suggested" and link.op.key == his  # the approver's, alone
        assert "e for another (" in link.change and customers in link.change.split("e for another")[1]
        await press_on(pilot, panel, "link_approval", "e")
        labels = await _pick(app, pilot, "none of these")
        assert any(text.startswith(his) for text in labels) and any(text.startswith(customers) for text in labels)
        await wait_until(pilot, lambda: step_status(panel, "link_approval") == "skip", "the answer kept")
        assert step_status(panel, "close_approval") == "skip"
        assert not any(key in (lk.inward_key, lk.outward_key) and his in (lk.inward_key, lk.outward_key) for lk in w.links)
        assert w.issues[customers].status == w.issues[his].status == "Waiting for support"


async def test_the_cs_ticket_goes_back_to_the_status_the_agent_picks_where_the_site_has_no_to_do(
        sandbox: Sandbox, clock: ManualClock) -> None:
    w = sandbox.world
    key = _key(sandbox, "EverBright Partner Onboarding")
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _apply_remaining(app, key, PB)
        with w.lock:
            cs = cs_hold(w, key)
        await _apply_remaining(app, key, PB)  # the approval question
        await _confirm(app, key, PB, "link_approval")
        await _apply_remaining(app, key, PB)  # the approval ticket closed as a duplicate
        await _confirm(app, key, PB, "wait_approval")
        # This site's configuration workflow has no "To Do": its first status is called Backlog.
        with w.lock:
            w.projects["CS"].statuses = ["Backlog" if s == "To Do" else s for s in w.projects["CS"].statuses]
        panel = await open_panel(app, pilot, key)
        to_do = _plan_of(panel, "cs_to_do")
        assert to_do.status == "blocked" and f"{cs.key} cannot move to “To Do” from On Hold" in to_do.problem
        assert "Backlog" in to_do.problem
        await press_on(pilot, panel, "cs_to_do", "e")
        labels = await _pick(app, pilot, "Backlog")
        assert "To Do" not in labels
        await wait_until(pilot, lambda: step_status(panel, "cs_to_do") == "todo", "the status picked")
        assert "for the SOP's “To Do”, picked by" in _plan_of(panel, "cs_to_do").change
        await press_on(pilot, panel, "cs_to_do", "g")
        await wait_until(pilot, lambda: step_status(panel, "cs_to_do") in ("met", "done"), "the CS ticket moved")
        await press_on(pilot, panel, "ask_push_live", "g")
        await wait_until(pilot, lambda: step_status(panel, "ask_push_live") == "done", "Config asked")
        assert cs.status == "Backlog" and "push the products live" in cs.comments[-1].body


async def test_closing_an_approval_ticket_a_colleague_holds_asks_first(sandbox: Sandbox, clock: ManualClock) -> None:
    w = sandbox.world
    key = _key(sandbox, "EverBright Partner Onboarding")
    his = _key(sandbox, "RE: EverBright Partner Onboarding")
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _apply_remaining(app, key, PB)
        with w.lock:
            cs_hold(w, key)
        await _apply_remaining(app, key, PB)  # the approval question
        with w.lock:
            w.issues[his].assignee = "557058:priya-nair"  # a colleague picked it up meanwhile
        await _confirm(app, key, PB, "link_approval")
        # As the SOP means it: the approval ticket duplicates the onboarding (and is closed as the duplicate).
        theirs = await app.services.gateway.issue(his, ["issuelinks"])
        assert [(lk.relation, lk.key) for lk in theirs.links if lk.key == key] == [("duplicates", key)]
        panel = await open_panel(app, pilot, key)
        close = _plan_of(panel, "close_approval")
        assert close.status == "decide" and "assigned to Priya Nair" in close.problem
        await press_on(pilot, panel, "close_approval", "g")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert "Move a ticket Priya Nair holds?" in text_of(app.screen.query_one("#question"))
        await pilot.press("n")
        await app.workers.wait_for_complete()
        assert w.issues[his].status == "Waiting for support"  # left to her
        await press_on(pilot, panel, "close_approval", "g")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: step_status(panel, "close_approval") == "met", "closed on the agent's word")
        assert (w.issues[his].status, w.issues[his].resolution) == ("Closed", "Duplicate")


async def test_a_site_without_the_sops_needs_configuration_option_lets_the_agent_pick_its_own(
        sandbox: Sandbox, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    from queue_tui.sandbox import render

    oid = render.NEEDS_CONFIG_OPTIONS["Integrated Finance"]  # this site spells its option its own way
    monkeypatch.delitem(render.NEEDS_CONFIG_OPTIONS, "Integrated Finance")
    monkeypatch.setitem(render.NEEDS_CONFIG_OPTIONS, "Integrated Finance (EverBright)", oid)
    key = _key(sandbox, "EverBright Partner Onboarding")
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        step = _plan_of(panel, "needs_config")
        assert step.status == "blocked" and "has no “Integrated Finance”" in step.problem
        assert "Integrated Finance (EverBright)" in step.problem
        await press_on(pilot, panel, "needs_config", "e")
        await _pick(app, pilot, "Integrated Finance (EverBright)")
        await wait_until(pilot, lambda: step_status(panel, "needs_config") == "met", "the site's option set")
        assert sandbox.world.issues[key].needs_config == "Integrated Finance (EverBright)"


async def test_apply_all_adds_the_eb_label_to_an_onboarding_with_its_reason_shown(
        sandbox: Sandbox, clock: ManualClock) -> None:
    """everbright-partner-onboarding.txt: "Requests to enable EverBright's integrated products": the EB label
    is certain on an onboarding, so G applies it instead of stopping to ask."""
    w = sandbox.world
    key = _key(sandbox, "EverBright Partner Onboarding")
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        assert step_status(panel, "eb_label") == "todo"
        ol = panel.query_one("#pb-steps", OptionList)
        row = str(ol.get_option_at_index([p.step.id for p in panel.plans].index("eb_label")).prompt)
        assert "an EverBright partner onboarding is about EverBright financing" in " ".join(row.split())
        await apply_all_in_panel(pilot, panel)
        await wait_until(pilot, lambda: step_status(panel, "eb_label") in ("met", "done"), "the label applied")
        assert "EB" in w.issues[key].labels


def _rename_on_hold(w, name: str = "Paused") -> None:  # type: ignore[no-untyped-def]
    """A site whose CS workflow calls its on-hold status otherwise."""
    st = w.statuses.pop("On Hold")
    st.name = name
    w.statuses[name] = st
    w.projects["CS"].statuses = [name if s == "On Hold" else s for s in w.projects["CS"].statuses]
    for i in w.issues.values():
        if i.status == "On Hold":
            i.status = name


def _row(panel, step_id: str) -> str:  # type: ignore[no-untyped-def]
    ol = panel.query_one("#pb-steps", OptionList)
    return " ".join(str(ol.get_option_at_index([p.step.id for p in panel.plans].index(step_id)).prompt).split())


async def test_a_site_whose_cs_workflow_says_paused_sees_the_ss_ticket_moved_to_waiting_on_support(
        sandbox: Sandbox, clock: ManualClock) -> None:
    w = sandbox.world
    key = _key(sandbox, "EverBright Partner Onboarding")
    with w.lock:
        _rename_on_hold(w)
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _apply_remaining(app, key, PB)  # the automation files the CS ticket
        with w.lock:
            w.set_status(w.issues[key], "In Progress")  # an agent works it meanwhile
        clock.advance(seconds=60)
        with w.lock:
            cs = cs_hold(w, key)  # the configuration team: CS ticket Paused, the SS ticket back to support
        assert cs.status == "Paused"
        panel = await open_panel(app, pilot, key)
        hold = _plan_of(panel, "wait_cs_hold")
        assert hold.status == "met", hold.change
        assert f"{key} moved to Waiting for support" in _row(panel, "wait_cs_hold")
        assert "the SOP's second signal" in _row(panel, "wait_cs_hold")
        assert step_status(panel, "ask_approval") == "todo"


async def test_where_no_signal_is_seen_e_picks_the_cs_status_this_site_calls_on_hold(
        sandbox: Sandbox, clock: ManualClock) -> None:
    w = sandbox.world
    key = _key(sandbox, "EverBright Partner Onboarding")
    with w.lock:
        _rename_on_hold(w)
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _apply_remaining(app, key, PB)
        with w.lock:
            cs = linked_cs(w, key)
            assert cs is not None
            w.set_status(cs, "Paused")  # the SS ticket is not moved: nothing says it is on hold
        panel = await open_panel(app, pilot, key)
        assert step_status(panel, "wait_cs_hold") == "waiting"
        assert f"e to pick the status of {cs.key} that means on hold" in _row(panel, "wait_cs_hold")
        assert step_status(panel, "ask_approval") == "waiting"
        await press_on(pilot, panel, "wait_cs_hold", "e")
        labels = await _pick(app, pilot, "Paused")
        assert "To Do" in labels and any(text.startswith("Paused") for text in labels)
        await wait_until(pilot, lambda: step_status(panel, "wait_cs_hold") == "met", "the wait met by the pick")
        assert "the status picked as on hold by" in _row(panel, "wait_cs_hold")
        assert step_status(panel, "ask_approval") == "todo"
