"""Reminders a playbook counts down (everbright-partner-onboarding.txt: "slack David for an update
within 24 hours if we don't hear back"), announced the moment they come due.

The SOP panel hands over every reminder it plans, with when it comes due; a timer of the app asks
`due(now)` and announces each one once, as a notice that stays. They are kept in the app's local
state file, so one due while the app was closed is announced at the next start. A reminder that is
ticked, or no longer needed (the approver answered), is dropped the next time its ticket is planned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from queue_tui.core.step_plan import StepPlan, StepStatus
from queue_tui.ui.state import UiState

KEY = "reminders"


@dataclass(frozen=True, slots=True)
class Reminder:
    ticket: str
    playbook: str
    step: str
    title: str
    due_at: datetime
    announced: bool = False

    @property
    def id(self) -> str:
        return f"{self.ticket}/{self.playbook}/{self.step}"


class Reminders:
    def __init__(self, state: UiState) -> None:
        self.state = state
        self.items: dict[str, Reminder] = {}
        raw = state.get(KEY, {})
        for rid, v in (raw if isinstance(raw, dict) else {}).items():
            try:
                r = Reminder(str(v["ticket"]), str(v["playbook"]), str(v["step"]), str(v["title"]),
                             datetime.fromisoformat(str(v["due_at"])), bool(v.get("announced")))
            except (KeyError, TypeError, ValueError):
                continue  # a hand-edited entry: forgotten, the panel hands it over again
            self.items[rid] = r

    def update(self, ticket: str, playbook: str, plans: Iterable[StepPlan]) -> None:
        """What the panel planned for this ticket: pending reminders kept (or added), others dropped."""
        keep: dict[str, Reminder] = {}
        for p in plans:
            if p.due_at is None or p.status not in (StepStatus.WAITING, StepStatus.MANUAL):
                continue
            r = Reminder(ticket, playbook, p.step.id, p.step.title, p.due_at)
            old = self.items.get(r.id)
            keep[r.id] = r if old is None or old.due_at != r.due_at else old
        mine = {rid for rid, r in self.items.items() if r.ticket == ticket and r.playbook == playbook}
        changed = mine != set(keep) or any(self.items.get(rid) != r for rid, r in keep.items())
        for rid in mine - set(keep):
            del self.items[rid]
        self.items.update(keep)
        if changed:
            self._save()

    def due(self, now: datetime) -> list[Reminder]:
        """The reminders that came due and were not announced yet; each is announced once."""
        out = [r for r in self.items.values() if not r.announced and r.due_at <= now]
        for r in out:
            self.items[r.id] = Reminder(r.ticket, r.playbook, r.step, r.title, r.due_at, True)
        if out:
            self._save()
        return sorted(out, key=lambda r: r.due_at)

    def _save(self) -> None:
        try:
            self.state.set(KEY, {rid: {"ticket": r.ticket, "playbook": r.playbook, "step": r.step, "title": r.title,
                                       "due_at": r.due_at.isoformat(), "announced": r.announced}
                                 for rid, r in self.items.items()})
        except OSError:
            pass  # kept in memory: announced in this run all the same
