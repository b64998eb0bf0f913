"""What the SOPs leave to a person stays with the agent, against the simulator: a ticket that names
EverBright without saying it is its financing asks the agent about the EB label; the approver's
separate reply counts only once the agent links it; the CS form's faster due-date rules are shown
with the sentence that suggests them and left to the agent to tick; closing a ticket whose SOP has
open steps lists them and asks first."""

from __future__ import annotations

import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.modals import PickerScreen
from tests.ui.helpers import (
    cs_form_open,
    make_app,
    open_panel,
    plan_now,
    press_on,
    step_status,
    typed_ticket,
    wait_until,
)

SIZE = (200, 55)


pytestmark = pytest.mark.usefixtures("local_time_utc")


def _key(sb: Sandbox, summary: str) -> str:
    return next(i.key for i in sb.world.issues.values() if i.summary == summary)


def _seeded(sb: Sandbox, summary: str, description: str) -> str:
    issue = next(i for i in sb.world.issues.values() if i.summary.startswith(summary))
    issue.description = description
    return issue.key


async def test_a_ticket_naming_everbright_asks_the_agent_about_the_eb_label_and_keeps_the_no(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    key = _seeded(sandbox, "Question about your service", "The homeowner was declined. We use the EverBright platform.")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(app, pilot, key)
        assert step_status(panel, "eb_label") == "suggested"  # never skipped on the reader's "not EB"
        await press_on(pilot, panel, "eb_label", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and bool(app.screen.values), "yes or no")
        picker = app.screen
        assert isinstance(picker, PickerScreen) and picker.values == ["yes", "no"]
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: step_status(panel, "eb_label") == "skip", "the answer kept")
        assert "EB" not in sandbox.world.issues[key].labels


async def test_the_approvers_separate_reply_is_found_whatever_its_subject_and_counts_only_once_linked(
        sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.core.conditions import approval_judgement
    from queue_tui.core.judgement import Approval
    from queue_tui.core.plan_steps import plan_step

    w = sandbox.world
    reply = next(i for i in w.issues.values() if i.summary.endswith("Redwood Power Systems approved"))
    reply.summary = "Re: your question from this morning"  # his answer, under a subject of his own
    key = _key(sandbox, "EverBright Partner Onboarding")
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE):
        pb = app.services.playbooks["everbright-onboarding"]
        ctx, _ = await plan_now(app, key, pb.id)
        assert reply.key in {r.key for r in ctx.related}
        link = plan_step(next(s for s in pb.steps if s.id == "link_approval"), ctx, pb)  # later in the SOP: asked alone
        assert link.status == "suggested" and reply.key in link.change
        assert approval_judgement(ctx).verdict == Approval.NO_REPLY  # not his answer until the agent links it
        await app.services.runner().apply(key, pb, [link],
                                          confirmed={"link_approval"})
        ctx, _ = await plan_now(app, key, "everbright-onboarding")
        assert approval_judgement(ctx).verdict != Approval.NO_REPLY  # we heard back from him: no reminder


@pytest.mark.parametrize(("summary", "request_type", "sentence"), [
    ("New installer account setup", "Onboarding", "This is a basic onboarding: our logo and two users."),
    ("Proposal PDF fails to generate", "Technical Support", "The configuration error is blocking jobs for the whole team."),
])
async def test_the_cs_form_shows_the_sentence_that_suggests_a_faster_rule_and_leaves_the_box_to_the_agent(
        sandbox: Sandbox, clock: ManualClock, summary: str, request_type: str, sentence: str) -> None:
    from textual.widgets import Checkbox, Input, Static

    from queue_tui.ui.screens.cs_form import CsFormScreen
    from tests.ui.helpers import queue_screen

    key = typed_ticket(sandbox, summary, request_type)
    sandbox.world.issues[key].description = f"Hello. {sentence}"
    app = make_app(sandbox, clock, {"cs": {"timezone": "UTC"}})
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        screen.table.cursor_to(key)
        await pilot.press("c")
        await cs_form_open(app, pilot, "#choice-1")
        form = app.screen
        assert isinstance(form, CsFormScreen)
        said = [n for n, (_c, _name, why) in enumerate(form.draft.choices) if why == sentence]
        assert said, form.draft.choices
        box = form.query_one(f"#choice-{said[0]}", Checkbox)
        assert not box.value and form.collect().chosen == frozenset()  # the words suggest; the agent ticks
        assert any(f"suggested: “{sentence}”" in str(s.render()) for s in form.query(Static))
        before = form.query_one("#due", Input).value
        box.value = True
        await wait_until(pilot, lambda: form.query_one("#due", Input).value != before, "the faster dates once ticked")


async def test_closing_a_ticket_whose_sop_has_open_steps_lists_them_and_asks_first(
        sandbox: Sandbox, clock: ManualClock) -> None:
    from queue_tui.ui.screens.modals import ConfirmScreen
    from tests.ui.helpers import queue_screen, text_of

    key = _key(sandbox, "EverBright Partner Onboarding")
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_screen(app, pilot)
        for answer in ("n", "y"):
            screen.table.cursor_to(key)
            await pilot.press("C")
            await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and bool(app.screen.values), "the resolution")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the open steps")
            question = text_of(app.screen.query_one("#question"), width=200)
            assert "still open" in question and "• Organization = installer" in question and "more" in question
            await pilot.press(answer)
            if answer == "y":
                from queue_tui.ui.screens.close_channel import CloseChannelScreen

                await wait_until(pilot, lambda: isinstance(app.screen, CloseChannelScreen), "the channel, asked again")
                await pilot.press("y" if app.screen.values else "k")
            await app.workers.wait_for_complete()
            closed = sandbox.world.issues[key].status == "Closed"
            assert closed == (answer == "y")  # n: nothing written; y: closed as the agent chose
