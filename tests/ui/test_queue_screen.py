"""The live queue monitor, driven through Pilot against the simulator, with the clock passed in."""

from __future__ import annotations

from datetime import timedelta

from queue_tui.core.sla import Stage
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.sandbox.team import new_ticket
from queue_tui.ui.screens.modals import ConfirmScreen
from tests.ui.helpers import make_app, notifications, queue_screen, text_of, wait_until

SIZE = (180, 50)


def _key_by_summary(sb: Sandbox, text: str) -> str:
    return next(i.key for i in sb.world.issues.values() if text in i.summary)


async def test_queue_loads_with_live_countdowns(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        open_ss = [i for i in sandbox.world.issues.values() if i.project == "SS" and i.resolution is None]
        assert screen.table.row_count == len(open_ss)
        key = _key_by_summary(sandbox, "Site survey photos not uploading")  # created 118 min ago
        assert screen.table.sla_text_of(key) == "2m 00s"
        assert screen.table.stage_of(key) == Stage.UNDER_30M
        clock.advance(seconds=30)
        screen.tick()
        assert screen.table.sla_text_of(key) == "1m 30s"


async def test_default_order_puts_breached_first_then_priority_installers(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        keys = screen.table.ordered_keys
        stages = [screen.table.stage_of(k) for k in keys]
        assert stages == sorted(stages), "most urgent stage first"
        under_30 = [k for k in keys if screen.table.stage_of(k) == Stage.UNDER_30M]
        pi = [k for k in under_30 if screen.table.tickets[k].organization_name in ("Helios Home Power", "Summit Solar Group", "Sunny Day Solar")]
        assert pi and under_30[: len(pi)] == pi


async def test_a_new_ticket_from_a_poll_is_marked_and_announced(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        with sandbox.world.lock:
            fresh = new_ticket(sandbox.world, summary="Brand new: inverter list wrong")
        await screen.poll_now()
        await pilot.pause()
        assert screen.table.flags.get(fresh.key) == "new"
        assert any(fresh.key in m and "Brand new" in m for m in notifications(app))
        assert [a.kind for a in screen.alerts if a.key == fresh.key] == ["new"]


async def test_a_ticket_that_breaches_turns_breached_and_alerts(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        key = _key_by_summary(sandbox, "Site survey photos not uploading")
        clock.advance(minutes=3)
        screen.tick()
        await pilot.pause()
        assert screen.table.stage_of(key) == Stage.BREACHED
        assert screen.table.sla_text_of(key) == "-1m 00s"
        assert any(a.kind == "breached" and a.key == key for a in screen.alerts)


async def test_a_assigns_to_me_and_the_simulator_shows_it(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(k for k, t in screen.table.tickets.items() if t.assignee is None)
        screen.table.cursor_to(key)
        await pilot.press("a")
        assert screen.table.tickets[key].assignee is not None  # shown at once
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sandbox.world.issues[key].assignee == "557058:alex-rivera"
        assert screen.table.cell_text(key, "assignee") == "me"


async def test_assigning_someone_elses_ticket_asks_first(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(k for k, t in screen.table.tickets.items() if t.assignee and t.assignee.name == "Sam Okafor")
        screen.table.cursor_to(key)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.plain == f"Take over? {key} is held by Sam Okafor.\nAssign it to yourself?"
        assert sandbox.world.issues[key].assignee == "557058:sam-okafor"
        await pilot.press("n")
        await pilot.pause()
        assert sandbox.world.issues[key].assignee == "557058:sam-okafor"
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        assert sandbox.world.issues[key].assignee == "557058:alex-rivera"


async def test_a_refused_assignment_rolls_the_row_back(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(k for k, t in screen.table.tickets.items() if t.assignee is None)
        screen.table.cursor_to(key)
        sandbox.world.permissions["ASSIGN_ISSUES"] = False
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.table.tickets[key].assignee is None
        assert sandbox.world.issues[key].assignee is None
        assert any("Could not assign" in m and "Row restored" in m for m in notifications(app))


async def test_a_failing_simulator_shows_the_stale_banner_and_recovers(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = _key_by_summary(sandbox, "Site survey photos not uploading")
        sandbox.faults.configure({"429": 1.0}, retry_after=30)
        await screen.poll_now()
        await pilot.pause()
        assert screen.stale
        banner = text_of(screen.query_one("#stale"))
        assert "stale since" in banner and "rate limited until" in banner
        before = screen.table.sla_text_of(key)
        clock.advance(seconds=5)
        screen.tick()
        assert screen.table.sla_text_of(key) != before  # still counting from the last data
        sandbox.faults.clear()
        sent = sandbox.rest_requests()
        await screen.poll_now()  # 25 s before Jira's wait is over: nothing is sent, the banner stays
        await pilot.pause()
        assert screen.stale and sandbox.rest_requests() == sent
        assert "rate limited until" in text_of(screen.query_one("#stale"))
        clock.advance(seconds=25)
        await screen.poll_now()
        await pilot.pause()
        assert not screen.stale
        assert sandbox.faults.early_requests == 0


async def test_the_cursor_stays_on_its_ticket_across_polls(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = _key_by_summary(sandbox, "Dark mode for the design tool")
        screen.table.cursor_to(key)
        with sandbox.world.lock:
            for n in range(5):
                new_ticket(sandbox.world, summary=f"Arrives meanwhile {n}")
            sandbox.world.issues["SS-1"].summary = "Changed meanwhile"
            sandbox.world.issues["SS-1"].updated = clock.advance(minutes=1)  # Jira stamps every edit
        await screen.poll_now()
        assert screen.table.current_key() == key
        assert screen.table.flags.get("SS-1") == "upd"


async def test_unassigned_ticket_aging_past_the_limit_alerts_once(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        with sandbox.world.lock:
            fresh = new_ticket(sandbox.world, summary="Nobody picks this up")
        await screen.poll_now()
        clock.advance(minutes=21)
        screen.tick()
        screen.tick()
        assert [a.kind for a in screen.alerts if a.key == fresh.key] == ["new", "unassigned"]


async def test_filter_and_sort_keys(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        await pilot.press("slash")
        await pilot.press(*"helios")
        await pilot.pause()
        assert 0 < screen.table.row_count < 10
        assert all("Helios" in t.organization_name or "helios" in t.summary.lower()
                   for k, t in screen.table.tickets.items() if k in set(screen.table.ordered_keys))
        await pilot.press("escape")
        await pilot.pause()
        assert screen.table.row_count > 60
        await pilot.press("s")
        assert screen.table.sort_name == "newest"
        keys = screen.table.ordered_keys
        created = [screen.table.tickets[k].created for k in keys]
        assert created == sorted(created, reverse=True)


async def test_enter_opens_the_detail_with_internal_comments_marked(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = _key_by_summary(sandbox, "Proposal PDF fails")
        with sandbox.world.lock:
            sandbox.world.add_comment(sandbox.world.issues[key], "557058:sam-okafor", "Checked the logs, 500 from renderer", False)
        screen.table.cursor_to(key)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        from queue_tui.ui.screens.detail import DetailScreen

        assert isinstance(app.screen, DetailScreen)
        text = text_of(app.screen.query_one("#detail-body"))
        assert "INTERNAL" in text and "Checked the logs" in text and "Time to first response" in text
        await pilot.press("escape")
        assert app.screen is screen


async def test_switching_tabs_shows_that_queue(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        await pilot.press("right_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.feed.active is not None and screen.feed.active.name == "Unassigned issues"
        assert screen.table.row_count and all(t.assignee is None for t in screen.table.tickets.values())


async def test_ticket_text_cannot_inject_markup(sandbox: Sandbox, clock: ManualClock) -> None:
    with sandbox.world.lock:
        t = new_ticket(sandbox.world, summary="[bold red]pwned[/] [link=http://x]click[/link]")
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        table = screen.table
        assert table.cell_text(t.key, "summary") == "[bold red]pwned[/] [link=http://x]click[/link]"
        table.cursor_to(t.key)
        await pilot.pause()
        line = table.render_line(table.cursor_row - int(table.scroll_y) + 1)
        assert "[bold red]pwned[/] [link=http://x]" in line.text  # shown as typed, never parsed
        assert not any(seg.style and seg.style.link for seg in line)


async def test_help_lists_every_key(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        await queue_screen(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from queue_tui.ui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        text = " ".join(text_of(w) for w in app.screen.query("Static"))
        for words in ("Assign to me", "Assign to…", "Detail", "Open in browser", "Refresh now", "Filter", "Sort", "Quit"):
            assert words in text


async def test_theme_choice_is_remembered(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        await queue_screen(app, pilot)
        assert "desk-light" in app.available_themes and "desk-dark-contrast" in app.available_themes
        app.theme = "desk-light"
        await pilot.pause()
    again = make_app(sandbox, clock)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "desk-light"


async def test_stays_fresh_timestamps_do_not_age(sandbox: Sandbox, clock: ManualClock) -> None:
    """Countdowns tick from breach time: ten minutes later the text is ten minutes less."""
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = _key_by_summary(sandbox, "Users cannot log in")  # 30 min old: 1h 30m left
        assert screen.table.sla_text_of(key) == "1h 30m"
        clock.advance(timedelta(minutes=10).total_seconds())
        screen.tick()
        assert screen.table.sla_text_of(key) == "1h 20m"
        clock.advance(timedelta(minutes=25).total_seconds())
        screen.tick()
        assert screen.table.sla_text_of(key) == "55m"
        clock.advance(timedelta(minutes=46).total_seconds())
        screen.tick()
        assert screen.table.sla_text_of(key) == "9m 00s"  # seconds show in the last ten minutes


async def test_ready_to_close_tickets_are_marked_listed_and_closed_with_a_resolution(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.ui.screens.modals import PickerScreen

    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        ready = {k for k, s in screen.table.closing.items() if s.ready}
        expected = {_key_by_summary(sandbox, s) for s in ("Proposal numbers look off", "Need login for new hire",
                                                          "Battery sizing is wrong")}
        assert expected <= ready
        assert screen.table.cell_text(_key_by_summary(sandbox, "Need login for new hire"), "next") == "close ✓"
        await pilot.press("R")
        await pilot.pause()
        shown = set(screen.table.ordered_keys)
        assert shown == ready
        key = _key_by_summary(sandbox, "Need login for new hire")
        screen.table.cursor_to(key)
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen) and "followed up twice" in app.screen.title_text
        await pilot.press(*"won")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the SOP's open steps")
        await pilot.press("y")  # the triage SOP's steps still open: the agent closes anyway
        from queue_tui.ui.screens.close_channel import CloseChannelScreen

        await wait_until(pilot, lambda: isinstance(app.screen, CloseChannelScreen), "the channel, asked again")
        await pilot.press("y")  # the channel as it is
        await app.workers.wait_for_complete()
        i = sandbox.world.issues[key]
        assert (i.status, i.resolution) == ("Closed", "Won't Do")


async def test_the_cursor_starts_on_the_most_urgent_ticket(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        await pilot.pause()
        assert screen.table.cursor_row == 0
        assert screen.table.current_key() == screen.table.ordered_keys[0]
        assert screen.table.stage_of(screen.table.current_key() or "") == Stage.BREACHED


async def test_keys_go_to_the_table_after_a_dialog_and_enter_does_not_confirm(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        assert app.focused is screen.table
        key = next(k for k, t in screen.table.tickets.items() if t.assignee and t.assignee.name == "Sam Okafor")
        screen.table.cursor_to(key)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")  # the focused answer is "No"
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert sandbox.world.issues[key].assignee == "557058:sam-okafor"
        row = screen.table.cursor_row
        await pilot.press("down")
        assert screen.table.cursor_row == row + 1
