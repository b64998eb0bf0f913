"""With credentials alone (JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN; no config file), on a desk that
names its request types its own way: `x`, answered "not about the platform", runs the
non-platform SOP, its reporter and request type found on the site and named in the one confirm;
where the site offers nothing, it says exactly what to map and where, before anything is written."""

from __future__ import annotations

from typing import Any

import pytest

from queue_tui.cli import _parser, _settings
from queue_tui.config import default_config_path
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.gateway import Connection
from queue_tui.service.secrets import read_secret
from queue_tui.ui.screens.bulk import BulkScreen
from queue_tui.ui.screens.modals import ConfirmScreen, PickerScreen
from tests.ui.helpers import WatchedApp, queue_screen, text_of, wait_until

SIZE = (160, 48)


def env_only_app(sb: Sandbox, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> WatchedApp:
    """The app as `queue-tui` starts it with only the three variables set."""
    c = sb.credentials
    monkeypatch.setenv("JIRA_URL", sb.base_url)
    monkeypatch.setenv("JIRA_EMAIL", c.email)
    monkeypatch.setenv("JIRA_API_TOKEN", c.token)
    assert not default_config_path().exists()
    cfg = _settings(_parser().parse_args([]))
    conn = Connection(cfg.jira.url, cfg.jira.deployment, email=cfg.jira.email,
                      token=read_secret(cfg.jira.url, cfg.jira.email, cfg.jira.deployment), timeout=2.0)

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)

    return WatchedApp(conn, cfg, clock=clock.now, auto_poll=False, auto_tick=False, gateway_kwargs={"sleep": sleep})


async def answer_not_about_the_platform(app: WatchedApp, pilot: Any) -> None:
    """x asks first: the first answer is "not about the platform", closed as the SOP's usual Won't Do."""
    await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and bool(app.screen.values), "x's question")
    assert app.screen.values[0] == ("junk", "Won't Do")  # type: ignore[attr-defined]
    await pilot.press("enter")


def _junk(sb: Sandbox) -> str:
    return next(i.key for i in sb.world.issues.values() if i.summary == "Resume - Senior Solar Designer")


async def test_x_runs_the_non_platform_sop_with_credentials_alone_on_a_desk_with_its_own_names(
        site_desk: Sandbox, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = env_only_app(site_desk, clock, monkeypatch)
    w = site_desk.world
    key = _junk(site_desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        screen.table.cursor_to(key)
        await pilot.press("x")
        await answer_not_about_the_platform(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirm")
        question = text_of(app.screen.query_one("#question"))
        assert "Anonymous" in question and "Not for support" in question  # the site's choices, named before writing
        assert "the desk's anonymous customer" in question and "reads like the SOP's Non-Platform Request" in question
        await pilot.press("y")
        await wait_until(pilot, lambda: w.issues[key].status == "Closed", "the non-platform SOP")
    i = w.issues[key]
    assert w.users[i.reporter or ""].display_name == "Anonymous"
    assert w.request_types[i.request_type or ""].name == "Not for support"
    assert w.organizations[i.organizations[0]].name == "Non-platform Emails"
    assert i.resolution == "Won't Do"


async def test_x_names_what_to_map_and_writes_nothing_when_the_site_has_no_anonymous_customer(
        site_desk: Sandbox, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = env_only_app(site_desk, clock, monkeypatch)
    w = site_desk.world
    w.users["qm:anonymous"].active = False  # this desk has no anonymous account
    key = _junk(site_desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        mark = site_desk.journal.mark()
        screen.table.cursor_to(key)
        await pilot.press("x")
        await answer_not_about_the_platform(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen) or any(
            "anonymous_reporter" in s.message for s in app.shown), "the answer")
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
        await wait_until(pilot, lambda: any("anonymous_reporter" in s.message for s in app.shown), "what to map")
        await app.workers.wait_for_complete()
    said = next(s.message for s in app.shown if "anonymous_reporter" in s.message)
    assert "[roster]" in said and str(default_config_path()) in said
    assert site_desk.requests(writes=True, since=mark) == []


async def test_x_on_marked_tickets_names_the_sites_stand_ins_in_its_one_confirm(
        site_desk: Sandbox, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = env_only_app(site_desk, clock, monkeypatch)
    w = site_desk.world
    keys = [i.key for i in w.issues.values() if i.summary in ("Resume - Senior Solar Designer",
                                                              "Meet us at RE+ 2026, booth 4411!")]
    assert len(keys) == 2
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        for key in keys:
            screen.table.cursor_to(key)
            await pilot.press("space")
        mark = site_desk.journal.mark()
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, BulkScreen) and bool(app.screen.query("#bulk-list"))
                         and bool(text_of(app.screen.query_one("#bulk-list"))), "the one confirm")
        head = text_of(app.screen.query_one("#bulk-head"))
        # As x on one ticket says it: the site's own values, and why each stands in for the SOP's.
        assert "Anonymous" in head and head.count("the desk's anonymous customer") == 1  # said once for all
        assert "Not for support" in head and "reads like the SOP's Non-Platform Request" in head
        assert site_desk.requests(writes=True, since=mark) == []
        await pilot.press("y")
        bulk = app.screen
        assert isinstance(bulk, BulkScreen)
        await wait_until(pilot, lambda: bulk.finished, "the bulk action", tries=2000)
    for key in keys:
        i = w.issues[key]
        assert w.users[i.reporter or ""].display_name == "Anonymous"
        assert w.request_types[i.request_type or ""].name == "Not for support"
