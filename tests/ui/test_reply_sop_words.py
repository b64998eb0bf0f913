"""The reply composer (`m`) as queue-triage-and-request-types.txt reads: each initial reply with the
SOP's words for when to use it and what follows it, and a public reply read once more, as the
customer will get it, before it goes (edits after sending are not sent)."""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.modals import ConfirmScreen
from queue_tui.ui.screens.reply import ReplyScreen
from tests.ui.helpers import make_app, queue_screen, text_of, wait_until

SIZE = (160, 48)


def _key(sb: Sandbox, summary_start: str) -> str:
    return next(i.key for i in sb.world.issues.values() if i.summary.startswith(summary_start))


async def _composer(app: Any, pilot: Any, key: str) -> ReplyScreen:
    screen = await queue_screen(app, pilot)
    screen.table.cursor_to(key)
    await pilot.press("m")
    await wait_until(pilot, lambda: isinstance(app.screen, ReplyScreen) and app.screen.query("#body"), "the composer")
    assert isinstance(app.screen, ReplyScreen)
    return app.screen


async def test_each_initial_reply_shows_the_sops_words_for_when_to_use_it(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=SIZE) as pilot:
        composer = await _composer(app, pilot, _key(sandbox, "Proposal PDF fails"))
        said = text_of(composer.query_one("#sop"))
        assert "Probing questions" in said and "General initial response" in said  # the three, before a pick
        await pilot.press("f1")
        assert "use if we need more details to proceed with the request" in text_of(composer.query_one("#sop"))
        await pilot.press("f2")
        assert "narrow down the issue right away" in text_of(composer.query_one("#sop"))
        await pilot.press("f3")
        said = text_of(composer.query_one("#sop"))
        assert "2 hour SLA" in said
        # What the SOP says follows it, said before it is sent: the status goes back to Waiting for Support.
        assert "back to waiting for support" in said.lower()
        await pilot.press("ctrl+t")  # internal: the customer is told nothing, so the status stays
        assert "back to waiting for support" not in text_of(composer.query_one("#sop")).lower()


async def test_a_public_reply_is_shown_whole_to_proofread_before_it_is_sent(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    w = sandbox.world
    key = _key(sandbox, "Proposal PDF fails")
    async with app.run_test(size=SIZE) as pilot:
        composer = await _composer(app, pilot, key)
        await pilot.press("f2")
        area = composer.query_one(TextArea)
        area.text = area.text.replace("\n\n\n\n", "\n\nClear the browser cache, then open the proposal again.\n\n")
        before = len(w.issues[key].comments)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the send confirm")
        question = text_of(app.screen.query_one("#question"))
        assert "Clear the browser cache, then open the proposal again." in question  # the text as it will go
        assert "proofread" in question.lower() and "(reporter)" in question
        assert len(w.issues[key].comments) == before, "nothing is sent before the confirm"
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert "Clear the browser cache" in w.issues[key].comments[-1].body and w.issues[key].comments[-1].public
