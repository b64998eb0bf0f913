"""The triage SOPs' routes for account management and the essential fields, as the agent meets
them in the SOP panel: a training request's two steps in their order (the link to the account
manager's calendar, then the follow-up that makes sure it was booked), the account owner as the
fallback route, and "add anyone who should be kept in the loop as a watcher" on one key."""

from __future__ import annotations

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.modals import PickerScreen
from tests.ui.helpers import make_app, open_panel, press_on, step_status, typed_ticket, wait_until

SIZE = (200, 55)


async def test_a_training_request_sends_the_calendar_link_then_follows_up_that_it_was_booked(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    key = typed_ticket(sandbox, "Training for new sales reps", "Account Management")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        link = next(p for p in panel.plans if p.step.id == "training_link")
        # The account manager of the customer's organization is named, the reply ready to paste in m.
        assert link.status == "manual" and "Rachel Kim" in link.change and "calendar" in link.change
        assert "account manager's calendar" in link.step.says
        assert step_status(panel, "training_booked") == "waiting"  # the follow-up comes after the link is sent
        await press_on(pilot, panel, "training_link", "g")
        await wait_until(pilot, lambda: step_status(panel, "training_booked") == "manual", "the follow-up due")
        booked = next(p for p in panel.plans if p.step.id == "training_booked")
        assert "ensuring appointment has been booked" in booked.step.says and "book a time" in booked.change


async def test_account_management_offers_the_transfer_to_the_account_owner(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    key = typed_ticket(sandbox, "Update billing card", "Account Management")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        owner = next(p for p in panel.plans if p.step.id == "account_owner")
        assert "Account Owner" in owner.step.says and "Marcus Hale" in owner.change  # HW Solar's account manager
        await press_on(pilot, panel, "account_owner", "g")
        await wait_until(pilot, lambda: sandbox.world.issues[key].assignee == "557058:marcus-hale", "the transfer")


async def test_e_on_the_watchers_step_adds_the_person_the_agent_picks_as_a_watcher(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    key = typed_ticket(sandbox, "Update billing card", "Account Management")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        assert "e adds a watcher" in next(p for p in panel.plans if p.step.id == "watchers").change
        await press_on(pilot, panel, "watchers", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen), "the people picker")
        await pilot.press(*"Priya")
        await wait_until(pilot, lambda: bool(app.screen.values), "Priya found")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: "557058:priya-nair" in sandbox.world.issues[key].watchers, "Priya watching")


async def test_the_initial_reply_step_is_done_once_a_public_reply_is_sent_with_m(sandbox: Sandbox, clock: ManualClock) -> None:
    """queue-triage-and-request-types.txt: "Send an initial reply to the customer"; sent with m, the panel says so."""
    from queue_tui.ui.screens.modals import ConfirmScreen
    from queue_tui.ui.screens.reply import ReplyScreen

    app = make_app(sandbox, clock)
    key = typed_ticket(sandbox, "Update billing card", "Account Management")
    w = sandbox.world
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        assert step_status(panel, "first_reply") == "manual"

        async def reply(*keys: str) -> None:
            await pilot.press("escape", "m")  # from the panel's keys back to the queue's, then the composer
            await wait_until(pilot, lambda: isinstance(app.screen, ReplyScreen) and app.screen.query("#body"), "the composer")
            await pilot.press(*keys, "ctrl+s")

        await reply("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the send confirm")
        await pilot.press("y")
        await wait_until(pilot, lambda: w.issues[key].comments[-1].public, "the reply in Jira")
        await wait_until(pilot, lambda: step_status(panel, "first_reply") == "done", "the step done")
