"""JSM's shapes for a customer request (`GET /rest/servicedeskapi/request/{key}`) and its parts.

Without `expand` a request carries its core fields only and lists what can be expanded in
`_expands`; each expanded part appears under its own key and leaves `_expands`, as in the
JSM spec's CustomerRequestDTO: `participant` -> participants, `status` -> status (the status
history, oldest first), `sla` -> sla, `requestType` -> requestType, `serviceDesk` ->
serviceDesk, `attachment` -> attachments, `action` -> actions, `comment` -> comments.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from queue_tui.sandbox.render import Renderer, date_dto
from queue_tui.sandbox.state import Attachment, Issue

EXPANDS = ["participant", "status", "sla", "requestType", "serviceDesk", "attachment", "action", "comment"]


def paged(r: Renderer, values: list[Any], path: str) -> dict[str, Any]:
    """One page holding every value (parts of a request are small)."""
    return {"_expands": [], "size": len(values), "start": 0, "limit": max(len(values), 50), "isLastPage": True,
            "values": values, "_links": {"base": f"{r.base}/rest/servicedeskapi", "context": "",
                                         "self": f"{r.base}{path}"}}


def service_desk(r: Renderer) -> dict[str, Any]:
    w = r.w
    p = w.projects[w.service_desk_project]
    return {"id": w.service_desk_id, "projectId": p.id, "projectKey": p.key, "projectName": p.name,
            "_links": {"self": f"{r.base}/rest/servicedeskapi/servicedesk/{w.service_desk_id}"}}


def sd_attachment(r: Renderer, i: Issue, a: Attachment) -> dict[str, Any]:
    out: dict[str, Any] = {
        "filename": a.filename, "size": len(a.content), "mimeType": a.mime_type, "created": date_dto(a.created),
        "_links": {"self": f"{r.base}/rest/servicedeskapi/request/{i.id}/attachment/{a.id}",
                   "jiraRest": f"{r.base}/rest/api/2/attachment/{a.id}", "content": r.content_url(a)}}
    author = r.w.users.get(a.author)
    if author is not None:
        out["author"] = r.sd_user(author)
    return out


def _status(r: Renderer, name: str, since: datetime) -> dict[str, Any]:
    return {"status": name, "statusCategory": r.w.statuses[name].category.upper(), "statusDate": date_dto(since)}


def customer_request(r: Renderer, i: Issue, now: datetime, expand: set[str]) -> dict[str, Any]:
    w = r.w
    base = f"/rest/servicedeskapi/request/{i.id}"
    out: dict[str, Any] = {
        "_expands": [e for e in EXPANDS if e not in expand],
        "issueId": i.id, "issueKey": i.key, "summary": i.summary,
        "requestTypeId": i.request_type or "", "serviceDeskId": w.service_desk_id,
        "createdDate": date_dto(i.created),
        "currentStatus": _status(r, i.status, i.status_history[-1][1]),
        "requestFieldValues": [
            {"fieldId": "summary", "label": "Summary", "value": i.summary},
            {"fieldId": "description", "label": "Description", "value": i.description},
        ],
        "_links": {"jiraRest": f"{r.base}/rest/api/2/issue/{i.id}", "self": f"{r.base}{base}",
                   "web": f"{r.base}/servicedesk/customer/portal/1/{i.key}", "agent": f"{r.base}/browse/{i.key}"},
    }
    reporter = w.users.get(i.reporter or "")
    if reporter:
        out["reporter"] = r.sd_user(reporter)
    if "participant" in expand:
        out["participants"] = paged(r, [r.sd_user(w.users[u]) for u in i.participants if u in w.users],
                                    base + "/participant")
    if "status" in expand:
        out["status"] = paged(r, [_status(r, name, since) for name, since in i.status_history], base + "/status")
    if "sla" in expand:
        out["sla"] = paged(r, [x for x in (r.sla_info(i, "ttfr", now), r.sla_info(i, "ttr", now)) if x], base + "/sla")
    if "requestType" in expand and i.request_type in w.request_types:
        out["requestType"] = r.request_type(i.request_type)
    if "serviceDesk" in expand:
        out["serviceDesk"] = service_desk(r)
    if "attachment" in expand:
        out["attachments"] = paged(r, [sd_attachment(r, i, a) for a in i.attachments], base + "/attachment")
    if "action" in expand:
        edit = w.permissions.get("EDIT_ISSUES", False)
        out["actions"] = {"addAttachment": {"allowed": w.permissions.get("CREATE_ATTACHMENTS", True)},
                          "addComment": {"allowed": w.permissions.get("ADD_COMMENTS", False)},
                          "addParticipant": {"allowed": edit}, "removeParticipant": {"allowed": edit}}
    if "comment" in expand:
        out["comments"] = paged(r, [r.sd_comment(c) for c in i.comments], base + "/comment")
    return out
