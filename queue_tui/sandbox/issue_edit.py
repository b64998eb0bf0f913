"""Field values as Jira validates and applies them on create and edit (`fields` and `update`).

Each field takes the forms Jira takes (a priority by name or id, a user by account id or
username, options by value or id, dates in Jira's formats). Errors are collected per field
and answered as one 400 `{"errors": {field: message}}`, as Jira does; the caller validates
on a copy first so that an edit is applied whole or not at all.
"""

from __future__ import annotations

import re
from typing import Any

from queue_tui.sandbox.errors import ApiError, plain_text
from queue_tui.sandbox.render import CHANNEL_OPTIONS, NEEDS_CONFIG_OPTIONS, parse_user_ref
from queue_tui.sandbox.state import (
    CF_CHANNEL,
    CF_CONFIG_DATE,
    CF_EPIC_LINK,
    CF_NEEDS_CONFIG,
    CF_ORGANIZATIONS,
    CF_PARTICIPANTS,
    CF_QA_ASSIGNEE,
    CF_QA_DATE,
    CF_REQUEST_TYPE,
    Issue,
    World,
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?([+-]\d{4}|Z)")
_USER_FIELDS = {"assignee": "assignee", "reporter": "reporter", CF_QA_ASSIGNEE: "qa_assignee"}


def apply_update(w: World, i: Issue, update: dict[str, Any]) -> None:
    """The `update` verbs (add / remove / set) of an edit or a transition; `comment: [{"add": ...}]`
    adds a comment as the signed-in agent, as Jira does."""
    errors: dict[str, str] = {}
    for fid, ops in update.items():
        if not isinstance(ops, list):
            errors[fid] = "Operation value must be a list."
            continue
        for op in ops:
            if not isinstance(op, dict) or len(op) != 1:
                errors[fid] = "Each operation must be an object with one verb."
                continue
            verb, val = next(iter(op.items()))
            if fid == "labels":
                if verb == "add" and val not in i.labels:
                    i.labels.append(str(val))
                elif verb == "remove" and val in i.labels:
                    i.labels.remove(val)
                elif verb == "set":
                    i.labels = [str(x) for x in val]
            elif fid == "components":
                name = val.get("name") if isinstance(val, dict) else None
                if verb == "add" and name and name not in i.components:
                    i.components.append(name)
                elif verb == "remove" and name in i.components:
                    i.components.remove(name)
            elif fid == CF_PARTICIPANTS:
                uid = parse_user_ref(w, val)
                if uid == "__unknown__" or uid is None:
                    errors[fid] = "User does not exist."
                elif verb == "add" and uid not in i.participants:
                    i.participants.append(uid)
                elif verb == "remove" and uid in i.participants:
                    i.participants.remove(uid)
            elif fid == CF_CHANNEL and verb in ("add", "remove"):
                name = _option(val)
                if name is None:
                    errors[fid] = f"Option value '{val}' is not valid"
                elif verb == "add" and name not in i.channel:
                    i.channel.append(name)
                elif verb == "remove" and name in i.channel:
                    i.channel.remove(name)
            elif fid == "comment" and verb == "add":
                text = plain_text(val.get("body")) if isinstance(val, dict) else ""
                if not text.strip():
                    errors[fid] = "Comment body can not be empty!"
                else:
                    internal = any(isinstance(p, dict) and p.get("key") == "sd.public.comment"
                                   and isinstance(p.get("value"), dict) and p["value"].get("internal")
                                   for p in (val.get("properties") or []))
                    w.add_comment(i, w.me, text, not internal, w.clock.now())
            elif verb == "set":
                apply_fields(w, i, {fid: val})
            else:
                errors[fid] = f"Field '{fid}' cannot be changed with the operation '{verb}'."
    if errors:
        raise ApiError(400, [], errors)


def _option(opt: Any) -> str | None:
    """A channel option given by value or by id, as Jira takes it; None when the site has no such option."""
    if not isinstance(opt, dict):
        return None
    name = opt.get("value") or next((n for n, oid in CHANNEL_OPTIONS.items() if oid == str(opt.get("id"))), None)
    return str(name) if name in CHANNEL_OPTIONS else None


def apply_fields(w: World, i: Issue, f: dict[str, Any]) -> None:
    """The `fields` of a create or an edit."""
    errors: dict[str, str] = {}
    for fid, val in f.items():
        try:
            _apply_one(w, i, fid, val)
        except ValueError as exc:
            errors[fid] = str(exc)
    if errors:
        raise ApiError(400, [], errors)


def _apply_one(w: World, i: Issue, fid: str, val: Any) -> None:
    if fid == "summary":
        if not str(val or "").strip():
            raise ValueError("You must specify a summary of the issue.")
        i.summary = str(val)
    elif fid == "description":
        i.description = plain_text(val)
    elif fid == "labels":
        if not isinstance(val, list) or any(not isinstance(x, str) or " " in x for x in val):
            raise ValueError("Labels must be a list of strings without spaces.")
        i.labels = list(val)
    elif fid == "priority":
        name = val.get("name") if isinstance(val, dict) else None
        pid = val.get("id") if isinstance(val, dict) else None
        name = name or next((n for n, p in w.priorities.items() if p == str(pid)), None)
        if name not in w.priorities:
            raise ValueError("Specify the Priority (name or id) in the right format")
        i.priority = name
    elif fid in _USER_FIELDS:
        uid = parse_user_ref(w, val)
        if uid == "__unknown__":
            raise ValueError(f"User '{val}' does not exist.")
        if fid == "reporter" and uid is None:
            raise ValueError("Reporter is required.")
        setattr(i, _USER_FIELDS[fid], uid)
    elif fid == "components":
        comps = w.projects[i.project].components
        names = []
        for c in val or []:
            name = c.get("name") if isinstance(c, dict) else None
            if name is None and isinstance(c, dict):
                name = next((n for n, cid in comps.items() if str(cid) == str(c.get("id"))), None)
            if name not in comps:
                raise ValueError(f"Component name '{c.get('name') if isinstance(c, dict) else c}' is not valid")
            names.append(name)
        i.components = names
    elif fid in ("duedate", CF_CONFIG_DATE):
        if val is not None and not _DATE.fullmatch(str(val)):
            raise ValueError("Invalid date format. Please enter the date in the format \"yyyy-MM-dd\".")
        if fid == "duedate":
            i.duedate = val
        else:
            i.config_date = val
    elif fid == CF_QA_DATE:
        if val is not None and not _DATETIME.fullmatch(str(val)):
            raise ValueError("Invalid date format. Please enter the date in the format \"yyyy-MM-dd'T'HH:mm:ss.SSSZ\".")
        i.qa_date = val
    elif fid == CF_REQUEST_TYPE:
        rid = str(val) if val is not None else None
        if rid and "/" in rid:
            slug = rid.split("/", 1)[1]
            rid = next((rt.id for rt in w.request_types.values()
                        if rt.name.lower().replace(" ", "-") == slug.lower()), None)
        if rid not in w.request_types:
            raise ValueError("Invalid request type.")
        i.request_type = rid
    elif fid == CF_ORGANIZATIONS:
        if not isinstance(val, list) or any(not isinstance(x, int) or x not in w.organizations for x in val):
            raise ValueError("Organizations must be a list of existing organization ids.")
        i.organizations = list(val)
    elif fid == CF_PARTICIPANTS:
        uids = [parse_user_ref(w, x) for x in (val or [])]
        if any(u in (None, "__unknown__") for u in uids):
            raise ValueError("User does not exist.")
        i.participants = [u for u in uids if u]
    elif fid == CF_CHANNEL:
        vals = []
        for opt in val or []:
            name = _option(opt)
            if name is None:
                raise ValueError(f"Option value '{opt}' is not valid")
            vals.append(name)
        i.channel = vals
    elif fid == CF_NEEDS_CONFIG:
        name = val.get("value") if isinstance(val, dict) else None
        if val is not None and name not in NEEDS_CONFIG_OPTIONS:
            raise ValueError(f"Option value '{val}' is not valid")
        i.needs_config = name
    elif fid == "issuetype":
        # Jira lets an edit change the issue type within the project when the types share a workflow
        # and screens, as the CS project's task types do here; never into or out of Epic.
        types = w.projects[i.project].issue_types
        name = val.get("name") if isinstance(val, dict) else None
        if name is None and isinstance(val, dict):
            name = next((n for n, tid in types.items() if str(tid) == str(val.get("id"))), None)
        if name not in types or "Epic" in (name, i.issue_type):
            raise ValueError("The issue type selected is invalid.")
        i.issue_type = str(name)
    elif fid in ("parent", CF_EPIC_LINK):
        pkey = val.get("key") if isinstance(val, dict) else val
        if pkey is not None and (str(pkey).upper() not in w.issues or w.issues[str(pkey).upper()].issue_type != "Epic"):
            raise ValueError(f"Could not find epic '{pkey}'.")
        i.parent = str(pkey).upper() if pkey else None
    else:
        raise ValueError(f"Field '{fid}' cannot be set. It is not on the appropriate screen, or unknown.")
