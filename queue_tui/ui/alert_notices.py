"""Queue alerts as the agent gets them: one notice per alert, and several of a kind at once (a
burst of breaches, a poll bringing many new tickets) share one notice listing their keys; the
same out to the desktop as `[notify]` asks, and one bell when the agent wants it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from queue_tui.core.alerts import Alert

if TYPE_CHECKING:
    from queue_tui.ui.app import QueueApp
    from queue_tui.ui.desktop import DesktopNotifier

TITLES = {"new": "New ticket", "under_30m": "Under 30 min", "breached": "SLA breached",
          "unassigned": "Unassigned", "changed": "Changed", "summary": "Queue"}
GROUP_TITLES = {"new": "{n} new tickets", "under_30m": "{n} tickets under 30 min", "breached": "{n} SLAs breached",
                "unassigned": "{n} tickets unassigned too long", "changed": "{n} of your tickets changed",
                "summary": "Queue"}


def severity_of(kind: str) -> SeverityLevel:
    if kind == "breached":
        return "error"
    return "warning" if kind in ("under_30m", "unassigned") else "information"


class AlertNotices:
    def __init__(self, app: QueueApp) -> None:
        self.app = app
        self._desktop: DesktopNotifier | None = None

    @property
    def desktop(self) -> DesktopNotifier:
        """Alerts out to the desktop as well, per kind as [notify] says (set up on first use)."""
        if self._desktop is None:
            from queue_tui.ui.desktop import DesktopNotifier

            self._desktop = DesktopNotifier(self.app.config.notify, self.app.terminal.write)
        return self._desktop

    def show(self, alerts: list[Alert]) -> None:
        by_kind: dict[str, list[Alert]] = {}
        for alert in alerts:
            by_kind.setdefault(alert.kind, []).append(alert)
        # The opening summary is what the glance line shows anyway: it is not repeated as a notice.
        by_kind.pop("summary", None)
        if not by_kind:
            return
        for kind, group in by_kind.items():
            if len(group) == 1:
                text, title = group[0].text, TITLES[kind]
            else:
                keys = [a.key for a in group]
                text = ", ".join(keys[:8]) + (f" and {len(keys) - 8} more" if len(keys) > 8 else "")
                title = GROUP_TITLES[kind].format(n=len(group))
            self.app.notify(text, title=title, severity=severity_of(kind), markup=False, timeout=8)
            self.desktop.send(kind, title, text)
        if self.app.config.monitor.bell:
            self.app.bell()
