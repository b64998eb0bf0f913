"""The Textual app: builds the services, applies themes and the agent's keymap, opens the queue,
and turns a failed worker into one short notification.

Everything an agent does lives elsewhere: commands in `commands.py`, what follows a key in
`flows/`, the screens in `screens/`, Jira and the desk in `service/`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from queue_tui.config import Config, state_dir
from queue_tui.service.gateway import Connection
from queue_tui.ui.commands import bindings, in_scope, unknown_ids
from queue_tui.ui.crash import StopsShort
from queue_tui.ui.errors import notice
from queue_tui.ui.palette import CommandsHere
from queue_tui.ui.screens.queue import QueueScreen
from queue_tui.ui.services import Services
from queue_tui.ui.state import UiState
from queue_tui.ui.terminal_writer import Terminal, lending_driver
from queue_tui.ui.themes import load_themes
from queue_tui.ui.widgets.notices import Notices, show_notice

if TYPE_CHECKING:
    from queue_tui.ui.reminders import Reminders


class QueueApp(StopsShort[None]):
    CSS_PATH = str(Path(__file__).parent / "app.tcss")
    TITLE = "queue-tui"
    COMMANDS = App.COMMANDS | {CommandsHere}
    COMMAND_SCOPE: ClassVar[str] = "app"
    BINDINGS = bindings("app")

    def __init__(self, conn: Connection, config: Config, *, clock: Callable[[], datetime] | None = None,
                 auto_poll: bool = True, auto_tick: bool = True, desk_label: str = "",
                 gateway_kwargs: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.terminal = Terminal()  # desktop notifications, through Textual's driver
        self.driver_class = lending_driver(self.driver_class, self.terminal)
        self.config = config
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.auto_poll = auto_poll  # tests and benchmarks poll and tick by hand
        self.auto_tick = auto_tick
        self.services = Services(conn, config, self.clock, desk_label=desk_label, gateway_kwargs=gateway_kwargs,
                                 warn=self._warn)
        self.ui_state = UiState(state_dir() / "ui.json")
        self.keymap: dict[str, str] = dict(config.ui.keymap)
        self.notices = Notices()
        self._reminders: Reminders | None = None

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Also on the screens' notice line, which never covers a row or an input (toasts did)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        show_notice(self, Text.from_markup(message).plain if markup else message, title, severity,
                    self.NOTIFICATION_TIMEOUT if timeout is None else timeout)

    def _warn(self, text: str) -> None:
        self.notify(text, severity="warning", markup=False, timeout=15)

    # -- lifecycle ------------------------------------------------------------------------
    def on_mount(self) -> None:
        themes, problems = load_themes()
        for theme in themes:
            self.register_theme(theme)
        wanted = self.config.ui.theme or self.ui_state.get("theme") or "textual-dark"
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            problems.append(f"Theme '{wanted}' not found; using textual-dark")
        for p in problems + ([self.ui_state.problem] if self.ui_state.problem else []):
            self.notify(p, severity="warning", markup=False)
        if self.keymap:
            self.set_keymap(self.keymap)
            for unknown in unknown_ids(self.keymap):
                self._warn(f"ui.keymap: '{unknown}' is no command id (? lists them); ignored")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(QueueScreen())
        if self.auto_tick:
            self.set_interval(15, self.check_reminders)
            self.call_later(self.check_reminders)

    @property
    def reminders(self) -> Reminders:
        """The playbooks' reminders, kept in the local state file (announced even after a restart)."""
        if self._reminders is None:
            from queue_tui.ui.reminders import Reminders

            self._reminders = Reminders(self.ui_state)
        return self._reminders

    def check_reminders(self) -> None:
        """Announce each reminder of a playbook the moment it comes due (once)."""
        for r in self.reminders.due(self.clock()):
            self.notify(f"{r.ticket}: {r.title} (due {r.due_at.astimezone():%a %H:%M})", title="Reminder due",
                        severity="warning", timeout=60, markup=False)

    def _theme_changed(self, theme: Theme) -> None:
        try:
            self.ui_state.set("theme", theme.name)
        except OSError as exc:
            self.notify(f"Could not remember the theme: {exc.strerror}", severity="warning", markup=False)

    async def on_unmount(self) -> None:
        await self.services.gateway.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker (every flow runs on the app) becomes a notification."""
        if event.state is WorkerState.ERROR:
            n = notice(event.worker)
            if n is not None:
                self.notify(n.text, severity=n.severity, timeout=n.timeout, markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        ours = {c.description for c in in_scope("app")}  # offered by the registry's provider instead
        yield from (c for c in super().get_system_commands(screen) if c.title not in ours)

    # -- app-wide actions -----------------------------------------------------------------
    def action_help(self) -> None:
        from queue_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen, self.keymap))

    def action_audit_log(self) -> None:
        from queue_tui.ui.screens.audit import AuditScreen

        self.push_screen(AuditScreen(self.services.audit.entries(), self.clock()))
