"""Bulk actions and the team view: one confirm for several tickets, each re-read before its write,
colleagues' tickets left out unless included; the team view's counts are the desk's."""

from __future__ import annotations

from collections import Counter

from queue_tui.core.glance import ticket_stage
from queue_tui.core.sla import Stage
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.bulk import BulkScreen
from queue_tui.ui.screens.team import TeamScreen
from tests.ui.helpers import make_app, queue_screen, text_of, wait_until

SIZE = (160, 48)
SAM = "557058:sam-okafor"
ME = "557058:alex-rivera"


async def test_bulk_x_applies_the_non_platform_sop_to_three_tickets_and_leaves_a_colleagues_out(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        free = [k for k, t in screen.table.tickets.items() if t.assignee is None][:4]
        sams = next(k for k, t in screen.table.tickets.items() if t.assignee and t.assignee.id == SAM)
        for key in [*free, sams]:
            screen.table.cursor_to(key)
            await pilot.press("space")
        assert screen.marked == {*free, sams}
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, BulkScreen) and bool(app.screen.query("#bulk-list"))
                         and bool(text_of(app.screen.query_one("#bulk-list"))), "the one confirm")
        bulk = app.screen
        assert isinstance(bulk, BulkScreen)
        listed = text_of(bulk.query_one("#bulk-list"))
        assert all(k in listed for k in [*free, sams]) and "Held by a colleague" in listed and "Sam Okafor" in listed
        assert all(sandbox.world.issues[k].assignee is None for k in free), "nothing is written before the confirm"
        with sandbox.world.lock:  # a colleague takes one between the confirm and its write
            sandbox.world.issues[free[3]].assignee = SAM
        await pilot.press("y")
        await wait_until(pilot, lambda: bulk.finished, "the bulk action", tries=2000)
        for k in free[:3]:
            i = sandbox.world.issues[k]
            assert (i.assignee, i.status, i.resolution) == (ME, "Closed", "Won't Do"), (k, bulk.results)
            assert bulk.results[k][0] == "done", bulk.results
        assert bulk.results[free[3]] == ("skipped", "taken by Sam Okafor meanwhile")
        assert sandbox.world.issues[free[3]].assignee == SAM and sandbox.world.issues[free[3]].status != "Closed"
        assert bulk.results[sams][0] == "skipped" and sandbox.world.issues[sams].assignee == SAM
        assert "3 done, 2 skipped, 0 failed" in text_of(bulk.query_one("#bulk-status"))
        assert not screen.marked
        await pilot.pause()
        assert text_of(bulk.query_one("#bulk-list")).count("held by Sam Okafor") == 1  # said once, on its line
        offered = {k for k, b in bulk.active_bindings.items() if b.enabled}
        assert "y" not in offered and "i" not in offered and "escape" in offered  # done: only closing is left


async def test_bulk_close_includes_a_colleagues_ticket_only_when_asked(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.ui.screens.close_channel import CloseChannelScreen
    from queue_tui.ui.screens.modals import PickerScreen

    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        sams = [k for k, t in screen.table.tickets.items() if t.assignee and t.assignee.id == SAM][:2]
        for key in sams:
            screen.table.cursor_to(key)
            await pilot.press("space")
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen), "the resolution")
        await pilot.press(*"duplicate", "enter")
        for _ in sams:  # each ticket's channel, asked once
            await wait_until(pilot, lambda: isinstance(app.screen, CloseChannelScreen), "the channel, asked again")
            dialog = app.screen
            await pilot.press("y" if dialog.values else "k")
            await wait_until(pilot, lambda dialog=dialog: app.screen is not dialog, "the next question")
        await wait_until(pilot, lambda: isinstance(app.screen, BulkScreen) and bool(app.screen.query("#bulk-list"))
                         and bool(text_of(app.screen.query_one("#bulk-list"))), "the confirm")
        bulk = app.screen
        assert isinstance(bulk, BulkScreen)
        await pilot.press("y")  # nothing to do without them: the colleague's tickets are left out
        await pilot.pause()
        assert not bulk.started
        await pilot.press("i", "y")
        await wait_until(pilot, lambda: bulk.finished, "the bulk close", tries=2000)
        assert all((sandbox.world.issues[k].status, sandbox.world.issues[k].resolution) == ("Closed", "Duplicate")
                   for k in sams)


async def test_the_team_view_counts_each_assignees_tickets_and_stages(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team view")
        team = app.screen
        assert isinstance(team, TeamScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        open_ss = [i for i in sandbox.world.issues.values() if i.project == "SS" and i.resolution is None]
        held = Counter(i.assignee for i in open_ss if i.assignee)
        names = {uid: u.display_name for uid, u in sandbox.world.users.items()}
        assert {h.person.name: h.held for h in team.holdings if h.person} == {names[a]: n for a, n in held.items()}
        now = screen.now()
        for h in team.holdings:
            assert h.breached == sum(ticket_stage(team.tickets[k], now) == Stage.BREACHED for k in h.keys)
        sam = next(h for h in team.holdings if h.person and h.person.id == SAM)
        assert sam.breached >= 1, "the seed gives Sam breached tickets, so the count is checked on something"
        unassigned = sum(len(keys) for label, keys in team.rows if label.startswith("unassigned"))
        assert unassigned == sum(1 for i in open_ss if i.assignee is None)
        row = next(n for n, (label, _) in enumerate(team.rows) if label == "Sam Okafor")
        assert "█" in text_of_cell(team, row)


def text_of_cell(team: TeamScreen, row: int) -> str:
    from textual.widgets import DataTable

    return str(team.query_one("#team", DataTable).get_row_at(row)[1])


async def test_reassigning_from_the_team_view_goes_through_the_picker(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen

    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        await queue_screen(app, pilot)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team view")
        team = app.screen
        assert isinstance(team, TeamScreen)
        await app.workers.wait_for_complete()
        row = next(n for n, (label, _) in enumerate(team.rows) if label == "Sam Okafor")
        from textual.widgets import DataTable

        team.query_one("#team", DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        key = team.current_ticket().key  # type: ignore[union-attr]
        await pilot.press("A")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen), "the picker")
        await pilot.press(*"Priya")
        await wait_until(pilot, lambda: text_of(app.screen.query_one("#status")).strip().endswith("found"), "people")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the take-over question")
        assert "Sam Okafor" in text_of(app.screen.query_one("#question"))
        await pilot.press("y")
        await app.workers.wait_for_complete()
        assert sandbox.world.issues[key].assignee == "557058:priya-nair"
