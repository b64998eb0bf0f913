"""What Jira's answers mean: an HTTP response or a `jira` library failure becomes JSON or one typed error.

Both clients share these rules so that an agent reads the same line for the same problem,
whichever client made the call.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from queue_tui.service.errors import (
    AuthError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    GoneError,
    JiraError,
    NotFoundError,
    UnavailableError,
    UnclearWriteError,
)

CREDENTIALS_REFUSED = "Jira refused the credentials (401): check the email/token or PAT"


def result_of(resp: httpx.Response) -> Any:
    """The JSON of a 2xx answer (None when empty), or the typed error the status means."""
    status = resp.status_code
    ctype = resp.headers.get("Content-Type", "")
    if 200 <= status < 300:
        if not resp.content:
            return None
        try:
            return resp.json()
        except (ValueError, UnicodeDecodeError) as exc:
            raise UnavailableError("Jira sent an answer that is not valid JSON", status) from exc
    if "html" in ctype.lower() or (resp.content[:1] == b"<"):
        raise UnavailableError(f"Jira answered with a web page (HTTP {status}), not the API: a proxy or outage?", status)
    messages: list[str] = []
    details: dict[str, str] = {}
    try:
        data = resp.json()
        if isinstance(data, dict):
            messages = [str(m) for m in data.get("errorMessages") or []]
            errs = data.get("errors") or {}
            details = {str(k): str(v) for k, v in errs.items()} if isinstance(errs, dict) else {}
    except (ValueError, UnicodeDecodeError):
        messages = [resp.text[:200]] if resp.text else []
    msg = "; ".join(messages) or f"HTTP {status}"
    if status == 401:
        raise AuthError(CREDENTIALS_REFUSED, status)
    if status == 403:
        raise ForbiddenError(f"Not permitted: {msg}", status, details)
    if status == 404:
        raise NotFoundError(msg, status, details)
    if status == 409:
        raise ConflictError(msg, status, details)
    if status == 410:
        raise GoneError(msg, status, details)
    if status >= 500:
        raise UnavailableError(f"Jira error {status}: {msg}", status)
    raise BadRequestError(msg, status, details)


def jira_library_error(exc: Exception, write: bool) -> JiraError:
    """The typed error for an exception the `jira` library (or requests under it) raised."""
    import requests
    from jira.exceptions import JIRAError

    if isinstance(exc, JIRAError):
        status = exc.status_code or 0
        text = exc.text or ""
        try:
            data = json.loads(exc.response.text) if exc.response is not None else {}
            msgs = data.get("errorMessages") or []
            errs = data.get("errors") or {}
            text = "; ".join([*map(str, msgs), *(f"{k}: {v}" for k, v in errs.items())]) or text
        except (ValueError, AttributeError):
            pass
        if status == 401:
            return AuthError(CREDENTIALS_REFUSED, 401)
        if status == 403:
            return ForbiddenError(f"Not permitted: {text}", 403)
        if status == 404:
            return NotFoundError(text or "Not found", 404)
        if status in (429, 503) or status >= 500 or status == 0:
            return UnclearWriteError(f"Jira error {status}") if write and status not in (429, 503) else UnavailableError(
                f"Jira is busy or unavailable ({status})", status)
        return BadRequestError(text or f"HTTP {status}", status)
    if isinstance(exc, requests.exceptions.RequestException | ValueError):
        if write:
            return UnclearWriteError("Jira did not answer; the change may or may not have been made")
        return UnavailableError("Jira unreachable")
    return JiraError(str(exc))
