"""`queue-tui serve`: the app in a browser tab on this machine, behind a locked door.

textual-serve's own aiohttp app, with one middleware in front of every route (page, socket,
static files, downloads) that refuses:
- a request whose `Host` is not the served address (DNS rebinding), or whose `Origin` (or
  `Sec-Fetch-Site`) shows another site: a web page the agent visits cannot open a socket here;
- a request without the secret made at start. The secret is printed once, in the address to
  open (`/?key=...`), like Jupyter's token; the first visit swaps it for a cookie (HttpOnly,
  SameSite=Strict) and sends the browser on to `/`, so the secret leaves the address bar.
Secrets are compared in constant time and never logged (the access log, which would hold the
first visit's address, is off). Only loopback addresses are served.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import sys
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from aiohttp import web
from textual_serve.server import Server

log = logging.getLogger("queue_tui.serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
REFUSED = ("queue-tui refused this request: open the address `queue-tui serve` printed when it started "
           "(it carries the secret), in a browser on this computer.")


class _Redact(logging.Filter):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if self.secret in msg:
            record.msg, record.args = msg.replace(self.secret, "[secret]"), None
        return True


class LockedServer(Server):
    """textual-serve's server with the door locked; `url` is the one address that opens it."""

    def __init__(self, command: str, host: str = "127.0.0.1", port: int = 8000, secret: str | None = None) -> None:
        super().__init__(command, host=host, port=port, title="queue-tui")
        self.secret = secret or secrets.token_urlsafe(32)
        self.authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.origin = f"http://{self.authority}"
        self.public_url = self.origin  # the page's socket address: the same origin the browser is on
        self.cookie = f"queue_tui_{port}"  # cookies ignore ports: one name per served port
        self.url = f"{self.origin}/?{urlencode({'key': self.secret})}"

    def initialize_logging(self) -> None:
        # Plain lines, never rich tracebacks with local variables; no access log (a first visit's
        # address holds the secret).
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handler.addFilter(_Redact(self.secret))
        logging.basicConfig(level=logging.DEBUG if self.debug else logging.INFO, handlers=[handler], force=True)
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        # aiohttp runs startup before it freezes the app, so the door goes in front of every route here.
        app.middlewares.append(self.guard)
        print(f"queue-tui in your browser: open {self.url}\n(the address holds a secret: do not share it; "
              "Ctrl+C stops)", flush=True)

    def refusal(self, request: web.Request) -> str | None:
        """Why `request` may not come in (None: it may)."""
        if request.headers.get("Host", "").lower() != self.authority.lower():
            return "host"
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() != self.origin.lower():
            return "origin"
        if origin is None and request.path == "/ws":
            return "origin"  # browsers always send one with a socket
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return "site"
        return None

    def _has_secret(self, value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), self.secret.encode())

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        why = self.refusal(request)
        if why is not None:
            log.warning("refused %s %s: %s not this server's", request.method, request.path, why)
            return web.Response(status=403, text=REFUSED)
        if self._has_secret(request.cookies.get(self.cookie)):
            return await handler(request)
        if request.method == "GET" and request.path == "/" and self._has_secret(request.query.get("key")):
            rest = {k: v for k, v in request.query.items() if k != "key"}
            raise web.HTTPSeeOther("/" + (f"?{urlencode(rest)}" if rest else ""), headers={
                "Set-Cookie": f"{self.cookie}={self.secret}; Path=/; HttpOnly; SameSite=Strict",
                "Cache-Control": "no-store"})
        log.warning("refused %s %s: no secret", request.method, request.path)
        return web.Response(status=403, text=REFUSED)
