"""`c` then create: the CS ticket of cs-ticket-creation.txt, against the simulator."""

from __future__ import annotations

import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.cs_form import CsFormScreen, ExistingCsScreen
from queue_tui.ui.screens.modals import ConfirmScreen
from tests.ui.helpers import make_app, queue_screen, wait_until

SIZE = (180, 50)


pytestmark = pytest.mark.usefixtures("local_time_utc")




async def test_c_then_create_makes_the_cs_ticket_with_every_field(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    w = sandbox.world
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(i.key for i in w.issues.values() if i.summary == "Contract template missing new state disclosures")
        screen.table.cursor_to(key)
        await pilot.press("c")
        # Helios already has an open CS ticket: it is shown first, and the agent files a new one.
        await wait_until(pilot, lambda: isinstance(app.screen, ExistingCsScreen), "the existing CS tickets")
        existing = app.screen
        assert isinstance(existing, ExistingCsScreen)
        assert [t.summary for t in existing.tickets] == ["Luis - Helios Home Power - Enable Mosaic"]
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, CsFormScreen) and bool(app.screen.query("#epic")), "the CS form")
        form = app.screen
        assert isinstance(form, CsFormScreen)
        assert form.draft.summary.endswith("- Helios Home Power - Contract template missing new state disclosures")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.services.last_cs is not None, "the CS ticket")
        outcome = app.services.last_cs
        assert outcome is not None and outcome.complete, outcome.summary() if outcome else ""
        cs = w.issues[outcome.cs_key or ""]
        assert cs.project == "CS"
        assert cs.issue_type == "Doc"  # a contract template is a document request
        assert cs.priority == "High"  # Helios Home Power is a priority installer
        assert cs.components == ["Helios Home Power"]
        assert cs.parent and w.issues[cs.parent].summary == "Installer Configurations"
        assert cs.assignee == "557058:tomas-berg" and cs.qa_assignee == "557058:cherish-sharma"
        # Filed Wednesday 15:00; documents keep the standard rule even for top tier.
        assert (cs.duedate, cs.config_date, cs.qa_date) == ("2026-11-23", "2026-11-19", "2026-11-20T15:00:00.000+0000")
        assert "Attachments" not in cs.description or "spec-sheet" in cs.description
        assert any({lk.inward_key, lk.outward_key} == {key, cs.key} and lk.type_name == "Relates" for lk in w.links)
        note = w.issues[key].comments[-1]
        assert note.public is False and cs.key in note.body
        await pilot.pause()
        assert screen.table.cell_text(key, "cs") == cs.key  # the CS key shows on the SS row
        entries = app.services.audit.entries()
        assert {"create issue", "link", "comment"} <= {e["action"] for e in entries if e["ok"]}


async def test_a_second_c_shows_the_existing_cs_ticket_first(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    w = sandbox.world
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(i.key for i in w.issues.values() if i.summary == "Update our contract template")
        screen.table.cursor_to(key)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CsFormScreen) and bool(app.screen.query("#epic")), "the CS form")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.services.last_cs is not None, "the first CS ticket")
        first = app.services.last_cs.cs_key  # type: ignore[union-attr]
        app.services.last_cs = None
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ExistingCsScreen), "the existing CS ticket list")
        existing = app.screen
        assert isinstance(existing, ExistingCsScreen)
        assert first in [t.key for t in existing.tickets]
        await pilot.press("escape")
        await pilot.pause()
        made = [i for i in w.issues.values() if i.project == "CS" and i.summary.endswith("Update our contract template")]
        assert len(made) == 1


async def test_the_form_will_not_create_without_an_epic(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(i.key for i in sandbox.world.issues.values() if i.summary == "Cancel our subscription")
        screen.table.cursor_to(key)
        before = len(sandbox.world.issues)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CsFormScreen) and bool(app.screen.query("#epic")), "the CS form")
        from textual.widgets import Input

        app.screen.query_one("#epic", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CsFormScreen)
        assert "epic is required" in str(app.screen.query_one("#problems").content)
        assert len(sandbox.world.issues) == before


async def test_created_but_link_refused_says_what_exists_and_finishes(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    w = sandbox.world
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(i.key for i in w.issues.values() if i.summary == "Enable PV Watts for our team")
        screen.table.cursor_to(key)
        w.permissions["LINK_ISSUES"] = False
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CsFormScreen) and bool(app.screen.query("#epic")), "the CS form")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the finish question")
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question.plain
        assert "Done: created CS-" in question and "Not done: link it, add the internal note" in question
        made = [i for i in w.issues.values() if i.project == "CS" and "PV Watts" in i.summary]
        assert len(made) == 1
        w.permissions["LINK_ISSUES"] = True
        await pilot.press("y")
        await wait_until(pilot, lambda: app.services.last_cs is not None, "the finished CS ticket")
        assert app.services.last_cs.complete  # type: ignore[union-attr]
        assert len([i for i in w.issues.values() if i.project == "CS" and "PV Watts" in i.summary]) == 1
        assert any({lk.inward_key, lk.outward_key} == {key, made[0].key} for lk in w.links)


async def test_the_field_being_edited_on_the_cs_form_shows_what_is_typed(sandbox: Sandbox, clock: ManualClock) -> None:
    from textual.widgets import Checkbox, Input

    from tests.ui.helpers import cs_form_open

    app = make_app(sandbox, clock)
    w = sandbox.world
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_screen(app, pilot)
        screen.table.cursor_to(next(i.key for i in w.issues.values()
                                    if i.summary == "Contract template missing new state disclosures"))
        await pilot.press("c")
        form = await cs_form_open(app, pilot)
        for widget in (form.query_one("#due", Input), form.query(Checkbox).first()):
            widget.focus()
            await pilot.pause()
            assert app.focused is widget
            assert widget.content_region.height >= 1, f"{widget.id} has no room for its text when focused"


async def test_the_form_links_the_cs_ticket_as_the_agent_chose_from_the_sites_link_types_and_says_what_it_checked(
        sandbox: Sandbox, clock: ManualClock) -> None:
    from textual.widgets import Input

    from tests.ui.helpers import cs_form_open

    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    w = sandbox.world
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        key = next(i.key for i in w.issues.values() if i.summary == "Enable PV Watts for our team")
        screen.table.cursor_to(key)
        await pilot.press("c")
        form = await cs_form_open(app, pilot, "#link")
        said = lambda: str(form.query_one("#link-says").content)  # noqa: E731
        # cs-ticket-creation.txt step 2, "Check if a ticket has already been filed": what was looked at is said.
        assert f"linked to {key}, or open for Mesa Solar" in str(form.query_one("#checked").content)
        assert form.query_one("#link", Input).value == "relates to" and form.query_one("#link_to", Input).value == key
        assert said().startswith(f"this CS ticket relates to {key}") and "is blocked by" in said()
        field = form.query_one("#link", Input)
        field.focus()
        await pilot.pause()
        assert field.has_focus and field.content_region.height == 1  # what the agent types stays in sight
        form.query_one("#link", Input).value = "sideways"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Linked issues must be one of" in str(form.query_one("#problems").content)
        form.query_one("#link", Input).value = "is blocked by"
        await pilot.pause()
        assert said().startswith(f"this CS ticket is blocked by {key}")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.services.last_cs is not None, "the CS ticket")
        outcome = app.services.last_cs
        assert outcome is not None and outcome.complete, outcome.summary() if outcome else ""
        cs = await app.services.gateway.issue(outcome.cs_key or "")
        assert [(lk.key, lk.relation) for lk in cs.links] == [(key, "is blocked by")]
        assert f"({outcome.cs_key} is blocked by {key})" in outcome.summary()  # the toast says which way
