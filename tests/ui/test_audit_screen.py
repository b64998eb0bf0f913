"""The audit log (`L`) reads as what the agent did: in words, at local time, each line whole when
highlighted, the app's bookkeeping writes out of the way until asked for, and it fits 80x24."""

from __future__ import annotations

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.writes import WriteResult
from queue_tui.ui.screens.audit import AuditScreen
from tests.ui.helpers import make_app, queue_screen, screen_lines, wait_until

REPLY = ("Hi Maya,\nThanks for the proposal request for the new roof. We have set up your account and the "
         "proposal template now shows the Apex logo; let us know if anything looks off.")


async def test_the_audit_log_says_what_the_agent_did_and_fits_80_columns(sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_screen(app, pilot)
        audit = app.services.audit
        audit(WriteResult("link", "SS-59", "SS-59 Duplicate SS-33", True))
        audit(WriteResult("set property", "SS-59", "queue-tui.progress.0123456789abcdef0123456789abcdef", True))
        audit(WriteResult("delete property", "SS-13", "queue-tui.claim.cs-note_CS-22_SS-13.1795671955568-818b3fc1", True))
        audit(WriteResult("comment", "SS-43", f"public comment: {REPLY}", True))
        audit(WriteResult("transition", "SS-44", "status -> Closed (Done)", False, "Jira said: no such transition"))
        await pilot.press("L")
        await wait_until(pilot, lambda: isinstance(app.screen, AuditScreen), "the audit log")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "linked SS-59 to SS-33 as duplicate" in shown
        assert "queue-tui.progress" not in shown and "queue-tui.claim" not in shown  # bookkeeping kept out of the way
        assert "2 app bookkeeping writes hidden (b shows them)" in shown
        local = clock.now().astimezone().strftime("%a %H:%M")
        assert local in shown and "T15:" not in shown.split("\n")[3]  # local time in the rows, not ISO
        rows = [line for line in screen_lines(app) if "SS-" in line and ("ok" in line or "FAILED" in line)]
        assert len(rows) == 3 and all(len(r.rstrip()) <= 80 for r in rows)
        assert any(r.rstrip().endswith("FAILED") for r in rows) and any(r.rstrip().endswith("ok") for r in rows)
        # the newest first, highlighted: its failure whole below the table
        assert "FAILED: Jira said: no such transition" in shown
        await pilot.press("down")
        await pilot.pause()
        below = "\n".join(screen_lines(app))
        assert "let us know if anything looks off." in below  # the reply whole, not its first line
        await pilot.press("b")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "released the claim on a send" in shown and "noted SOP step progress" in shown
        assert "b App bookkeeping" in screen_lines(app)[-1]
