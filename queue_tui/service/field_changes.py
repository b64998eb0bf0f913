"""Who set each field last, as Jira's changelog tells it (`expand=changelog` on an issue).

The SOP panel names the colleague whose value a step would replace. Jira's changelog lists every
change with its author and time; items name the field by `fieldId` (Cloud) or by its name
(Data Center and older sites). A site that sends no changelog leaves `None`: the app then says it
does not know who set a value, and still asks before replacing it.
"""

from __future__ import annotations

from typing import Any

from queue_tui.core.context import Change
from queue_tui.service import parse
from queue_tui.service.fields import FieldMap

# logical field -> the names Jira's changelog may give it when it sends no fieldId
_NAMES: dict[str, tuple[str, ...]] = {
    "assignee": ("assignee",), "reporter": ("reporter",), "priority": ("priority",),
    "organization": ("organizations", "organization"),
    "request_type": ("request type", "customer request type"),
    "needs_config": ("needs configuration?", "needs configuration", "needs config"),
    "status": ("status",),  # when the ticket moved (everbright-partner-onboarding.txt: "moved to waiting on support")
    "channel": ("channel", "channels"),
}
_IDS = {"assignee": "assignee", "reporter": "reporter", "priority": "priority", "organization": "organizations",
        "request_type": "request_type", "needs_config": "needs_config", "status": "status", "channel": "channel"}


def _logical(item: dict[str, Any], fm: FieldMap) -> str | None:
    fid = str(item.get("fieldId") or "")
    name = str(item.get("field") or "").lower()
    for logical, key in _IDS.items():
        own = fm.get(key) or key
        if fid and fid == own:
            return logical
        if not fid and name in _NAMES[logical]:
            return logical
    return None


def latest_changes(raw_issue: Any, fm: FieldMap) -> dict[str, Change] | None:
    """Field -> its latest change, from an issue read with `expand=changelog`; None when Jira sent none."""
    log = raw_issue.get("changelog") if isinstance(raw_issue, dict) else None
    if not isinstance(log, dict) or not isinstance(log.get("histories"), list):
        return None
    out: dict[str, Change] = {}
    for h in log["histories"]:
        if not isinstance(h, dict):
            continue
        at = parse.parse_time(h.get("created"))
        if at is None:
            continue
        who = parse.person(h.get("author"))
        for item in h.get("items") or []:
            if not isinstance(item, dict):
                continue
            logical = _logical(item, fm)
            if logical is not None and (logical not in out or out[logical].at <= at):
                out[logical] = Change(who, at, parse.text_of(item.get("toString") or ""))
    return out


def value_setters(raw_issue: Any, fm: FieldMap, logical: str) -> dict[str, Change] | None:
    """For a field of several values (the channel): each value -> the change that added it last.
    A value the ticket was created with has no entry (Jira records no history for it); None when
    Jira sent no changelog."""
    log = raw_issue.get("changelog") if isinstance(raw_issue, dict) else None
    if not isinstance(log, dict) or not isinstance(log.get("histories"), list):
        return None
    out: dict[str, Change] = {}
    dated = [(at, h) for h in log["histories"] if isinstance(h, dict) and (at := parse.parse_time(h.get("created")))]
    for at, h in sorted(dated, key=lambda x: x[0]):
        who = parse.person(h.get("author"))
        for item in h.get("items") or []:
            if isinstance(item, dict) and _logical(item, fm) == logical:
                was = _values(item.get("fromString"))
                for v in _values(item.get("toString")):
                    if v not in was:
                        out[v] = Change(who, at, v)
    return out


def _values(text: Any) -> list[str]:
    """A multi-value field's display string in a changelog item: "Email, Phone" (Jira joins them)."""
    return [v.strip() for v in str(text or "").split(",") if v.strip()]
