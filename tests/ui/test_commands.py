"""The command registry as agents meet it: help lists every command with the keys they press, the
palette offers what the current state allows, and a keymap changes a key everywhere at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from queue_tui.config import Config
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.commands import COMMANDS, in_scope, key_text
from queue_tui.ui.init_app import InitApp
from queue_tui.ui.palette import offered
from queue_tui.ui.screens.cs_form import CsFormScreen, ExistingCsScreen
from queue_tui.ui.screens.help import HelpScreen
from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen
from queue_tui.ui.screens.reply import ReplyScreen
from queue_tui.ui.widgets.playbook_panel import PlaybookPanel
from tests.ui.helpers import make_app, queue_screen, text_of, wait_until

SIZE = (160, 48)


def _key(sb: Sandbox, summary: str) -> str:
    return next(i.key for i in sb.world.issues.values() if i.summary.startswith(summary))


def _ids(screen: Any) -> set[str]:
    return {c.id for _, c in offered(screen)}


async def _help_text(app: Any, pilot: Any) -> str:
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen) and bool(app.screen.query("Static")), "the help")
    return "\n".join(text_of(w, width=300) for w in app.screen.query("Static"))


def _row(help_text: str, description: str) -> str:
    return next(line for line in help_text.splitlines() if f" {description} " in f" {line} ")


async def _palette(app: Any, pilot: Any, query: str) -> list[str]:
    """Open the palette, type `query`, and return the prompts it lists."""
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    await pilot.press(*query)
    palette = app.screen
    options = palette.query_one(OptionList)
    await wait_until(pilot, lambda: palette.query_one(Input).value == query and options.option_count > 0, "palette hits")
    await pilot.pause(0.3)  # the palette gathers hits from every provider
    return [str(options.get_option_at_index(i).prompt).splitlines()[0] for i in range(options.option_count)]


async def test_help_lists_every_command_of_the_app_with_its_key_and_id(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        await queue_screen(app, pilot)
        text = await _help_text(app, pilot)
        for c in COMMANDS:
            if c.scope == "init":
                continue
            row = _row(text, c.description) if c.scope == "queue" else text
            assert c.description in text and c.id in text, c.id
            if c.scope == "queue":
                assert c.id in row
        # the panel's and the reply's keys are there too, with the keys an agent presses
        assert "space" in _row(text, "Tick manual step") and "P" in _row(text, "Other playbook")
        assert "tab" in _row(text, "Keys to the SOP panel and back")
        assert "f1" in _row(text, "Probing questions").lower() and "^t" in _row(text, "Internal / public")
        assert "^s" in _row(text, "Send")
        assert "priority-installer ticket" in _row(text, "Take next")  # what n takes first, said where keys are learnt


async def test_help_starts_with_the_sop_panel_when_it_has_the_keys(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        screen.table.cursor_to(_key(sandbox, "Fwd: Customer can't see loan products"))
        await pilot.press("p")
        await wait_until(pilot, lambda: screen.panel.query_one(OptionList).has_focus, "the panel taking the keys")
        text = await _help_text(app, pilot)
        titles = [line.split("│")[0].strip() for line in text.splitlines() if line.startswith(("Here:", "Everywhere"))]
        assert titles[:3] == ["Here: SOP panel", "Here: Queue", "Everywhere"]


async def test_a_remapped_key_shows_in_help_and_the_palette_and_works(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"ui": {"keymap": {"assign_me": "u"}}})
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(k for k, t in screen.table.tickets.items() if t.assignee is None)
        screen.table.cursor_to(key)
        text = await _help_text(app, pilot)
        row = _row(text, "Assign to me")
        assert row.split()[0] == "u" and "•" in row  # remapped, and marked as the agent's
        await pilot.press("escape")
        await pilot.press("a")  # the default key no longer assigns
        await pilot.pause()
        assert sandbox.world.issues[key].assignee is None
        await pilot.press("u")
        await app.workers.wait_for_complete()
        assert sandbox.world.issues[key].assignee == "557058:alex-rivera"
        assert [key_text(c, app, app.keymap) for _, c in offered(screen) if c.id == "assign_me"] == ["u"]


async def test_a_keymap_id_that_is_no_command_is_reported(sandbox: Sandbox, clock: ManualClock) -> None:
    from tests.ui.helpers import notifications

    app = make_app(sandbox, clock, {"ui": {"keymap": {"asign_me": "u"}}})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await queue_screen(app, pilot)
        assert any("'asign_me' is no command id" in m for m in notifications(app))


async def test_the_palette_finds_assign_reply_and_sort_and_runs_them(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(k for k, t in screen.table.tickets.items() if t.assignee is None)
        screen.table.cursor_to(key)
        hits = await _palette(app, pilot, "assign")
        assert {"Assign to me", "Assign to…"} <= set(hits)
        await pilot.press("escape")
        await pilot.pause()
        assert "Reply" in await _palette(app, pilot, "reply")
        await pilot.press("escape")
        await pilot.pause()
        hits = await _palette(app, pilot, "sort")
        assert hits[0] == "Sort"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.table.sort_name == "newest", "the sort changed from the palette")


async def test_the_palette_offers_only_what_the_state_allows(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        plain = _ids(screen)
        assert {"assign_me", "reply", "create_cs", "sort", "help", "quit"} <= plain
        assert not plain & {"clear_filter", "sop_apply_all", "sop_apply_step", "sop_fix", "sop_switch", "pb_tick"}
        await pilot.press("slash", *"no ticket says this")
        await pilot.pause()
        assert screen.table.row_count == 0
        empty = _ids(screen)
        assert "clear_filter" in empty and not empty & {"assign_me", "reply", "create_cs", "detail", "close_ticket"}


async def test_every_command_is_offered_by_the_palette_where_it_is_available(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    seen: set[str] = set()
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        seen |= _ids(screen)
        await pilot.press("slash", *"helios")
        seen |= _ids(screen)
        await pilot.press("escape")
        await pilot.pause()
        # the SOP panel, with the keys, on a manual step
        screen.table.cursor_to(_key(sandbox, "A New Channel Partner Request"))
        await pilot.press("p")
        panel = screen.panel
        await wait_until(pilot, lambda: bool(panel.plans) and panel.query_one(OptionList).has_focus, "the panel")
        assert isinstance(panel, PlaybookPanel)
        panel.query_one(OptionList).highlighted = next(n for n, p in enumerate(panel.plans) if p.status == "manual")
        seen |= _ids(screen)
        await pilot.press("escape")
        seen |= _ids(screen)
        await pilot.press("p")
        await pilot.pause()
        # every other screen and dialog
        screen.table.cursor_to(_key(sandbox, "Contract template missing"))
        for keys, kind in ((("enter",), "DetailScreen"), (("m",), ReplyScreen), (("c",), ExistingCsScreen),
                           (("c", "n"), CsFormScreen), (("A",), PickerScreen), (("L",), "AuditScreen"),
                           (("question_mark",), HelpScreen)):
            for k in keys:
                await pilot.press(k)
                await pilot.pause(0.1)
            await wait_until(pilot, lambda kind=kind: (type(app.screen).__name__ if isinstance(kind, str) else None) == kind
                             or (not isinstance(kind, str) and isinstance(app.screen, kind)), f"{kind}")
            await pilot.pause(0.1)
            seen |= _ids(app.screen)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen, "back to the queue")
        key = next(k for k, t in screen.table.tickets.items() if t.assignee and t.assignee.name == "Sam Okafor")
        screen.table.cursor_to(key)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirm")
        seen |= _ids(app.screen)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen, "back to the queue")
        # the channel, asked again at close (empty here, so k is offered too); esc closes nothing
        from queue_tui.ui.screens.close_channel import CloseChannelScreen

        sandbox.world.issues[key].channel = []
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and bool(app.screen.values), "the resolution")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen | CloseChannelScreen), "the next question")
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, CloseChannelScreen), "the channel dialog")
        seen |= _ids(app.screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back to the queue")
        # marks and the bulk screen, the team view, the customer history
        await pilot.press("space")
        seen |= _ids(screen)
        await pilot.press("x")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BulkScreen", "the bulk screen")
        seen |= _ids(app.screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back to the queue")
        for keys, kind in ((("T",), "TeamScreen"), (("enter", "h"), "HistoryScreen")):
            for k in keys:
                await pilot.press(k)
                await pilot.pause(0.1)
            await wait_until(pilot, lambda kind=kind: type(app.screen).__name__ == kind, kind)
            seen |= _ids(app.screen)
            while app.screen is not screen:
                await pilot.press("escape")
                await pilot.pause(0.1)
    missing = {c.id for c in COMMANDS if c.scope != "init"} - seen
    assert not missing, f"never offered by the palette: {sorted(missing)}"


async def test_init_offers_its_commands_in_the_palette(tmp_path: Path) -> None:
    app = InitApp(tmp_path / "config.toml", Config())
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        assert _ids(app.screen) == {c.id for c in in_scope("init")}
