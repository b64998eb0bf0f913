"""A tiny HTTP server of the tests' own on 127.0.0.1: each test says how it answers (redirect, hang,
429 with a date, pages without isLast, an HTML 401...) and lets the rest through to the simulator."""

from __future__ import annotations

import http.client
import json
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: Any, **headers: str) -> Reply:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json", **headers})


HANG = object()  # answer nothing until the server stops
Route = Callable[[Seen], "Reply | object | None"]  # None: pass through to the upstream


class TinyServer:
    def __init__(self, route: Route, upstream: str | None = None, tls: ssl.SSLContext | None = None) -> None:
        self.route = route
        self.upstream = urlsplit(upstream) if upstream else None
        self.seen: list[Seen] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                req = Seen(self.command, self.path, dict(self.headers.items()), self.rfile.read(size) if size else b"")
                server.seen.append(req)
                reply = server.route(req)
                if reply is HANG:
                    server.stopping.wait(30)
                    self.close_connection = True
                    return
                if reply is None:
                    reply = server.forward(req)
                assert isinstance(reply, Reply)
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            # The handshake happens in the request's own thread, not in accept(): a client that
            # gives up on the certificate can then never hold up the serving loop or its shutdown.
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True, do_handshake_on_connect=False)
        self.port = self.httpd.server_address[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def forward(self, req: Seen, path: str | None = None) -> Reply:
        assert self.upstream is not None and self.upstream.hostname and self.upstream.port
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=10)
        headers = {k: v for k, v in req.headers.items() if k.lower() not in ("host", "connection")}
        conn.request(req.method, path or req.path, body=req.body or None, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        keep = {k: v for k, v in resp.getheaders() if k.lower() not in ("content-length", "connection",
                                                                        "transfer-encoding", "date", "server")}
        return Reply(resp.status, body, keep)

    def calls(self, method: str, path_start: str) -> int:
        return sum(1 for s in self.seen if s.method == method and s.path.startswith(path_start))

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
