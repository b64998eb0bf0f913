"""A dialog is not covered by news from the queue: while the reply is open, an information toast
(a ticket changed) stays off the dialog and waits on the queue's notice line; a warning, which may
be about the dialog, still shows."""

from __future__ import annotations

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.screens.reply import ReplyScreen
from tests.ui.helpers import make_app, queue_screen, wait_until


async def test_queue_news_does_not_cover_an_open_dialog(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await queue_screen(app, pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplyScreen), "the reply")
        app.notify("SS-64 changed: Need login for new hire", title="Changed")
        app.notify("Jira did not answer: the reply was not sent", severity="warning")
        await pilot.pause()
        shown = [t for t in app.screen.query("Toast") if t.display and t.visible]  # Textual's toast widget, by its CSS type name
        assert [("-warning" in t.classes) for t in shown] == [True]
        assert any("SS-64 changed" in n.message for n in app.notices.current())
