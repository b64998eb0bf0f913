"""A reply goes to the customer once: when the app stopped before it heard back (killed, the
answer lost) and the agent sends the kept draft again, Jira is asked first, and a reply already
there is not posted a second time. Counted from the requests the simulator received."""

from __future__ import annotations

from datetime import timedelta

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.reply import ReplyScreen
from tests.ui.helpers import make_app, notifications, queue_screen, wait_until

SIZE = (160, 48)
ME = "557058:alex-rivera"
TEXT = "We found the cause: the rate table was out of date. It is fixed now."


def _key(sb: Sandbox) -> str:
    return next(i.key for i in sb.world.issues.values() if i.summary.startswith("Update billing card"))


async def _send_draft(app, pilot, screen, key: str) -> None:  # type: ignore[no-untyped-def]
    screen.table.cursor_to(key)
    await pilot.press("m")
    await wait_until(pilot, lambda: isinstance(app.screen, ReplyScreen) and app.screen.query("#body"), "the composer")
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_reply_that_reached_jira_before_the_app_was_killed_is_not_sent_again_from_its_draft(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    w = sandbox.world
    key = _key(sandbox)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        drafts = app.services.drafts
        # The app's last life: the draft, the send begun, the comment in Jira, then SIGKILL before it heard back.
        drafts.save(key, TEXT, False, "")
        drafts.mark_sending(key, clock.now())
        clock.advance(seconds=2)
        with w.lock:
            w.add_comment(w.issues[key], ME, TEXT, False)
        mark = sandbox.journal.mark()
        await _send_draft(app, pilot, screen, key)
        assert sandbox.requests("POST", "*/comment", since=mark) == []
        assert sum(c.body == TEXT for c in w.issues[key].comments) == 1
        assert drafts.get(key) is None
        assert any("already in Jira" in n and "not sent again" in n for n in notifications(app))


async def test_a_reply_whose_send_never_reached_jira_is_sent_from_its_kept_draft(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    w = sandbox.world
    key = _key(sandbox)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        drafts = app.services.drafts
        drafts.save(key, TEXT, False, "")
        drafts.mark_sending(key, clock.now() - timedelta(minutes=1))  # killed before the comment left
        mark = sandbox.journal.mark()
        await _send_draft(app, pilot, screen, key)
        assert len(sandbox.requests("POST", "*/comment", since=mark, applied=True)) == 1
        assert sum(c.body == TEXT for c in w.issues[key].comments) == 1
        assert drafts.get(key) is None


async def test_the_same_words_sent_again_on_purpose_are_posted_again(sandbox: Sandbox, clock: ManualClock) -> None:
    """Only a send the app never heard back from is looked for: a new draft with the same words is a new reply."""
    app = make_app(sandbox, clock)
    w = sandbox.world
    key = _key(sandbox)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await queue_screen(app, pilot)
        with w.lock:
            w.add_comment(w.issues[key], ME, TEXT, False)
        app.services.drafts.save(key, TEXT, False, "")
        await _send_draft(app, pilot, screen, key)
        assert sum(c.body == TEXT for c in w.issues[key].comments) == 2
