"""`t` on a desk whose request types have their own names: only the desk's types are offered,
grouped under the SOP type each stands for (by name, alias, or what it reads like), the
suggestion first with why, and the guidance of both triage SOPs for the highlighted type."""

from __future__ import annotations

from typing import Any

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.sandbox.seed_data import SITE_REQUEST_TYPES
from queue_tui.ui.screens.request_type import RequestTypeScreen
from tests.ui.helpers import make_app, notifications, queue_screen, screen_lines, text_of, wait_until

SIZE = (160, 48)


async def _open(app: Any, pilot: Any, key: str) -> RequestTypeScreen:
    screen = await queue_screen(app, pilot)
    screen.table.cursor_to(key)
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(app.screen, RequestTypeScreen), "the request type menu")
    return app.screen  # type: ignore[no-any-return]


def _key(sb: Sandbox, summary: str) -> str:
    """An untyped ticket (as mail tickets arrive), so setting its type is a change to see."""
    issue = next(i for i in sb.world.issues.values() if i.summary == summary)
    issue.request_type = None
    return issue.key


async def test_t_offers_only_the_desks_own_types_grouped_under_the_sop_with_the_suggestion_first(
        site_desk: Sandbox, clock: ManualClock) -> None:
    app = make_app(site_desk, clock)
    key = _key(site_desk, "Proposal PDF fails to generate")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        menu = await _open(app, pilot, key)
        offered = [c.type.name for c in menu._shown if c is not None]
        assert sorted(offered) == sorted(name for _sop, name, _d in SITE_REQUEST_TYPES)
        first = menu.selected()
        assert first is not None and first.suggested and first.type.name == "Something is broken"
        assert "'fails'" in first.reason  # the words that suggest it
        lines = "\n".join(screen_lines(app))
        assert "Technical Support" in lines and "← suggested" in lines
        guide = text_of(menu.query_one("#rt-guide"))
        assert "queue-triage-and-request-types.txt" in guide and "queue-triage-older-version.txt" in guide
        assert "linked bug ticket" in guide  # the older SOP's routing for technical support
        await pilot.press("enter")
        site_id = next(r.id for r in site_desk.world.request_types.values() if r.name == "Something is broken")
        await wait_until(pilot, lambda: site_desk.world.issues[key].request_type == site_id, "the desk's type set")
        await wait_until(pilot, lambda: any("request type Something is broken (Technical Support)" in n
                                            for n in notifications(app)), "the notice")


async def test_typing_the_sop_name_finds_the_desk_type_an_alias_maps_to(site_desk: Sandbox, clock: ManualClock) -> None:
    app = make_app(site_desk, clock, {"request_type_aliases": {"Not for support": "Non-Platform Request"}})
    key = _key(site_desk, "Resume - Senior Solar Designer")
    async with app.run_test(size=SIZE) as pilot:
        menu = await _open(app, pilot, key)
        await pilot.press(*"non-platform")
        await wait_until(pilot, lambda: [c.type.name for c in menu._shown if c] == ["Not for support"], "the filter")
        chosen = menu.selected()
        assert chosen is not None and chosen.sop == "Non-Platform Request"
        assert "reads like" not in text_of(menu.query_one("#rt-guide"))  # mapped, not guessed
        await pilot.press("enter")
        site_id = next(r.id for r in site_desk.world.request_types.values() if r.name == "Not for support")
        await wait_until(pilot, lambda: site_desk.world.issues[key].request_type == site_id, "the desk's type set")


async def test_escape_leaves_the_request_type_as_it_was(site_desk: Sandbox, clock: ManualClock) -> None:
    app = make_app(site_desk, clock)
    key = _key(site_desk, "Proposal PDF fails to generate")
    before = site_desk.world.issues[key].request_type
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, key)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, RequestTypeScreen), "the menu to close")
        await app.workers.wait_for_complete()
    assert site_desk.world.issues[key].request_type == before
