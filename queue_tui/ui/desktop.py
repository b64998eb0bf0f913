"""Alerts on the desktop: terminal notification sequences and notify-send.

The sequences (OSC 9, and OSC 777's `notify`) are written by the `write` it is given: the app's
`Terminal` (ui/terminal_writer.py), which goes through Textual's driver. notify-send runs without a
shell, the ticket's text passed as one argument after `--`, so no summary can become an option or
a command.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence

from queue_tui.config import NotifySettings

_UNSAFE = {c: None for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}


def _clean(text: str, limit: int = 240) -> str:
    """No control character (ESC, BEL, C1) may end the sequence early or start another one."""
    return " ".join(text.translate(_UNSAFE).split())[:limit]


def osc9(title: str, body: str) -> str:
    return f"\x1b]9;{_clean(f'{title}: {body}')}\x07"


def osc777(title: str, body: str) -> str:
    # Fields are separated by ';', so the title may not hold one.
    return f"\x1b]777;notify;{_clean(title).replace(';', ',')};{_clean(body)}\x07"


class DesktopNotifier:
    def __init__(self, settings: NotifySettings, write: Callable[[str], None],
                 which: Callable[[str], str | None] = shutil.which,
                 spawn: Callable[[Sequence[str]], object] | None = None) -> None:
        self.settings = settings
        self.write = write
        self.notify_send = which("notify-send") if settings.notify_send else None
        self.spawn = spawn or _spawn
        self.sent: list[tuple[str, str]] = []

    def wanted(self, kind: str) -> bool:
        return bool(getattr(self.settings, kind, False))

    def send(self, kind: str, title: str, body: str) -> None:
        """One alert (or a group of one kind) out to the desktop, if this kind is wanted."""
        if not self.wanted(kind):
            return
        sequences = {"osc9": osc9, "osc777": osc777}
        out = "".join(sequences[name](title, body) for name in self.settings.terminal)
        if out:
            self.write(out)
        if self.notify_send:
            urgency = "critical" if kind == "breached" else "normal"
            self.spawn([self.notify_send, "--app-name=queue-tui", f"--urgency={urgency}", "--",
                        _clean(title, 100), _clean(body, 400)])
        self.sent.append((kind, title))


_running: list[subprocess.Popen[bytes]] = []


def _spawn(argv: Sequence[str]) -> None:
    """Start notify-send and return at once; finished ones are reaped on the next call."""
    _running[:] = [p for p in _running if p.poll() is None]
    try:
        _running.append(subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, shell=False, start_new_session=True))
    except OSError:
        pass  # a desktop without a notification daemon: the in-app alert stands
