"""C asks for the channel again before a ticket is closed (queue-triage-and-request-types.txt: "make
sure phone, email, or chat is selected - or select multiple channels if you needed to use a
combination of channels to resolve the original request"), driven by keys against the simulator."""

from __future__ import annotations

from datetime import timedelta

from queue_tui.sandbox import ManualClock, Sandbox, history
from queue_tui.ui.screens.close_channel import CloseChannelScreen
from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen
from tests.ui.helpers import make_app, queue_screen, text_of, wait_until

SIZE = (160, 48)
SAM = "557058:sam-okafor"


def _key(sb: Sandbox, summary: str) -> str:
    return next(i.key for i in sb.world.issues.values() if summary in i.summary)


async def _to_channel_dialog(app: object, pilot: object, screen: object, key: str, resolution: str = "done") -> CloseChannelScreen:
    screen.table.cursor_to(key)  # type: ignore[attr-defined]
    await pilot.press("C")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and bool(app.screen.values), "the resolution")  # type: ignore[attr-defined]
    await pilot.press(*resolution, "enter")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen | CloseChannelScreen), "the next question")  # type: ignore[attr-defined]
    if isinstance(app.screen, ConfirmScreen):  # type: ignore[attr-defined]
        await pilot.press("y")  # the SOP's open steps: close anyway  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, CloseChannelScreen), "the channel dialog")  # type: ignore[attr-defined]
    return app.screen  # type: ignore[attr-defined,no-any-return]


async def _press_on(pilot: object, dialog: CloseChannelScreen, option: str) -> None:
    from textual.widgets import OptionList

    ol = dialog.query_one(OptionList)
    ol.highlighted = dialog.options.index(option)
    await pilot.press("space")  # type: ignore[attr-defined]


async def test_closing_asks_for_the_channel_and_adds_the_one_the_agent_ticks(sandbox: Sandbox, clock: ManualClock) -> None:
    key = _key(sandbox, "Proposal numbers look off")
    assert sandbox.world.issues[key].channel == ["Email"]
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        dialog = await _to_channel_dialog(app, pilot, screen, key)
        assert dialog.options == ("Phone", "Email", "Chat")  # the site's own options, from its edit metadata
        assert dialog.chosen() == ("Email",)
        assert "make sure phone, email, or chat is selected" in text_of(dialog.query_one("#channel-sop"))
        assert sandbox.world.issues[key].status != "Closed"  # nothing written while it asks
        await _press_on(pilot, dialog, "Phone")
        await pilot.press("y")
        await wait_until(pilot, lambda: sandbox.world.issues[key].status == "Closed", "the close")
        assert sandbox.world.issues[key].channel == ["Email", "Phone"]
        logged = [e for e in app.services.audit.entries() if e.get("key") == key]
        assert [e.get("detail") for e in logged if e.get("action") == "edit"] == ["channel + Phone"]


async def test_a_suggested_channel_is_shown_with_its_words_and_not_ticked(sandbox: Sandbox, clock: ManualClock) -> None:
    key = _key(sandbox, "Proposal numbers look off")
    i = sandbox.world.issues[key]
    sandbox.world.add_comment(i, SAM, "Called the customer and walked her through the new totals.", False,
                              clock.now() - timedelta(hours=1))
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        dialog = await _to_channel_dialog(app, pilot, screen, key)
        shown = str(dialog.query_one("OptionList").get_option_at_index(dialog.options.index("Phone")).prompt)
        assert "suggested: \u201cCalled the customer and walked her through the new totals.\u201d" in shown
        assert "Sam Okafor, internal comment" in shown
        assert dialog.chosen() == ("Email",)  # the suggestion is not ticked for the agent
        await pilot.press("y")
        await wait_until(pilot, lambda: sandbox.world.issues[key].status == "Closed", "the close")
        assert sandbox.world.issues[key].channel == ["Email"]  # y without ticking it: nothing added


async def test_a_channel_a_colleague_adds_while_the_dialog_is_open_is_kept(sandbox: Sandbox, clock: ManualClock) -> None:
    key = _key(sandbox, "Proposal numbers look off")
    i = sandbox.world.issues[key]
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        dialog = await _to_channel_dialog(app, pilot, screen, key)
        before = history.snapshot(sandbox.world, i)
        i.channel.append("Phone")  # Sam adds Phone in Jira meanwhile
        history.record(sandbox.world, before, i, SAM, clock.now())
        await _press_on(pilot, dialog, "Chat")
        await pilot.press("y")
        await wait_until(pilot, lambda: i.status == "Closed", "the close")
        assert i.channel == ["Email", "Phone", "Chat"]


async def test_a_colleagues_channel_is_removed_only_on_a_confirm_that_names_them(sandbox: Sandbox, clock: ManualClock) -> None:
    key = _key(sandbox, "Proposal numbers look off")
    i = sandbox.world.issues[key]
    before = history.snapshot(sandbox.world, i)
    i.channel.append("Phone")
    history.record(sandbox.world, before, i, SAM, clock.now() - timedelta(hours=2))
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        dialog = await _to_channel_dialog(app, pilot, screen, key)
        assert dialog.chosen() == ("Phone", "Email")
        assert "set by Sam Okafor" in str(dialog.query_one("OptionList").get_option_at_index(0).prompt)
        await _press_on(pilot, dialog, "Phone")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question naming Sam")
        assert "Sam Okafor" in text_of(app.screen.query_one("#question"))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is dialog, "back to the dialog")
        assert i.channel == ["Email", "Phone"] and i.status != "Closed"
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question again")
        await pilot.press("y")
        await wait_until(pilot, lambda: i.status == "Closed", "the close")
        assert i.channel == ["Email"]


async def test_an_empty_channel_is_not_closed_without_a_choice_or_an_explicit_skip(sandbox: Sandbox, clock: ManualClock) -> None:
    key = _key(sandbox, "Proposal numbers look off")
    i = sandbox.world.issues[key]
    i.channel = []
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        dialog = await _to_channel_dialog(app, pilot, screen, key)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is dialog and i.status != "Closed"
        assert "The SOP asks that phone, email, or chat is selected" in text_of(dialog.query_one("#channel-status"))
        await pilot.press("k")
        await wait_until(pilot, lambda: i.status == "Closed", "the close without a channel")
        assert i.channel == []


async def test_a_close_cut_off_after_the_channel_write_asks_again_and_writes_nothing_twice(
        sandbox: Sandbox, clock: ManualClock) -> None:
    key = _key(sandbox, "Proposal numbers look off")
    i = sandbox.world.issues[key]
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        dialog = await _to_channel_dialog(app, pilot, screen, key)
        await _press_on(pilot, dialog, "Chat")
        sandbox.faults.inject("503", path_glob=f"*/issue/{key}/transitions", method="POST", times=40)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert i.channel == ["Email", "Chat"] and i.status != "Closed"
    sandbox.faults.clear()
    # A new start of the app (as after kill -9): C reads the channel again, with Chat already there.
    edits = len([h for h in i.history if any(it.field == "Channel" for it in h.items)])
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        dialog = await _to_channel_dialog(app, pilot, screen, key)
        assert dialog.chosen() == ("Email", "Chat")
        await _press_on(pilot, dialog, "Chat")
        await _press_on(pilot, dialog, "Chat")  # untick, tick: the same answer
        await pilot.press("y")
        await wait_until(pilot, lambda: i.status == "Closed", "the close")
    assert i.channel == ["Email", "Chat"]
    assert len([h for h in i.history if any(it.field == "Channel" for it in h.items)]) == edits


async def test_bulk_close_asks_each_tickets_channel_and_lists_it_in_the_confirm(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.ui.screens.bulk import BulkScreen

    first, second = _key(sandbox, "Proposal numbers look off"), _key(sandbox, "Need login for new hire")
    sandbox.world.issues[second].channel = []
    sandbox.world.add_comment(sandbox.world.issues[second], SAM, "Per our chat, Kate's login is on its way.", True,
                              clock.now() - timedelta(hours=3))
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        for key in (first, second):
            screen.table.cursor_to(key)
            await pilot.press("space")
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and bool(app.screen.values), "the resolution")
        await pilot.press("enter")
        asked = []
        for _ in range(2):
            await wait_until(pilot, lambda: isinstance(app.screen, CloseChannelScreen) and app.screen.key not in asked,
                             "the next ticket's channel")
            dialog = app.screen
            assert isinstance(dialog, CloseChannelScreen)
            asked.append(dialog.key)
            assert f"of 2): the channel of {dialog.key}" in text_of(dialog.query_one("#channel-head"))
            if dialog.key == second:
                assert dialog.chosen() == () and "Per our chat" in str(
                    dialog.query_one("OptionList").get_option_at_index(dialog.options.index("Chat")).prompt)
                await _press_on(pilot, dialog, "Chat")
            else:
                await _press_on(pilot, dialog, "Phone")
            await pilot.press("y")
        assert sorted(asked) == sorted([first, second])
        await wait_until(pilot, lambda: isinstance(app.screen, BulkScreen), "the one confirm")
        bulk = app.screen
        assert isinstance(bulk, BulkScreen)
        listed = text_of(bulk.query_one("#bulk-list"), width=150)
        assert "channel: Phone, Email" in listed and "channel: Chat" in listed
        assert sandbox.world.issues[first].channel == ["Email"]  # nothing written before y
        await pilot.press("y")
        await wait_until(pilot, lambda: bulk.finished, "the bulk close", tries=2000)
        assert sandbox.world.issues[first].channel == ["Email", "Phone"]
        assert sandbox.world.issues[second].channel == ["Chat"]
        assert all(sandbox.world.issues[k].status == "Closed" for k in (first, second))


async def test_c_in_the_ticket_detail_asks_for_the_channel_too(sandbox: Sandbox, clock: ManualClock) -> None:
    from tests.ui.test_detail_actions import open_detail

    key = _key(sandbox, "Proposal numbers look off")
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        await open_detail(app, pilot, screen, key)
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and bool(app.screen.values), "the resolution")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen | CloseChannelScreen), "the next question")
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, CloseChannelScreen), "the channel dialog")
        await pilot.press("escape")  # esc cancels the close: nothing written
        await app.workers.wait_for_complete()
        assert sandbox.world.issues[key].status != "Closed"


async def test_a_lost_answer_to_the_channel_write_is_checked_and_the_ticket_closes_once(
        sandbox: Sandbox, clock: ManualClock) -> None:
    key = _key(sandbox, "Proposal numbers look off")
    i = sandbox.world.issues[key]
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        dialog = await _to_channel_dialog(app, pilot, screen, key)
        await _press_on(pilot, dialog, "Chat")
        sandbox.faults.inject("drop", path_glob=f"*/issue/{key}", method="PUT")  # applied, then the answer is lost
        await pilot.press("y")
        await wait_until(pilot, lambda: i.status == "Closed", "the close")
        assert sandbox.faults.injected["drop"] == 1
        assert i.channel == ["Email", "Chat"]
        assert len([h for h in i.history if any(it.field == "Channel" for it in h.items)]) == 1
        assert any(e.get("action") == "edit" and e.get("ok") and e.get("key") == key for e in app.services.audit.entries())


async def test_e_on_the_sop_panels_channel_step_adds_to_a_colleagues_channel_from_the_sites_options(
        sandbox: Sandbox, clock: ManualClock) -> None:
    from tests.ui.helpers import open_panel, press_on

    key = _key(sandbox, "Proposal numbers look off")
    i = sandbox.world.issues[key]
    before = history.snapshot(sandbox.world, i)
    i.channel = ["Phone"]  # Sam set it after his call
    history.record(sandbox.world, before, i, SAM, clock.now() - timedelta(hours=2))
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        await press_on(pilot, panel, "channel", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, CloseChannelScreen), "the channel dialog")
        dialog = app.screen
        assert isinstance(dialog, CloseChannelScreen)
        assert dialog.options == ("Phone", "Email", "Chat") and dialog.chosen() == ("Phone",)
        await _press_on(pilot, dialog, "Email")
        await pilot.press("y")
        await wait_until(pilot, lambda: i.channel == ["Phone", "Email"], "Email added beside Sam's Phone")
        await app.workers.wait_for_complete()
        assert i.status != "Closed"  # e sets the channel; nothing closes
