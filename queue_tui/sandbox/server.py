"""The simulator's HTTP server: Jira Cloud / Data Center REST on loopback.

`Sandbox` runs a threaded stdlib HTTP server in-process (tests, `--demo`) or in the foreground
(`queue-tui sandbox`). Each request is journalled (`journal.py`), may meet an injected fault
(`faults.py`), is authenticated (`auth.py`, except routes Jira serves anonymously), then
routed to its API family (`routing.py`). `/__sim__/...` is the simulator's own control
surface (`control.py`).
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from queue_tui.sandbox import automation
from queue_tui.sandbox.api_attachments import AttachmentRoutes
from queue_tui.sandbox.api_issue_parts import IssuePartRoutes
from queue_tui.sandbox.api_issues import IssueRoutes
from queue_tui.sandbox.api_meta import MetaRoutes
from queue_tui.sandbox.api_properties import PropertyRoutes
from queue_tui.sandbox.api_search import SearchRoutes
from queue_tui.sandbox.api_servicedesk import ServiceDeskRoutes
from queue_tui.sandbox.auth import UNAUTHORIZED_HTML, Credentials
from queue_tui.sandbox.control import control
from queue_tui.sandbox.errors import ApiError
from queue_tui.sandbox.faults import LIMITED, MESSAGES, Faults
from queue_tui.sandbox.journal import Entry, Journal
from queue_tui.sandbox.render import Renderer
from queue_tui.sandbox.routing import Raw, Request, Router
from queue_tui.sandbox.state import World

__all__ = ["Credentials", "Sandbox"]

EXPERIMENTAL_412 = ("This API is experimental. Experimental APIs are not guaranteed to be stable within the preview "
                    "period. You must set the header 'X-ExperimentalApi: opt-in' to opt into using this API.")
UNAUTHENTICATED = "You are not authenticated. Authentication required to perform this operation."


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-answer is normal (an app quitting, a timed-out request): not an error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError | OSError):
            return
        super().handle_error(request, client_address)


class Sandbox:
    """A running simulator: `start()` binds 127.0.0.1 (port 0 picks a free one)."""

    def __init__(self, world: World, credentials: Credentials | None = None, port: int = 0,
                 faults: Faults | None = None) -> None:
        self.world = world
        self.credentials = credentials or Credentials(world.mode)
        self.faults = faults or Faults()
        self.journal = Journal()
        self.record = False  # when on, `exchanges` keeps each request with its JSON answer (contract tests)
        self.exchanges: list[dict[str, Any]] = []
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.router: Router | None = None
        self.team_actions: dict[str, Callable[[dict[str, Any]], Any]] = {}
        # Canned answers by (method, path): a proxy's HTML error page, a broken body, odd JSON.
        self.canned: dict[tuple[str, str], tuple[int, str, bytes]] = {}

    @property
    def base_url(self) -> str:
        assert self._server is not None, "sandbox not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Sandbox:
        self._server = _QuietServer(("127.0.0.1", self._port), _make_handler(self))
        renderer = Renderer(self.world, self.base_url)
        families = [cls(self.world, renderer, self.faults) for cls in (
            MetaRoutes, SearchRoutes, IssueRoutes, IssuePartRoutes, PropertyRoutes, AttachmentRoutes, ServiceDeskRoutes)]
        self.router = Router(families)
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.faults.release_hangs()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_agent(self, account_id: str, token: str) -> tuple[str, str]:
        """Let a staff member of the world sign in as themselves (a second agent's app):
        returns (email, token) on Cloud, (username, PAT) on Data Center."""
        user = self.world.users[account_id]
        self.credentials.add(account_id, user.email, token)
        return (user.email if self.world.mode == "cloud" else user.name), token

    # -- what came in ----------------------------------------------------------------------
    def requests(self, method: str | None = None, path_glob: str | None = None, **filters: Any) -> list[Entry]:
        """Journal entries matching the filters (see `Journal.requests`)."""
        return self.journal.requests(method, path_glob, **filters)

    @property
    def request_log(self) -> list[tuple[str, str]]:
        """(method, path) of every /rest request, in order."""
        return [(e.method, e.path) for e in self.journal if e.path.startswith("/rest/")]

    def rest_requests(self) -> int:
        return sum(1 for e in self.journal if e.path.startswith("/rest/"))

    @property
    def route_counts(self) -> Counter[str]:
        """Answered 2xx requests by "METHOD path-template"."""
        return Counter(e.route for e in self.journal if e.applied and e.route)


def _make_handler(sb: Sandbox) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "SandboxJira/1.0"
        # Headers and body go out in two writes: without TCP_NODELAY the body waits for the
        # client's delayed ACK (40 ms on Linux), which no real Jira makes a client wait.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            ctype = "application/json;charset=UTF-8"
            if isinstance(body, Raw):
                ctype, data, headers = body.content_type, body.data, {**body.headers, **(headers or {})}
            else:
                data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            if data or status != 204:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, val in (headers or {}).items():
                self.send_header(k, val)
            self.end_headers()
            if data and self.command != "HEAD":
                self.wfile.write(data)

        def _handle(self) -> None:
            url = urlsplit(self.path)
            path = url.path
            multi = parse_qs(url.query, keep_blank_values=True)
            q = {k: v[-1] for k, v in multi.items()}
            if len(multi.get("fields", [])) > 1:
                q["fields"] = ",".join(multi["fields"])
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if path.startswith("/__sim__/"):
                try:
                    self._send(200, control(sb, path, q, json.loads(raw) if raw else {}))
                except (ValueError, TypeError, KeyError) as exc:
                    self._send(400, {"error": str(exc)})
                return
            world = sb.world
            now = world.clock.now()
            ctype = self.headers.get("Content-Type") or ""
            body: Any = None
            parsed, bad_json = None, False
            if raw and "multipart/" in ctype:
                body = f"<{len(raw)} bytes multipart>"
            elif raw:
                try:
                    body = parsed = json.loads(raw)
                except ValueError:
                    body, bad_json = raw.decode("utf-8", "replace"), True
            entry = sb.journal.arrive(now, self.command, path, multi, body)
            with world.lock:
                automation.run_due(world)
            sb.faults.arrival(now)
            fault = (sb.faults.aimed(self.command, path) or sb.faults.pick(now)) if path.startswith("/rest/") else None
            entry.fault = fault
            if fault in LIMITED:
                status, headers, entry.retry_at = sb.faults.answer(fault, now)
                entry.status = status
                entry.answered_at = world.clock.now()
                self._send(status, ApiError(status, [MESSAGES[fault]]).body_for(path), headers)
                return
            if fault == "redirect":
                entry.status = 307
                target = sb.faults.redirect_to + self.path
                self._send(307, Raw("text/html;charset=UTF-8", b""), {"Location": target})
                return
            if fault == "html401":
                entry.status = 401
                self._send(401, Raw("text/html;charset=UTF-8", UNAUTHORIZED_HTML), {"WWW-Authenticate": "Basic"})
                return
            canned = sb.canned.get((self.command, path))
            if canned is not None:
                code, ctype, data = canned
                entry.status = code
                self._send(code, Raw(ctype, data))
                return
            req = Request(self.command, path, "2", q, multi, parsed, raw, self.headers)
            status, out, headers = self._dispatch(req, entry, bad_json)
            if fault == "slow":
                sb.faults.wait_slow()
            if fault == "hang":
                sb.faults.hang()
            if fault in ("drop", "hang"):
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass
                return
            if fault == "malformed":
                entry.status = 200
                self._send(200, Raw("application/json;charset=UTF-8", b'{"issues": [{"id": "1", "key": '))
                return
            entry.status = status
            self._send(status, out, headers)

        def _dispatch(self, req: Request, entry: Entry, bad_json: bool) -> tuple[int, Any, dict[str, str]]:
            router = sb.router
            assert router is not None
            path = req.path
            try:
                wrong_method: ApiError | None = None
                try:
                    hit = router.match(req.method, path)
                except ApiError as err:
                    hit, wrong_method = None, err
                account = sb.credentials.account(self.headers.get("Authorization"))
                if not (hit and hit[0].anonymous) and account is None:
                    if sb.credentials.html_401:
                        return 401, Raw("text/html;charset=UTF-8", UNAUTHORIZED_HTML), {"WWW-Authenticate": "Basic"}
                    raise ApiError(401, [UNAUTHENTICATED])
                if wrong_method is not None:
                    raise wrong_method
                entry.account = None if account is None else (account or sb.world.me)
                if hit is None:
                    raise ApiError(404, ["null for uri: " + path])
                rt, params = hit
                entry.route = f"{req.method} {_template(path)}"
                if rt.experimental and self.headers.get("X-ExperimentalApi", "").lower() != "opt-in":
                    raise ApiError(412, [EXPERIMENTAL_412], i18n_key="sd.api.experimental.required")
                if bad_json:
                    raise ApiError(400, ["Unexpected character in the request body: not valid JSON."])
                req.version = params.pop("v", "2") or "2"
                with sb.world.lock:
                    agent = sb.world.me
                    sb.world.me = account or agent  # the handler acts as whoever signed in
                    try:
                        status, out = rt.handler(req, **params)
                    finally:
                        sb.world.me = agent
                entry.applied = 200 <= status < 300
                if sb.record and not isinstance(out, Raw):
                    self._exchange(req, status, out)
                return status, out, {}
            except ApiError as err:
                body = err.body_for(path)
                if sb.record:
                    self._exchange(req, err.status, body)
                return err.status, body, err.headers

        def _exchange(self, req: Request, status: int, out: Any) -> None:
            with sb.world.lock:
                sb.exchanges.append({"method": req.method, "path": req.path, "query": req.query, "body": req.body,
                                     "status": status, "response": out})

        do_GET = _handle
        do_POST = _handle
        do_PUT = _handle
        do_DELETE = _handle

    return H


_TEMPLATES = [
    (re.compile(r"/issue/[A-Z][A-Z0-9]*-\d+|/issue/\d+"), "/issue/{key}"),
    (re.compile(r"/request/[A-Z][A-Z0-9]*-\d+|/request/\d+"), "/request/{key}"),
    (re.compile(r"/comment/\d+"), "/comment/{id}"),
    (re.compile(r"/attachment/(content/)?\d+"), r"/attachment/\1{id}"),
    (re.compile(r"/properties/[^/]+$"), "/properties/{prop}"),
    (re.compile(r"/queue/\d+"), "/queue/{id}"),
    (re.compile(r"/project/[^/]+"), "/project/{key}"),
]


def _template(path: str) -> str:
    for rx, rep in _TEMPLATES:
        path = rx.sub(rep, path)
    return path
