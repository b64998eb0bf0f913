"""An alert reaches the desktop: its notification sequences are written to the app's terminal, and
notify-send is started with the ticket's text as an argument. (That the terminal is the real one,
through Textual's driver, is tested in a pseudo-terminal in test_terminal.py.)"""

from __future__ import annotations

from collections.abc import Sequence

from queue_tui.core.glance import ticket_stage
from queue_tui.core.sla import Stage, next_clock, remaining
from queue_tui.sandbox import ManualClock, Sandbox
from tests.ui.helpers import make_app, queue_screen


async def test_a_breach_is_written_to_the_terminal_as_a_desktop_notification(
        sandbox: Sandbox, clock: ManualClock) -> None:
    app = make_app(sandbox, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await queue_screen(app, pilot)
        written: list[str] = []
        assert not app.terminal.attached  # a headless run has no terminal: stand in for it
        app.terminal.attach(written.append)  # what the terminal receives
        spawned: list[list[str]] = []
        screen.alerting.desktop.notify_send = "/usr/bin/notify-send"

        def spawn(argv: Sequence[str]) -> None:
            spawned.append(list(argv))

        screen.alerting.desktop.spawn = spawn
        now = screen.now()
        soon = min((t for t in screen.table.tickets.values() if ticket_stage(t, now) == Stage.UNDER_30M),
                   key=lambda t: remaining(next_clock(t, now), now))  # type: ignore[arg-type]
        clock.advance(remaining(next_clock(soon, now), now).total_seconds() + 1)  # type: ignore[arg-type]
        screen.tick()
        await pilot.pause()
        sequences = "".join(w for w in written if w.startswith("\x1b]"))
        assert f"\x1b]9;SLA breached: {soon.key} breached its SLA" in sequences
        assert f"\x1b]777;notify;SLA breached;{soon.key} breached its SLA" in sequences
        assert any(argv[-2] == "SLA breached" and argv[-1].startswith(f"{soon.key} breached") for argv in spawned)
