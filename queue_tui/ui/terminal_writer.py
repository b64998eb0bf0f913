"""The terminal beside Textual's frames: sequences the app sends that are not drawing (desktop
notifications, OSC 9 and OSC 777).

Textual's driver is the one writer of the terminal: anything written beside it could land in the
middle of a frame. Textual offers no public writer for other sequences, so the app runs its usual
driver class with one addition: while the driver is in application mode, its public `write` is
lent to `Terminal`. Headless runs (tests) have no terminal, and write nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.driver import Driver


class Terminal:
    """Where the app writes a sequence to the terminal; nothing before the app starts drawing
    or while it is suspended."""

    def __init__(self) -> None:
        self._write: Callable[[str], None] | None = None

    @property
    def attached(self) -> bool:
        return self._write is not None

    def attach(self, write: Callable[[str], None] | None) -> None:
        self._write = write

    def write(self, data: str) -> None:
        if self._write is not None:
            self._write(data)


def lending_driver(base: type[Driver], terminal: Terminal) -> type[Driver]:
    """`base` (the driver Textual chose for this platform) lending its writer to `terminal`."""

    class LendingDriver(base):  # type: ignore[misc,valid-type]
        def start_application_mode(self) -> Any:
            started = super().start_application_mode()
            terminal.attach(self.write)
            return started

        def stop_application_mode(self) -> Any:
            terminal.attach(None)
            return super().stop_application_mode()

    LendingDriver.__name__ = LendingDriver.__qualname__ = f"Lending{base.__name__}"
    return LendingDriver
