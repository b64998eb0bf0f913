"""Attachments: upload to an issue, read one's metadata, download its content.

- `POST /rest/api/{2,3}/issue/{key}/attachments`: multipart/form-data, one or more parts named
  `file`; Jira demands `X-Atlassian-Token: no-check` (403 without it, its XSRF guard) and
  answers 200 with the list of attachments made. Each POST adds files (never de-duplicated).
- `GET /rest/api/{2,3}/attachment/{id}`: metadata; `DELETE` removes it.
- `GET /rest/api/{2,3}/attachment/content/{id}` (the `content` URL on Cloud): by default a 303
  to a media URL on the same host (Jira Cloud sends the bytes from its media service), which
  answers without credentials while its token is right; `redirect=false` sends the bytes.
- `GET /secure/attachment/{id}/{filename}`: the `content` URL on Data Center, with credentials.
"""

from __future__ import annotations

import hashlib
import hmac
from email import policy
from email.parser import BytesParser
from typing import Any
from urllib.parse import quote

from queue_tui.sandbox.errors import ApiError, not_found
from queue_tui.sandbox.files import make_attachment, mime_type
from queue_tui.sandbox.routing import PLATFORM, Family, Raw, Request, Route, route
from queue_tui.sandbox.state import Attachment, Issue

MAX_BYTES = 10 * 1024 * 1024
_MEDIA_SECRET = b"queue-tui-sandbox-media"


def media_token(aid: str) -> str:
    return hmac.new(_MEDIA_SECRET, aid.encode(), hashlib.sha256).hexdigest()[:32]


def parse_files(content_type: str, raw: bytes) -> list[tuple[str, str, bytes]]:
    """(filename, content type, bytes) of each `file` part of a multipart/form-data body."""
    msg = BytesParser(policy=policy.HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    if not msg.is_multipart():
        return []
    out = []
    for part in msg.iter_parts():
        if part.get_param("name", header="content-disposition") != "file":
            continue
        name = part.get_filename() or "attachment"
        data = part.get_payload(decode=True)
        out.append((name, part.get_content_type(), data if isinstance(data, bytes) else b""))
    return out


class AttachmentRoutes(Family):
    def routes(self) -> list[Route]:
        v = PLATFORM
        return [
            route("POST", v + r"/issue/(?P<key>[^/]+)/attachments", self.upload),
            route("GET", v + r"/attachment/(?P<aid>\d+)", self.metadata),
            route("DELETE", v + r"/attachment/(?P<aid>\d+)", self.delete),
            route("GET", v + r"/attachment/content/(?P<aid>\d+)", self.content),
            route("GET", r"/secure/attachment/(?P<aid>\d+)/(?P<filename>[^/]+)", self.dc_content),
            route("GET", r"/media/file/(?P<aid>\d+)/binary", self.media, anonymous=True),
        ]

    def _find(self, aid: str) -> tuple[Issue, Attachment]:
        hit = self.w.attachment(aid)
        if hit is None:
            raise not_found(f"The attachment with id '{aid}' does not exist.")
        return hit

    @staticmethod
    def _bytes(a: Attachment) -> Raw:
        return Raw(a.mime_type, a.content, {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(a.filename)}"})

    def upload(self, req: Request, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        if req.header("X-Atlassian-Token").lower() != "no-check":
            raise ApiError(403, ["XSRF check failed"])
        self.need("CREATE_ATTACHMENTS")
        ctype = req.header("Content-Type")
        if "multipart/form-data" not in ctype:
            raise ApiError(415, ["Unsupported Media Type: attachments are sent as multipart/form-data."])
        files = parse_files(ctype, req.raw)
        if not files:
            raise ApiError(400, ["No file was sent: the form part must be named 'file'."])
        if any(len(data) > MAX_BYTES for _n, _t, data in files):
            raise ApiError(413, [f"The file is larger than the attachment size limit ({MAX_BYTES} bytes)."])
        now = self.now
        made = []
        for name, ctype_part, data in files:
            mime = ctype_part if ctype_part != "application/octet-stream" else mime_type(name)
            a = make_attachment(self.w, name, self.w.me, now, content=data, mime=mime)
            i.attachments.append(a)
            made.append(a)
        i.updated = now
        self.w.write_log.append(("POST", "attachment", i.key))
        return 200, [self.r.attachment(a, req.version) for a in made]

    def metadata(self, req: Request, aid: str) -> tuple[int, Any]:
        out = self.r.attachment(self._find(aid)[1], req.version)
        out["id"] = int(out["id"])  # AttachmentMetadata's id is a number, unlike an issue's attachment list
        return 200, out

    def delete(self, req: Request, aid: str) -> tuple[int, Any]:
        issue, a = self._find(aid)
        self.need("DELETE_OWN_ATTACHMENTS" if a.author == self.w.me else "DELETE_ALL_ATTACHMENTS")
        issue.attachments.remove(a)
        self.w.write_log.append(("DELETE", "attachment", issue.key))
        return 204, None

    def content(self, req: Request, aid: str) -> tuple[int, Any]:
        _issue, a = self._find(aid)
        if req.query.get("redirect", "true").lower() == "false":
            return 200, self._bytes(a)
        location = f"{self.r.base}/media/file/{a.id}/binary?token={media_token(a.id)}&name={quote(a.filename)}"
        return 303, Raw("text/plain", b"", {"Location": location})

    def dc_content(self, req: Request, aid: str, filename: str) -> tuple[int, Any]:
        _issue, a = self._find(aid)
        return 200, self._bytes(a)

    def media(self, req: Request, aid: str) -> tuple[int, Any]:
        if not hmac.compare_digest(req.query.get("token", ""), media_token(aid)):
            raise ApiError(401, ["The media token is missing, wrong or expired."])
        return 200, self._bytes(self._find(aid)[1])
