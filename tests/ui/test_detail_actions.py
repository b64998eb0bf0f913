"""Act where you read: every ticket action works from the detail view; the reply names every
recipient; the customer's history is one search away."""

from __future__ import annotations

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.detail import DetailScreen
from queue_tui.ui.screens.history import HistoryScreen
from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen
from queue_tui.ui.screens.reply import ReplyScreen
from queue_tui.ui.screens.request_type import RequestTypeScreen
from tests.ui.helpers import make_app, queue_screen, text_of, wait_until

SIZE = (160, 48)


async def open_detail(app, pilot, screen, key: str) -> DetailScreen:  # type: ignore[no-untyped-def]
    screen.table.cursor_to(key)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail")
    await app.workers.wait_for_complete()
    return app.screen  # type: ignore[no-any-return]


async def test_every_ticket_action_opens_from_the_detail_view(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(k for k, t in screen.table.tickets.items() if t.assignee is None)
        detail = await open_detail(app, pilot, screen, key)
        for press, kind in (("m", ReplyScreen), ("t", RequestTypeScreen), ("x", PickerScreen), ("C", PickerScreen),
                            ("A", PickerScreen)):
            await pilot.press(press)
            await wait_until(pilot, lambda kind=kind: isinstance(app.screen, kind), f"{press} from the detail")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is detail, "back to the detail")
        await pilot.press("a")
        await app.workers.wait_for_complete()
        assert sandbox.world.issues[key].assignee == "557058:alex-rivera"
        await pilot.press("x")  # first the agent's answer (not about the platform, closed as Won't Do), then the confirm
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and bool(app.screen.values), "the answers")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the non-platform confirm")
        await pilot.press("y")
        await wait_until(pilot, lambda: sandbox.world.issues[key].status == "Closed", "the SOP applied", tries=2000)
        assert sandbox.world.issues[key].resolution == "Won't Do"
        await app.workers.wait_for_complete()
        await pilot.press("p")  # the SOP panel opens beside the queue, on this ticket
        await wait_until(pilot, lambda: app.screen is screen and screen.panel_open, "the SOP panel")
        assert screen.table.current_key() == key


async def test_the_reply_names_the_reporter_and_every_participant(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_screen(app, pilot)
        issue = next(i for i in sandbox.world.issues.values() if len(i.participants) >= 2 and i.key in screen.table.tickets)
        await open_detail(app, pilot, screen, issue.key)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplyScreen), "the composer")
        await pilot.pause()
        header = text_of(app.screen.query_one("#visibility"), width=96)
        names = [sandbox.world.users[u].display_name for u in issue.participants]
        assert issue.reporter is not None
        assert sandbox.world.users[issue.reporter].display_name in header
        assert all(n in header for n in names), header


async def test_customer_history_lists_the_reporters_and_organizations_other_tickets(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        t = next(t for t in screen.table.tickets.values() if t.organizations and t.reporter)
        org = t.organizations[0].id
        await open_detail(app, pilot, screen, t.key)
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        await app.workers.wait_for_complete()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        expected = {i.key for i in sandbox.world.issues.values()
                    if i.key != t.key and (org in i.organizations or i.reporter == t.reporter.id)}
        assert expected and {x.key for x in history.found} == expected
        status = text_of(history.query_one("#history-status"))
        assert f"{len(expected)} recent tickets" in status
