"""What the agent sees at 80, 100 and 160 columns: the way back from the SOP panel, tabs that fit
with counts that say when they may be behind, headers that keep their meaning, and steps that
read as steps."""

from __future__ import annotations

from textual.widgets import OptionList

from queue_tui.sandbox import ManualClock, Sandbox
from tests.ui.helpers import make_app, open_panel, queue_screen, screen_lines, wait_until


def _key_line(app: object) -> str:
    return screen_lines(app)[-1]


async def test_esc_takes_the_agent_back_to_the_queue_after_the_terminal_narrows(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(iter(screen.table.tickets))
        panel = await open_panel(app, pilot, key)
        await pilot.press("escape")  # the queue gets the keys; the panel stays beside it
        await pilot.pause()
        assert screen.table.has_focus and screen.panel_open
        await pilot.resize_terminal(100, 30)  # now the panel covers the queue
        await wait_until(pilot, lambda: panel.query_one(OptionList).has_focus, "the keys on the panel")
        assert "esc Back to the queue" in _key_line(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.panel_open and screen.table.has_focus and screen.table.display


async def test_the_key_line_names_esc_back_at_80_columns(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await queue_screen(app, pilot)
        await open_panel(app, pilot, next(iter(screen.table.tickets)))
        line = _key_line(app)
        assert "esc Back to the queue" in line and "? Help" in line
        t = screen.table.current_ticket()
        assert t is not None
        ticket = next(x for x in screen_lines(app) if x.startswith(f" {t.key} ")).rstrip()
        assert ticket.endswith(t.summary) or ticket.endswith("…"), ticket  # the line above the panel: whole or cut at a word


async def test_tabs_fit_with_their_counts_after_switching_at_80_columns(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await queue_screen(app, pilot)
        for _ in range(2):
            await pilot.press("right_square_bracket")
            await app.workers.wait_for_complete()
            await pilot.pause()
            tabs = screen_lines(app)[2]
            assert len(tabs.rstrip()) <= 80
            for q in screen.feed.queues:  # every tab there, its count whole
                assert f"({q.count})" in tabs or f"(~{q.count})" in tabs, (q, tabs)
            assert tabs.count("…") >= 2  # shortened, all by the same rule


async def test_tabs_beside_the_sop_panel_keep_their_closing_bracket(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await queue_screen(app, pilot)
        await open_panel(app, pilot, next(iter(screen.table.tickets)))
        await pilot.pause()
        tabs = screen_lines(app)[2]
        last = screen.feed.queues[-1]
        assert f"({last.count})" in tabs, tabs


async def test_other_tabs_counts_say_they_may_be_behind_until_jira_gives_them_again(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await queue_screen(app, pilot)
        tabs = screen_lines(app)[2]
        assert "~" not in tabs  # just read: every count as Jira gave it
        clock.advance(2 * app.config.monitor.poll_seconds + 1)
        await screen.poll_now()
        await pilot.pause()
        tabs = screen_lines(app)[2]
        active = screen.feed.active
        assert active is not None
        for q in screen.feed.queues:
            assert (f"(~{q.count})" in tabs) == (q.id != active.id), (q.name, tabs)
        clock.advance(app.config.monitor.reconcile_minutes * 60)
        await screen.poll_now()  # the reconcile reads every queue's count again
        await pilot.pause()
        assert "~" not in screen_lines(app)[2]


async def test_the_title_line_keeps_whole_pieces_with_a_filter_and_marks_at_80(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_screen(app, pilot)
        await pilot.press("space", "slash", *"solar", "enter")
        await pilot.pause()
        top = screen_lines(app)[0]
        assert " q " not in top and "Software Support (SS)" in top and "/solar" in top and "1 marked" in top, top


async def test_the_panel_header_shortens_the_summary_and_keeps_the_bracketed_organization(
        sandbox: Sandbox, clock: ManualClock) -> None:
    with sandbox.world.lock:
        issue = next(i for i in sandbox.world.issues.values() if i.summary.endswith(")") and " (" in i.summary)
        org = issue.summary[issue.summary.rindex(" (") + 1:]
        issue.summary = f"A much longer question about the site design and its roof over the garage {org}"
    app = make_app(sandbox, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_panel(app, pilot, issue.key)
        head = next(line for line in screen_lines(app) if f"█ {issue.key} " in line)
        assert head.rstrip().endswith(org) and "…" in head, head


async def test_down_on_the_last_step_stays_and_wrapped_step_text_sits_under_its_title(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_screen(app, pilot)
        panel = await open_panel(app, pilot, next(iter(screen.table.tickets)))
        ol = panel.query_one(OptionList)
        await pilot.press("end")
        last = ol.option_count - 1
        await pilot.press("down")
        assert ol.highlighted == last
        await pilot.press("home", "up")
        assert ol.highlighted == 0
        lines = screen_lines(app)
        step = next(i for i, line in enumerate(lines) if " 1. " in line)
        said = [line for line in lines[step + 1:step + 4] if line.strip()]
        margin = lines[step].index("1.")
        # every line under the title, the SOP's sentence and its wrap alike, starts under the title
        assert all(len(line) - len(line.lstrip(" ▊")) >= margin for line in said), lines[step:step + 4]


async def test_a_long_notice_ends_with_an_ellipsis_at_a_word(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_screen(app, pilot)
        app.notify("Applied: Organization: Non-platform Emails, Request type: Not for support, "
                   "Reporter: Anonymous, Status: Closed (Won't Do)", title="SS-55")
        await pilot.pause()
        line = next(x for x in screen_lines(app) if "Applied:" in x).rstrip()
        assert line.endswith("…") and len(line) <= 80, line
        words = line[line.index("Applied:"):-1].split()
        assert words[-1].rstrip(",:") in ("Organization", "Non-platform", "Emails", "Request", "type", "Not", "for",
                                          "support", "Reporter", "Anonymous"), line
