"""The audit log's entries as an agent reads them: what they did, in their words, at local time.

Every write is in the log file as it was sent. The app's own bookkeeping (a SOP step's progress,
the claim that keeps one send at a time) is told apart here, so the screen can keep it out of the
way of what the agent did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

BOOKKEEPING = ("queue-tui.progress", "queue-tui.claim.")
_LINKED = {"relates": "related", "blocks": "blocking", "cloners": "clone"}


@dataclass(frozen=True)
class AuditLine:
    when: str  # local time: "Thu 06:02", or with the date when older than a week
    at: str  # as logged (ISO, UTC)
    key: str
    what: str  # what the agent did, in words
    ok: bool
    note: str  # why it failed
    bookkeeping: bool


def local_time(at: str, now: datetime) -> str:
    try:
        t = datetime.fromisoformat(at)
    except ValueError:
        return at
    if t.tzinfo is None:
        return at
    local = t.astimezone(now.astimezone().tzinfo)
    return local.strftime("%a %H:%M") if abs(now - t) < timedelta(days=6) else local.strftime("%d %b %Y %H:%M")


def _property(action: str, prop: str) -> str:
    if prop.startswith("queue-tui.claim."):
        return "released the claim on a send" if action.startswith("delete") else "claimed a send (one at a time)"
    if prop.startswith("queue-tui.progress"):
        return "cleared SOP step progress" if action.startswith("delete") else "noted SOP step progress"
    return f"{'deleted' if action.startswith('delete') else 'set'} property {prop}"


def describe(action: str, key: str, detail: str) -> str:
    """One entry's write in words: "linked SS-59 to SS-33 as duplicate", "public reply: …"."""
    if action == "assign":
        who = detail.removeprefix("assignee = ")
        return "unassigned" if who == "unassigned" else f"assigned to {who}"
    if action == "comment":
        seen, _, text = detail.partition(" comment: ")
        return f"{'public reply' if seen == 'public' else 'internal comment'}: {' '.join(text.split())}"
    if action == "link":
        parts = detail.split(" ")
        if len(parts) >= 3:
            kind = " ".join(parts[1:-1]).lower()
            return f"linked {parts[0]} to {parts[-1]} as {_LINKED.get(kind, kind)}"
    if action == "transition":
        return detail.replace("status -> ", "status → ")
    if action == "create issue":
        return f"created a ticket in {key}: {detail}"
    if action in ("set property", "delete property"):
        return _property(action, detail)
    if action == "edit":
        return f"edited {detail}"
    if action == "attach":
        return f"attached {detail}"
    return f"{action} {detail}".strip()


def audit_line(entry: dict[str, Any], now: datetime) -> AuditLine:
    action, key, detail = str(entry.get("action", "")), str(entry.get("key", "")), str(entry.get("detail", ""))
    at = str(entry.get("at", ""))
    bookkeeping = action in ("set property", "delete property") and detail.startswith(BOOKKEEPING)
    return AuditLine(local_time(at, now), at, key, describe(action, key, detail), bool(entry.get("ok")),
                     str(entry.get("note", "") or ""), bookkeeping)
