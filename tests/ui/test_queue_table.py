"""The queue table as an agent uses it all day: the cursor stays on its ticket when rows move, a
poll redraws only the rows that changed, keys and mouse move the cursor, colours follow the theme."""

from __future__ import annotations

import re
from pathlib import Path

from textual import events
from textual.color import Color
from textual.scroll_view import ScrollView

from queue_tui.core.sla import Stage
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.queue_colours import palette_for
from queue_tui.ui.widgets.queue_table import QueueTable
from tests.ui.helpers import make_app, queue_screen

SIZE = (160, 48)


def _key_by_summary(sb: Sandbox, text: str) -> str:
    return next(i.key for i in sb.world.issues.values() if text in i.summary)


def _line_of(table: QueueTable, key: str) -> str:
    """The text of `key`'s row as drawn on screen."""
    y = table.ordered_keys.index(key) - int(table.scroll_y) + 1
    return table.render_line(y).text


async def test_a_row_that_moves_keeps_the_cursor_on_its_ticket(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        table = screen.table
        key = _key_by_summary(sandbox, "Site survey photos not uploading")  # 2 minutes to its breach
        table.cursor_to(key)
        await pilot.pause()
        before = table.cursor_row
        clock.advance(minutes=3)
        screen.tick()  # it breaches: up into the breached tickets
        await pilot.pause()
        assert table.stage_of(key) == Stage.BREACHED
        assert table.current_key() == key
        assert table.cursor_row == table.ordered_keys.index(key) < before
        # The cursor's row is drawn where the ticket now is.
        cursor_colour = table.get_component_rich_style("queue-table--cursor").bgcolor
        y = table.cursor_row - int(table.scroll_y) + 1
        assert any(seg.style and seg.style.bgcolor == cursor_colour for seg in table.render_line(y))


async def test_another_row_moving_past_the_cursor_leaves_it_on_its_ticket(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        table = screen.table
        crossing = _key_by_summary(sandbox, "Site survey photos not uploading")
        index = table.ordered_keys.index(crossing)
        mine = table.ordered_keys[index - 1]  # above it now (under 30 min), below it once it breaches
        table.cursor_to(mine)
        before = table.cursor_row
        clock.advance(minutes=3)
        screen.tick()
        await pilot.pause()
        assert table.ordered_keys.index(crossing) < table.ordered_keys.index(mine)
        assert table.current_key() == mine and table.cursor_row == before + 1


async def test_a_poll_redraws_only_the_rows_that_changed(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        await app.workers.wait_for_complete()  # the closing rules of the first poll are in
        await pilot.pause()
        table = screen.table
        shown = table.ordered_keys[:10]
        changed = shown[4]
        invalidated: list[str] = []
        table.row_invalidated = invalidated.append  # type: ignore[method-assign]
        renders = table.row_renders
        with sandbox.world.lock:
            issue = sandbox.world.issues[changed]
            issue.summary = "Edited by a colleague"
            issue.updated = clock.now()
        await screen.poll_now()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert invalidated == [changed]
        assert table.row_renders - renders == 1, "only the changed row is drawn again"
        assert "Edited by a colleague" in _line_of(table, changed)
        renders = table.row_renders
        await screen.poll_now()  # nothing changed: nothing drawn
        await pilot.pause()
        assert invalidated == [changed] and table.row_renders == renders


async def test_keys_move_the_cursor_and_enter_opens_the_ticket(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.ui.screens.detail import DetailScreen

    app = make_app(sandbox, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_screen(app, pilot)
        table = screen.table
        keys = table.ordered_keys
        await pilot.press("down", "down")
        assert table.current_key() == keys[2]
        await pilot.press("up")
        assert table.current_key() == keys[1]
        await pilot.press("pagedown")
        assert table.cursor_row > 10 and int(table.scroll_y) > 0, "a page down and the view follows"
        await pilot.press("end")
        assert table.current_key() == keys[-1]
        await pilot.press("pageup")
        assert table.cursor_row < len(keys) - 10
        await pilot.press("home")
        assert table.current_key() == keys[0] and int(table.scroll_y) == 0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.ticket.key == keys[0]


async def test_a_click_puts_the_cursor_on_a_row_and_a_second_click_opens_it(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.ui.screens.detail import DetailScreen

    app = make_app(sandbox, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_screen(app, pilot)
        table = screen.table
        target = table.ordered_keys[3]
        await pilot.click(QueueTable, offset=(30, 4))  # line 0 is the header
        assert table.current_key() == target
        assert not isinstance(app.screen, DetailScreen)
        await pilot.click(QueueTable, offset=(30, 4))
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.ticket.key == target


async def test_the_wheel_scrolls_without_moving_the_cursor(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_screen(app, pilot)
        table = screen.table
        first = table.current_key()
        for _ in range(3):
            table.post_message(events.MouseScrollDown(table, 30, 10, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert int(table.scroll_y) > 0 and table.current_key() == first
        assert table.ordered_keys[int(table.scroll_y)] in _line_of(table, table.ordered_keys[int(table.scroll_y)])


async def test_the_stage_colours_come_from_the_theme(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        table = screen.table
        breached = next(k for k in table.ordered_keys[1:] if table.stage_of(k) == Stage.BREACHED)
        for theme in ("desk-light", "desk-dark-contrast"):
            app.theme = theme
            await pilot.pause()
            fill = Color.parse(app.current_theme.variables["sla-breached-background"]).rich_color
            y = table.ordered_keys.index(breached) - int(table.scroll_y) + 1
            marks = palette_for(app.current_theme).marks
            assert any(seg.style and seg.style.bgcolor == fill and marks["breached"] in seg.text
                       for seg in table.render_line(y)), theme


def test_the_table_uses_no_private_textual_name() -> None:
    """Our own private names must not shadow Textual's (a `_context` method once hung the app),
    and no Textual object's private attribute is read."""
    text = (Path(__file__).parents[2] / "queue_tui" / "ui" / "widgets" / "queue_table.py").read_text()
    ours = set(re.findall(r"self\.(_[a-z]\w*)", text)) | set(re.findall(r"def (_[a-z]\w*)", text))
    theirs = set(dir(ScrollView)) | set(vars(ScrollView()))
    assert ours and not ours & theirs
    assert not re.search(r"\b(?:super\(\)|self\.(?:app|screen|styles|scrollbar\w*)|event)\._[a-z]", text)


async def test_a_paused_clock_shows_its_mark_in_its_stage_colour(sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.core.sla import next_clock, remaining

    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        table = screen.table
        key = next(k for k in table.ordered_keys if table.stage_of(k) == Stage.PAUSED)
        left = remaining(next_clock(table.tickets[key], clock.now()), clock.now())  # type: ignore[arg-type]
        stage = "breached" if left.total_seconds() < 0 else "plenty" if left.total_seconds() >= 3600 else "under"
        cell = table.cell(key, "sla") if "sla" in table.columns else table.cell(key, table.columns[0])
        assert cell.lead == table.palette.marks["paused"] == "‖"
        assert cell.role.startswith(f"sla.{stage}") and cell.role.endswith(".paused")
        table.cursor_to(key)
        await pilot.pause()
        assert "‖" in _line_of(table, key)
