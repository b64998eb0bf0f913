"""What Jira's answers mean: an HTTP response or a `jira` library failure becomes JSON or one typed error.

Both clients share these rules so that an agent reads the same line for the same problem,
whichever client made the call. The status decides before the body does: a 401 is refused
credentials and a 403 a missing permission even when the body is a web page.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    import httpx

from queue_tui.service.errors import (
    AuthError,
    BadRequestError,
    CertificateError,
    ConflictError,
    ForbiddenError,
    GoneError,
    JiraError,
    NotFoundError,
    RedirectError,
    UnavailableError,
)

CREDENTIALS_REFUSED = "Jira refused the credentials (401): check the email/token or PAT"


def _where(location: str, base: str) -> str:
    """Where a redirect points, without its query (it may carry tokens)."""
    parts = urlsplit(urljoin(base, location))
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else (location.split("?")[0] or "nowhere")


def redirect_error(status: int, location: str, base: str) -> RedirectError:
    where = _where(location, base) if location else "no address"
    return RedirectError(f"Jira answered with a redirect (HTTP {status}) to {where}; queue-tui does not follow "
                         "redirects. If the site moved, set jira.url to its new address", status, where)


def _forbidden(status: int, headers: Any, msg: str) -> ForbiddenError:
    denied = headers.get("X-Authentication-Denied-Reason")
    if denied:  # Data Center after too many failed logins: a CAPTCHA must be passed in a browser first
        return ForbiddenError(f"Jira refused the login (403): {denied}; sign in once in a browser", status)
    return ForbiddenError(f"No permission (403): {msg}", status)


def _messages(text: str, data: Any) -> tuple[str, dict[str, str]]:
    messages: list[str] = []
    details: dict[str, str] = {}
    if isinstance(data, dict):
        messages = [str(m) for m in data.get("errorMessages") or []]
        # The service desk API answers with its own shape: errorMessage (and a translated copy).
        if not messages and isinstance(data.get("errorMessage"), str) and data["errorMessage"]:
            messages = [data["errorMessage"]]
        errs = data.get("errors") or {}
        details = {str(k): str(v) for k, v in errs.items()} if isinstance(errs, dict) else {}
    elif text:
        messages = [text[:200]]
    return "; ".join(messages), details


def result_of(resp: httpx.Response) -> Any:
    """The JSON of a 2xx answer (None when empty), or the typed error the status means."""
    status = resp.status_code
    if 200 <= status < 300:
        if not resp.content:
            return None
        try:
            return resp.json()
        except (ValueError, UnicodeDecodeError) as exc:
            raise UnavailableError("Jira sent an answer that is not valid JSON", status) from exc
    if 300 <= status < 400:
        raise redirect_error(status, resp.headers.get("Location", ""), str(resp.request.url))
    page = "html" in resp.headers.get("Content-Type", "").lower() or resp.content[:1] == b"<"
    data: Any = None
    if not page:
        try:
            data = resp.json()
        except (ValueError, UnicodeDecodeError):
            data = None
    msg, details = _messages("" if page else resp.text, data)
    msg = msg or f"HTTP {status}"
    if status == 401:
        raise AuthError(CREDENTIALS_REFUSED, status)
    if status == 403:
        raise _forbidden(status, resp.headers, msg if not page else "Jira did not say why")
    if page:
        raise UnavailableError(f"Jira answered with a web page (HTTP {status}), not the API: a proxy or outage?", status)
    if status == 404:
        raise NotFoundError(msg, status, details)
    if status == 409:
        raise ConflictError(msg, status, details)
    if status == 410:
        raise GoneError(msg, status, details)
    if status >= 500:
        raise UnavailableError(f"Jira error {status}: {msg}", status)
    raise BadRequestError(msg, status, details)


def jira_library_error(exc: Exception) -> JiraError:
    """The typed error for an answer the `jira` library turned into an exception."""
    from jira.exceptions import JIRAError

    if not isinstance(exc, JIRAError):
        return JiraError(f"Jira call failed: {type(exc).__name__}")
    status = exc.status_code or 0
    resp = exc.response
    text = ""
    data: Any = None
    page = False
    if resp is not None:
        page = "html" in str(resp.headers.get("Content-Type", "")).lower() or resp.text[:1] == "<"
        try:
            data = None if page else json.loads(resp.text)
        except ValueError:
            text = resp.text
    msg, details = _messages(text, data)
    msg = msg or (exc.text if not page else "") or f"HTTP {status}"
    if 300 <= status < 400:
        return redirect_error(status, resp.headers.get("Location", "") if resp is not None else "", exc.url or "")
    if status == 401:
        return AuthError(CREDENTIALS_REFUSED, status)
    if status == 403:
        return _forbidden(status, resp.headers if resp is not None else {}, msg if not page else "Jira did not say why")
    if page:
        return UnavailableError(f"Jira answered with a web page (HTTP {status}), not the API: a proxy or outage?", status)
    if status == 404:
        return NotFoundError(msg, status, details)
    if status >= 500 or status == 0:
        return UnavailableError(f"Jira error {status}: {msg}", status)
    return BadRequestError(msg, status, details)


def refuse_redirect(resp: Any, *args: Any, **kwargs: Any) -> Any:
    """A requests response hook: a redirect stops the call here instead of being followed."""
    if 300 <= resp.status_code < 400:
        raise redirect_error(resp.status_code, resp.headers.get("Location", ""), resp.url)
    return resp


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and exceptions wrapped in its args (requests and urllib3 nest them)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [x for x in (e.__cause__, e.__context__, getattr(e, "reason", None)) if isinstance(x, BaseException)]
        todo += [a for a in e.args if isinstance(a, BaseException)]


def tls_problem(exc: BaseException) -> CertificateError | None:
    """The certificate problem behind a failed connection, named; None when TLS was not the problem."""
    for e in _chain(exc):
        if isinstance(e, ssl.SSLCertVerificationError):
            why = e.verify_message or str(e)
            return CertificateError(f"Jira's TLS certificate was not accepted ({why}); nothing was sent. "
                                    "Check jira.url, or have this computer trust the certificate's issuer")
        if isinstance(e, ssl.SSLError):
            why = e.reason or str(e)
            return CertificateError(f"TLS with Jira failed ({why}); nothing was sent. Check that jira.url is the "
                                    "https:// address of the site")
    return None


_NO_HOST = "could not connect (the site's host name was not found: check jira.url, or DNS and the network)"
_REFUSED = "could not connect (nothing answered on that address and port: check jira.url)"


def connect_failure(exc: BaseException) -> str:
    """Why a connection was not made, in the words an agent can act on (the host name, the port, the
    network), from the exception chain of httpx or requests."""
    import socket

    for e in _chain(exc):
        if isinstance(e, socket.gaierror):
            return _NO_HOST
        if isinstance(e, ConnectionRefusedError):
            return _REFUSED
        if isinstance(e, TimeoutError) or "timeout" in type(e).__name__.lower():
            return "could not connect (no answer in time: the network or a firewall)"
    text = " ".join(str(e) for e in _chain(exc)).lower()
    if "name or service not known" in text or "nodename nor servname" in text or "name resolution" in text:
        return _NO_HOST
    if "refused" in text:
        return _REFUSED
    return "could not connect"


def was_sent(exc: BaseException) -> bool | None:
    """For a requests failure: False when the request surely never reached Jira, True when it may
    have; None when the exception is not a transport failure at all."""
    import requests
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    if isinstance(exc, requests.exceptions.ConnectionError):
        return not any(isinstance(e, NewConnectionError | ConnectTimeoutError) for e in _chain(exc))
    if isinstance(exc, requests.exceptions.RequestException | ValueError):
        return True
    return None
