"""Alerts to the desktop: the terminal sequences cannot be broken out of, notify-send gets the
ticket's text as one argument, and each kind follows its setting."""

from __future__ import annotations

from collections.abc import Sequence

from queue_tui.config import NotifySettings
from queue_tui.ui.desktop import DesktopNotifier, osc9, osc777


def notifier(settings: NotifySettings) -> tuple[DesktopNotifier, list[str], list[list[str]]]:
    written: list[str] = []
    spawned: list[list[str]] = []

    def spawn(argv: Sequence[str]) -> None:
        spawned.append(list(argv))

    return DesktopNotifier(settings, written.append, which=lambda _n: "/usr/bin/notify-send", spawn=spawn), written, spawned


def test_ticket_text_cannot_end_the_sequence_or_start_another() -> None:
    evil = "pwned\x07\x1b]0;title\x1b\\ \x9b2J done"
    assert osc9("SLA breached", evil) == "\x1b]9;SLA breached: pwned]0;title\\ 2J done\x07"
    assert osc777("a;b", evil).startswith("\x1b]777;notify;a,b;pwned]0;title")
    assert osc777("a;b", evil).count("\x07") == 1 and "\x1b" not in osc777("a;b", evil)[1:]


def test_an_alert_goes_out_as_both_sequences_and_through_notify_send_without_a_shell() -> None:
    n, written, spawned = notifier(NotifySettings())
    n.send("breached", "SLA breached", "--help; rm -rf / $(reboot)")
    assert written == ["\x1b]9;SLA breached: --help; rm -rf / $(reboot)\x07"
                       "\x1b]777;notify;SLA breached;--help; rm -rf / $(reboot)\x07"]
    assert spawned == [["/usr/bin/notify-send", "--app-name=queue-tui", "--urgency=critical", "--", "SLA breached",
                        "--help; rm -rf / $(reboot)"]]


def test_changed_is_off_by_default_and_each_kind_follows_its_setting() -> None:
    n, written, spawned = notifier(NotifySettings())
    n.send("changed", "Changed", "SS-1 changed")
    assert written == [] and spawned == []
    n, written, spawned = notifier(NotifySettings(changed=True, new=False, terminal=["osc777"], notify_send=False))
    n.send("new", "New ticket", "SS-2")
    n.send("changed", "Changed", "SS-1 changed")
    assert written == ["\x1b]777;notify;Changed;SS-1 changed\x07"] and spawned == []
