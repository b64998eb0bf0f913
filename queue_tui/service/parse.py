"""Turn Jira's JSON into core models, tolerating what real servers send: nulls, missing
fields, unknown shapes, v2 strings or v3 documents.

Nothing here raises on a surprising value: a field that cannot be read is left empty, so one
odd ticket never hides the queue.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from queue_tui.core.models import (
    Attachment,
    Comment,
    LinkedIssue,
    Organization,
    Person,
    RequestType,
    SlaClock,
    Ticket,
)
from queue_tui.service.fields import FieldMap

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STEP_PROPERTY = "queue-tui.step"  # on a comment a playbook step posted: {"marker": "<playbook>/<step>@<ticket>"}


def parse_time(value: Any) -> datetime | None:
    if isinstance(value, dict):
        if isinstance(value.get("epochMillis"), int | float):
            return datetime.fromtimestamp(value["epochMillis"] / 1000, UTC)
        value = value.get("iso8601") or value.get("jira")
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        from dateutil import parser as dparser  # odd formats only: keep it off the start-up path

        try:
            dt = dparser.parse(value)
        except (ValueError, OverflowError):
            return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Ticket text made safe for a terminal: control characters (escape sequences) become '�'."""
    return _CONTROL.sub("\ufffd", text)


def text_of(value: Any) -> str:
    """Plain text of a v2 string or a v3 Atlassian Document Format node, control characters removed."""
    return clean(_text_of(value))


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if value.get("type") == "text":
            return str(value.get("text", ""))
        if value.get("type") == "hardBreak":
            return "\n"
        inner = [_text_of(c) for c in value.get("content") or []]
        block = value.get("type") in ("paragraph", "heading", "listItem", "codeBlock", "blockquote")
        return "".join(inner) + ("\n" if block else "")
    if isinstance(value, list):
        return "".join(_text_of(v) for v in value)
    return str(value)


def person(value: Any) -> Person | None:
    if not isinstance(value, dict):
        return None
    ident = value.get("accountId") or value.get("name") or value.get("key")
    if not ident:
        return None
    return Person(str(ident), clean(str(value.get("displayName") or ident)), clean(str(value.get("emailAddress") or "")))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def sla_clock(value: Any, fetched_at: datetime) -> SlaClock | None:
    v = _dict(value)
    if not v:
        return None
    name = str(v.get("name") or "SLA")
    ongoing = _dict(v.get("ongoingCycle"))
    if ongoing:
        remaining = _dict(ongoing.get("remainingTime")).get("millis")
        goal = _dict(ongoing.get("goalDuration")).get("millis")
        breach_at = parse_time(ongoing.get("breachTime"))
        paused = bool(ongoing.get("paused"))
        if not isinstance(remaining, int | float):
            if breach_at is None:
                return None
            remaining = (breach_at - fetched_at).total_seconds() * 1000
        if breach_at is None and not paused:
            breach_at = fetched_at + _ms(remaining)
        return SlaClock(name, int(goal or 0), int(remaining), breach_at, paused,
                        bool(ongoing.get("breached")) or remaining < 0, False, fetched_at)
    completed = _list(v.get("completedCycles"))
    if completed:
        last = _dict(completed[-1])
        remaining = _dict(last.get("remainingTime")).get("millis") or 0
        return SlaClock(name, int(_dict(last.get("goalDuration")).get("millis") or 0), int(remaining),
                        parse_time(last.get("breachTime")), False, bool(last.get("breached")), True, fetched_at)
    return None


def _ms(ms: float) -> Any:
    from datetime import timedelta

    return timedelta(milliseconds=ms)


def linked_issues(value: Any) -> tuple[LinkedIssue, ...]:
    out = []
    for link in _list(value):
        link = _dict(link)
        t = _dict(link.get("type"))
        if "inwardIssue" in link:
            other, relation = _dict(link["inwardIssue"]), str(t.get("inward") or t.get("name") or "")
        elif "outwardIssue" in link:
            other, relation = _dict(link["outwardIssue"]), str(t.get("outward") or t.get("name") or "")
        else:
            continue
        f = _dict(other.get("fields"))
        status = _dict(f.get("status"))
        key = other.get("key")
        if not key:
            continue
        out.append(LinkedIssue(str(key), relation, str(f.get("summary") or ""), str(status.get("name") or ""),
                               str(_dict(status.get("statusCategory")).get("key") or ""),
                               str(_dict(f.get("issuetype")).get("name") or ""),
                               str(_dict(f.get("priority")).get("name") or ""), str(t.get("name") or "")))
    return tuple(out)


def comment(value: Any) -> Comment | None:
    """A comment from the servicedeskapi (has `public`) or platform (has `jsdPublic`) shape; with
    `expand=properties`, its `sd.public.comment` visibility and a playbook step's marker."""
    v = _dict(value)
    if not v.get("id"):
        return None
    props = {str(p.get("key")): p.get("value") for p in _list(v.get("properties")) if isinstance(p, dict)}
    internal = _dict(props.get("sd.public.comment")).get("internal")
    public = v.get("public", v.get("jsdPublic", not internal if isinstance(internal, bool) else True))
    created = parse_time(v.get("created")) or EPOCH
    marker = _dict(props.get(STEP_PROPERTY)).get("marker")
    return Comment(str(v["id"]), person(v.get("author")), text_of(v.get("body")).rstrip("\n"), bool(public), created,
                   marker if isinstance(marker, str) else "")


def attachments(value: Any) -> tuple[Attachment, ...]:
    """A ticket's attachment list (the platform's `attachment` field)."""
    out = []
    for a in _list(value):
        a = _dict(a)
        if not a.get("filename") or a.get("id") is None:
            continue
        size = a.get("size")
        out.append(Attachment(str(a["id"]), clean(str(a["filename"])), int(size) if isinstance(size, int) else 0,
                              str(a.get("mimeType") or ""), str(a.get("content") or "")))
    return tuple(out)


def ticket(raw: Any, fm: FieldMap, fetched_at: datetime) -> Ticket | None:
    r = _dict(raw)
    key = r.get("key")
    if not isinstance(key, str) or not key:
        return None
    f = _dict(r.get("fields"))
    status = _dict(f.get("status"))
    created = parse_time(f.get("created")) or fetched_at
    rt_id = fm.get("request_type")
    rt_val = _dict(f.get(rt_id)) if rt_id else {}
    rt = _dict(rt_val.get("requestType"))
    org_id = fm.get("organizations")
    orgs = []
    for o in _list(f.get(org_id)) if org_id else []:
        o = _dict(o)
        if o.get("name"):
            try:
                orgs.append(Organization(int(o.get("id") or 0), clean(str(o["name"]))))
            except (TypeError, ValueError):
                orgs.append(Organization(0, clean(str(o["name"]))))
    slas = tuple(c for c in (sla_clock(f.get(sid), fetched_at) for sid in fm.sla_ids()) if c is not None)
    chan_id = fm.get("channel")
    channel = tuple(str(_dict(c).get("value")) for c in _list(f.get(chan_id)) if _dict(c).get("value")) if chan_id else ()
    part_id = fm.get("participants")
    participants = tuple(p for p in (person(x) for x in _list(f.get(part_id))) if p) if part_id else ()
    nc_id = fm.get("needs_config")
    needs_config = _dict(f.get(nc_id)).get("value") if nc_id else None
    comments_raw = _dict(f.get("comment")).get("comments")
    comments = tuple(c for c in (comment(x) for x in _list(comments_raw)) if c)
    return Ticket(
        key=clean(key), id=str(r.get("id") or ""), summary=text_of(f.get("summary")) or "(no summary)",
        status=str(status.get("name") or "?"), status_category=str(_dict(status.get("statusCategory")).get("key") or ""),
        priority=str(_dict(f.get("priority")).get("name") or ""), created=created,
        updated=parse_time(f.get("updated")) or created, reporter=person(f.get("reporter")),
        assignee=person(f.get("assignee")), organizations=tuple(orgs),
        request_type=RequestType(str(rt.get("id") or ""), str(rt.get("name")), str(rt.get("description") or ""))
        if rt.get("name") else None,
        labels=tuple(str(x) for x in _list(f.get("labels"))), channel=channel, participants=participants, slas=slas,
        links=linked_issues(f.get("issuelinks")), description=text_of(f.get("description")).rstrip("\n"),
        attachments=attachments(f.get("attachment")),
        components=tuple(str(_dict(c).get("name")) for c in _list(f.get("components")) if _dict(c).get("name")),
        issue_type=str(_dict(f.get("issuetype")).get("name") or ""),
        needs_config=str(needs_config) if needs_config else None,
        resolution=str(_dict(f.get("resolution")).get("name")) if _dict(f.get("resolution")).get("name") else None,
        comments=comments, detail_loaded=comments_raw is not None,
    )
