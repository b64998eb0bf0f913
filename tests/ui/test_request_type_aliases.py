"""`t` on a desk whose request types have their own names: the alias in the config finds the desk's type."""

from __future__ import annotations

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.modals import PickerScreen
from tests.ui.helpers import make_app, notifications, queue_screen, wait_until


async def _pick(app, pilot, screen, key: str, typed: str) -> None:  # type: ignore[no-untyped-def]
    screen.table.cursor_to(key)
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen), "the request type picker")
    await pilot.press(*typed)
    picker = app.screen
    await wait_until(pilot, lambda: picker.query_one("#query").value == typed and bool(picker._values), "the choices")  # type: ignore[attr-defined]
    await pilot.press("enter")


async def test_t_sets_the_desks_own_request_type_that_an_alias_maps_to(sandbox: Sandbox, clock: ManualClock) -> None:
    w = sandbox.world
    site_type = next(r for r in w.request_types.values() if r.name == "Technical Support")
    site_type.name = "Report a problem"
    app = make_app(sandbox, clock, {"request_type_aliases": {"Report a problem": "Technical Support"}})
    async with app.run_test(size=(200, 55)) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(k for k, i in w.issues.items() if k in screen.table.ordered_keys and i.request_type != site_type.id)
        await _pick(app, pilot, screen, key, "Technical")
        await wait_until(pilot, lambda: w.issues[key].request_type == site_type.id, "the desk's own type set")


async def test_t_names_the_setting_when_the_desk_has_no_such_type(sandbox: Sandbox, clock: ManualClock) -> None:
    w = sandbox.world
    site_type = next(r for r in w.request_types.values() if r.name == "Technical Support")
    site_type.name = "Report a problem"
    app = make_app(sandbox, clock)
    async with app.run_test(size=(200, 55)) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(k for k, i in w.issues.items() if k in screen.table.ordered_keys and i.request_type != site_type.id)
        before = w.issues[key].request_type
        await _pick(app, pilot, screen, key, "Technical")
        await wait_until(pilot, lambda: any("[request_type_aliases]" in n for n in notifications(app)), "the message")
        assert w.issues[key].request_type == before
