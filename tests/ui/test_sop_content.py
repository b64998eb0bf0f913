"""The SOPs' own words as the agent meets them in the app, driven by keys against the simulator:
routes taken on one key, orderings that refuse a key pressed too early, the approver reminder
announced when due, the automation's CS ticket brought up to the SOP, attachments copied to the
CS ticket, and a basic onboarding as the agent's choice on the form."""

from __future__ import annotations

import pytest

from queue_tui.core.plan import plan
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.sandbox.team import cs_hold
from queue_tui.ui.screens.modals import ConfirmScreen
from tests.ui.helpers import (
    apply_all_in_panel,
    cs_form_open,
    make_app,
    notifications,
    open_panel,
    press_on,
    queue_screen,
    set_aside_approval_ticket,
    step_status,
    typed_ticket,
    wait_until,
)

SIZE = (200, 55)


pytestmark = pytest.mark.usefixtures("local_time_utc")


async def test_a_tesla_related_sunlight_request_is_assigned_to_its_contact_on_one_key(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    key = typed_ticket(sandbox, "Deactivate Mosaic financing", "Company-specific Data Change")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        assert {"tesla_sunlight", "sunlight_cs", "sunlight_partner", "other_financier", "financier_questions"} <= \
            {p.step.id for p in panel.plans}
        await press_on(pilot, panel, "tesla_sunlight", "g")
        if step_status(panel, "tesla_sunlight") == "decide":  # a colleague holds it: the agent is asked first
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
            await pilot.press("y")
        await wait_until(pilot, lambda: sandbox.world.issues[key].assignee == "557058:kira-gaza", "Kira assigned")


async def test_a_sales_inquiry_alerts_the_sales_lead_with_a_mention(any_sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(any_sandbox, clock)
    key = typed_ticket(any_sandbox, "Interested in the platform for our sales team", "General Inquiry")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        await press_on(pilot, panel, "sales_lead", "g")
        await wait_until(pilot, lambda: step_status(panel, "sales_lead") == "done", "the alert sent")
        note = any_sandbox.world.issues[key].comments[-1]
        mention = "[~accountid:557058:jordan-chriss]" if any_sandbox.credentials.mode == "cloud" else "[~jchriss]"
        assert note.public is False and note.body.startswith(mention + ": a new lead")
        # The summary of his answer is the next route; before the alert it was held.
        assert step_status(panel, "sales_summary") == "option"


async def test_a_feature_request_is_recorded_with_its_link_as_an_internal_comment(
        sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.ui.screens.ask import AskScreen

    app = make_app(sandbox, clock)
    key = typed_ticket(sandbox, "Allow bulk export of proposals", "Feature Request")
    link = "https://everbright.aha.io/ideas/IDEA-412"
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        await press_on(pilot, panel, "feature_request", "g")
        await wait_until(pilot, lambda: isinstance(app.screen, AskScreen), "the question for the link")
        await pilot.press(*link, "enter")
        await wait_until(pilot, lambda: step_status(panel, "feature_request") == "done", "the link recorded")
        note = sandbox.world.issues[key].comments[-1]
        assert (note.public, note.body) == (False, f"Feature request documented: {link}")


async def test_an_incentive_cs_ticket_comes_after_the_reply_and_opens_with_the_routes_epic(
        sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.ui.screens.cs_form import CsFormScreen, ExistingCsScreen

    app = make_app(sandbox, clock)
    key = typed_ticket(sandbox, "Update incentive for Massachusetts SMART program", "Industry-wide Data Change")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        panel = await open_panel(app, pilot, key)
        assert step_status(panel, "incentive_cs") == "waiting"
        await press_on(pilot, panel, "incentive_cs", "g")  # too early: the customer has not been told yet
        await pilot.pause()
        assert not isinstance(app.screen, CsFormScreen | ExistingCsScreen)
        assert any("Nothing to apply" in n for n in notifications(app))
        await press_on(pilot, panel, "incentive_reply", "space")
        await wait_until(pilot, lambda: step_status(panel, "incentive_cs") == "option", "the CS route open")
        await press_on(pilot, panel, "incentive_cs", "g")
        await cs_form_open(app, pilot, "#epic")
        from textual.widgets import Input

        assert app.screen.query_one("#epic", Input).value == "Public Data Configurations"


async def test_the_onboarding_ticket_cannot_close_before_the_approver_hears_it_is_live(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    w = sandbox.world
    key = next(i.key for i in w.issues.values() if i.summary == "EverBright Partner Onboarding")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        panel = await open_panel(app, pilot, key)
        await press_on(pilot, panel, "close", "g")
        await pilot.pause()
        assert w.issues[key].status != "Closed"
        assert any("Nothing to apply: Close the ticket is waiting" in n for n in notifications(app))


async def test_the_automations_cs_ticket_is_updated_and_the_approver_reminder_is_announced_when_due(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    w = sandbox.world
    key = next(i.key for i in w.issues.values() if i.summary == "EverBright Partner Onboarding")
    set_aside_approval_ticket(sandbox)  # the approver has not answered in any way yet
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        panel = await open_panel(app, pilot, key)
        # The triage essentials first (assignee, the EB label: certain on an onboarding), staff to watchers,
        # organization, watchers, reporter (the form's sender came with the ticket), request type, Needs
        # Configuration?: the automation files the CS ticket.
        await apply_all_in_panel(pilot, panel)
        cs = next(w.issues[lk.inward_key] for lk in w.links if lk.outward_key == key and lk.inward_key.startswith("CS-"))
        assert cs.parent is None and cs.duedate is None and cs.qa_assignee is None  # as the automation left it
        assert step_status(panel, "update_cs") == "todo"
        panel.focus_steps()
        await pilot.press("G")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the preview")
        preview = app.screen.question.plain  # type: ignore[attr-defined]
        assert f"{cs.key}  epic: — → Installer Onboardings" in preview and f"{cs.key}  qa assignee: — → Cherish Sharma" in preview
        await pilot.press("y")
        await wait_until(pilot, lambda: step_status(panel, "update_cs") == "met", "the CS ticket up to the SOP")
        assert w.issues[cs.parent or ""].summary == "Installer Onboardings"
        assert cs.qa_assignee == "557058:cherish-sharma"
        # Filed Wednesday 15:00, integrated financing: 24 h for all three.
        assert (cs.duedate, cs.config_date, (cs.qa_date or "")[:10]) == ("2026-11-19", "2026-11-19", "2026-11-19")
        with w.lock:
            cs_hold(w, key)
        await pilot.press("r")
        await wait_until(pilot, lambda: step_status(panel, "ask_approval") == "todo", "the approval question open")
        await press_on(pilot, panel, "ask_approval", "g")
        await wait_until(pilot, lambda: step_status(panel, "ask_approval") == "done", "the approver asked")
        remind = next(p for p in panel.plans if p.step.id == "remind")
        assert remind.status == "waiting" and "due in 24 h 00 min" in remind.change  # counted down from the question
        clock.advance(hours=23, minutes=59)
        app.check_reminders()
        assert not any("Reminder due" in n or "Slack the approver" in n for n in notifications(app))
        clock.advance(minutes=1)
        app.check_reminders()
        await pilot.pause()
        assert sum("No answer in 24 h: Slack the approver" in n for n in notifications(app)) == 1
        app.check_reminders()  # announced once
        assert sum("No answer in 24 h: Slack the approver" in n for n in notifications(app)) == 1


async def test_c_copies_the_customers_attachments_to_the_cs_ticket_once(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.service.cs_create import CsOutcome
    from queue_tui.ui.screens.cs_form import CsFormScreen

    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    w = sandbox.world
    key = next(i.key for i in w.issues.values() if i.summary.startswith("A New Channel Partner Request for Coastal"))
    ss = w.issues[key]
    assert ss.attachments
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        screen.table.cursor_to(key)
        await pilot.press("c")
        await cs_form_open(app, pilot, "#epic")
        form = app.screen
        assert isinstance(form, CsFormScreen) and [a.filename for a in form.draft.attachments] == [a.filename for a in ss.attachments]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.services.last_cs is not None, "the CS ticket")
        outcome = app.services.last_cs
        assert outcome is not None and outcome.complete and "attachment(s) copied" in outcome.summary()
        cs = w.issues[outcome.cs_key or ""]
        assert "| 1. Contact | Rosa Ito" in cs.description  # the form table, from the ticket in full
        assert [(a.filename, a.content) for a in cs.attachments] == [(a.filename, a.content) for a in ss.attachments]
        uploads = sandbox.journal.requests("POST", f"*/{cs.key}/attachments")
        assert uploads and all(r.status == 200 for r in uploads)  # Jira refuses (403) an upload without no-check
        # Finishing again (a resumed run) sends no file twice: the same name and size are there already.
        again = CsOutcome(key, cs_key=cs.key, created=True, linked=True)
        await app.services.cs_creator()._attach(again, form.draft)
        assert again.attached and len(sandbox.journal.requests("POST", f"*/{cs.key}/attachments")) == len(uploads)
        assert len(cs.attachments) == len(ss.attachments)


async def test_a_basic_onboarding_is_the_agents_choice_on_the_form(sandbox: Sandbox, clock: ManualClock) -> None:
    from textual.widgets import Checkbox, Input

    from queue_tui.ui.screens.cs_form import CsFormScreen

    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    key = typed_ticket(sandbox, "New installer account setup", "Onboarding")
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        screen.table.cursor_to(key)
        await pilot.press("c")
        await cs_form_open(app, pilot, "#choice-0")
        form = app.screen
        assert isinstance(form, CsFormScreen)
        assert form.query_one("#issue_type", Input).value == "Onboarding"
        basic = form.query_one("#choice-0", Checkbox)
        assert not basic.value  # an Onboarding ticket is not a basic onboarding by itself
        assert form.query_one("#due", Input).value == "2026-11-23"  # standard: 3 business days
        basic.value = True
        await wait_until(pilot, lambda: form.query_one("#due", Input).value == "2026-11-19", "24 h once ticked")
        assert form.query_one("#config", Input).value == form.query_one("#qa", Input).value == "2026-11-19"
        assert form.collect().chosen == frozenset({"basic_onboarding"})


def test_every_route_of_the_pack_plans_without_error() -> None:
    """Each route the default pack ships, on a ticket of its type, plans to something the agent can read."""
    from queue_tui.core.models import RequestType
    from queue_tui.service.playbooks import PACK, load_all
    from tests.unit.test_playbook_engine import ctx, ticket
    from tests.unit.test_sop_steps import PEOPLE, TYPES

    books, _ = load_all([PACK])
    triage = books["triage"]
    for sop_type in sorted({t for s in triage.steps for t in s.for_types}):
        plans = plan(triage, ctx(ticket(request_type=RequestType("x", sop_type)), people=PEOPLE, request_types=TYPES))
        routes = [p for p in plans if p.step.for_types]
        assert routes and all(p.step.says and (p.change or p.current or p.problem) for p in routes), sop_type


async def test_a_downstream_org_invite_files_the_channel_partner_sops_cs_ticket(
        sandbox: Sandbox, clock: ManualClock) -> None:
    """queue-triage-and-request-types.txt: "according to the process outlined here", i.e.
    channel-partner-request.txt: Task, epic Configuration Partner/Product Onboarding, High, 3/2/3 business days."""

    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    w = sandbox.world
    key = typed_ticket(sandbox, "Invite a new downstream org", "Company-specific Data Change")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        panel = await open_panel(app, pilot, key)
        await press_on(pilot, panel, "downstream_cs", "g")
        await cs_form_open(app, pilot, "#epic")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.services.last_cs is not None, "the CS ticket")
        cs = w.issues[app.services.last_cs.cs_key or ""]  # type: ignore[union-attr]
        assert (cs.issue_type, cs.priority) == ("Task", "High")
        assert w.issues[cs.parent or ""].summary == "Configuration Partner/Product Onboarding"
        # Filed Wednesday 15:00: due 3, configuration 2, QA 3 business days, as `c` files a channel partner's.
        assert (cs.duedate, cs.config_date, cs.qa_date[:10] if cs.qa_date else None) == ("2026-11-23", "2026-11-20", "2026-11-23")


async def test_a_cancellation_heads_up_goes_by_slack_and_writes_no_jira_comment(
        sandbox: Sandbox, clock: ManualClock) -> None:
    """queue-triage-and-request-types.txt: "Please make sure to slack the Account Manager as a heads up"."""
    app = make_app(sandbox, clock)
    key = typed_ticket(sandbox, "Cancel our subscription", "Account Management")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        panel = await open_panel(app, pilot, key)
        step = next(p for p in panel.plans if p.step.id == "cancellation_am")
        assert step.status == "manual" and "Slack message: Hi " in step.change and "asked to cancel" in step.change
        mark = sandbox.journal.mark()
        await press_on(pilot, panel, "cancellation_am", "g")  # sent on Slack: g on a manual step ticks it
        await wait_until(pilot, lambda: step_status(panel, "cancellation_am") == "done", "the heads-up ticked")
        assert sandbox.journal.requests("POST", f"*/issue/{key}/comment", since=mark) == []
