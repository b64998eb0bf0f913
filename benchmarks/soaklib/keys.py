"""What the soak's agent presses and reads: keys from the app's command registry, the words of a
task's outcome, and the notices the app showed.

Keys come from the command registry by id, so a remapped default follows. The outcome of a task
is what the agent saw: an error notice saying the outcome is unknown ("check ... before trying
again") is `unknown`, any other error notice is `failed`, a notice of something done is
`confirmed`, and none of those is `nothing` (already done, nothing to apply, declined).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from queue_tui.ui.commands import BY_ID

# Workers that run by themselves, not because of the agent's key: a task is over without them.
BACKGROUND = frozenset({"poll", "closing", "cache", "connect", "picker-search", "playbook-load", "desk", "detail"})
UNKNOWN = re.compile(r"may or may not|outcome is unknown|before trying again|could not be asked", re.I)
DONE_WORDS = re.compile(r"^[A-Z][A-Z0-9]*-\d+: \w|assigned to|reply added|note added|closed \(|request type|"
                        r"created and linked|linked to|applied: |internal note|tick", re.I)
NOTHING_DONE = re.compile(r"applied: nothing\b|nothing to (apply|change)", re.I)
# Errors of reads the screens make by themselves after a task's write (the SOP panel planning the
# ticket again): what the agent sees of them says nothing about the task's own outcome.
AFTERWARDS = re.compile(r"^Could not reload ")
ALERT_TITLES = {"New ticket", "Under 30 min", "SLA breached", "Unassigned", "Changed", "Queue"}
ALERT_GROUPS = re.compile(r"^\d+ (new tickets|tickets under 30 min|SLAs breached|tickets unassigned too long|"
                          r"of your tickets changed)$")


def key_of(command_id: str) -> str:
    return BY_ID[command_id].key.split(",")[0]


def keys_for(text: str) -> list[str]:
    names = {" ": "space", "-": "minus", ".": "full_stop", ":": "colon", ",": "comma", "'": "apostrophe",
             "&": "ampersand", "/": "slash", "?": "question_mark", "(": "left_parenthesis", ")": "right_parenthesis"}
    return [names.get(ch, ch) for ch in text]


@dataclass
class Notice:
    seq: int
    severity: str
    title: str
    message: str

    @property
    def alert(self) -> bool:
        return self.title in ALERT_TITLES or bool(ALERT_GROUPS.match(self.title))


@dataclass
class Result:
    outcome: str = "nothing"
    notices: list[str] = field(default_factory=list)
    confirms: list[tuple[str, bool]] = field(default_factory=list)
    draft: str | None = None
    detail: str = ""
    applies: list[str] = field(default_factory=list)  # playbook: each apply's outcome, in order
    finish_asks: int = 0  # "finish the remaining steps now?" asked during this task

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "notices": self.notices[-12:], "confirms": self.confirms, "draft": self.draft,
                "detail": self.detail, "applies": self.applies}


def outcome_of(said: list[Notice]) -> str:
    """The task's outcome from the notices the agent saw during it."""
    errors = [n.message for n in said if n.severity == "error" and not AFTERWARDS.match(n.message)]
    if any(UNKNOWN.search(m) for m in errors):
        return "unknown"
    if errors:
        return "failed"
    if any(DONE_WORDS.search(n.message) and not NOTHING_DONE.search(n.message)
           for n in said if n.severity == "information"):
        return "confirmed"
    return "nothing"
