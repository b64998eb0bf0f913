"""The CS form's three dates as the agent types them: rules follow only untouched dates, and a
weekend day, a due date before QA or a date that does not exist is said under the field."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Checkbox, Input

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.cs_form import CsFormScreen, ExistingCsScreen
from tests.ui.helpers import cs_form_open, make_app, queue_screen, wait_until

SIZE = (120, 40)
SUMMARY = "Contract template missing new state disclosures"  # filed Wednesday: due Mon 23, config Thu 19, QA Fri 20

pytestmark = pytest.mark.usefixtures("local_time_utc")


async def _type(pilot: Any, field: Input, text: str) -> None:
    field.focus()
    await pilot.press("end", *["backspace"] * len(field.value), *text)
    await pilot.pause()


def _says(form: CsFormScreen, wid: str) -> str:
    return str(form.query_one(f"#{wid}").content)


async def _open_form(app: Any, pilot: Any, sandbox: Sandbox) -> CsFormScreen:
    screen = await queue_screen(app, pilot)
    screen.table.cursor_to(next(i.key for i in sandbox.world.issues.values() if i.summary == SUMMARY))
    await pilot.press("c")
    form = await cs_form_open(app, pilot, "#due")
    assert isinstance(form, CsFormScreen)
    return form


async def test_a_ticked_rule_keeps_a_date_typed_by_hand_and_says_what_the_rule_gives(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(app, pilot, sandbox)
        due, config, qa = (form.query_one(f"#{w}", Input) for w in ("due", "config", "qa"))
        assert (due.value, config.value, qa.value) == ("2026-11-23", "2026-11-19", "2026-11-20")
        await _type(pilot, due, "2026-11-24")
        basic = next(c for c in form.query(Checkbox) if str(c.label).startswith("Basic onboarding"))
        basic.focus()
        await pilot.press("space")
        await pilot.pause()
        assert basic.value
        # The untouched dates follow the 24 h rule; the typed one stays, and the rule's date is said.
        assert (due.value, config.value, qa.value) == ("2026-11-24", "2026-11-19", "2026-11-19")
        note = _says(form, "date-note")
        assert "basic onboarding rule gives due Thu 19 Nov" in note and "you typed due Tue 24 Nov" in note
        assert "ctrl+r" in note
        assert "ctrl+r" in {b.binding.key for b in app.active_bindings.values()}  # in the footer too
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert due.value == "2026-11-19" and not form.query_one("#date-note").display
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.services.last_cs is not None, "the CS ticket")
        cs = sandbox.world.issues[app.services.last_cs.cs_key or ""]  # type: ignore[union-attr]
        assert cs.duedate == "2026-11-19"


async def test_a_weekend_due_date_or_one_before_qa_is_warned_under_the_field_and_still_created(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(app, pilot, sandbox)
        due = form.query_one("#due", Input)
        assert not form.query_one("#due-warn").display
        await _type(pilot, due, "2026-11-28")
        assert form.query_one("#due-warn").display and "Sat 28 Nov is a weekend day" in _says(form, "due-warn")
        await _type(pilot, due, "2026-11-19")
        assert "due is before the QA due date (Fri 20 Nov)" in _says(form, "due-warn")
        await pilot.press("ctrl+s")  # a warning, not a refusal: the agent may know better
        await wait_until(pilot, lambda: app.services.last_cs is not None, "the CS ticket")
        cs = sandbox.world.issues[app.services.last_cs.cs_key or ""]  # type: ignore[union-attr]
        assert cs.duedate == "2026-11-19"


async def test_a_date_that_does_not_exist_is_named_with_its_field_and_nothing_is_created(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(app, pilot, sandbox)
        before = len(sandbox.world.issues)
        await _type(pilot, form.query_one("#due", Input), "2026-02-30")
        said = "Due date: 2026-02-30 is not a date (February has 28 days in 2026)"
        assert said in _says(form, "due-warn")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and said in _says(form, "problems")
        assert len(sandbox.world.issues) == before


async def test_a_cs_ticket_already_linked_to_the_ss_ticket_says_so_and_offers_no_link(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    w = sandbox.world
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(i.key for i in w.issues.values() if i.summary == "Update our contract template")
        screen.table.cursor_to(key)
        await pilot.press("c")
        await cs_form_open(app, pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.services.last_cs is not None, "the first CS ticket")
        first = app.services.last_cs.cs_key  # type: ignore[union-attr]
        links = len(w.links)
        writes = len(app.services.audit.entries())
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ExistingCsScreen) and bool(app.screen.query("OptionList")),
                         "the CS tickets already filed")
        existing = app.screen
        assert isinstance(existing, ExistingCsScreen)
        from textual.widgets import OptionList

        options = existing.query_one(OptionList)
        row = next(n for n, t in enumerate(existing.tickets) if t.key == first)
        assert "already linked" in str(options.get_option_at_index(row).prompt)
        options.highlighted = row
        await pilot.press("enter")
        await pilot.press("l")
        await pilot.pause()
        assert app.screen is existing  # nothing to write for it: the list stays
        assert f"{first} is already linked to {key}" in str(existing.query_one("#existing-says").content)
        assert len(w.links) == links and len(app.services.audit.entries()) == writes
