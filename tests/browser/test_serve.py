"""`queue-tui serve` behind its locked door, tried over plain HTTP and in a real headless Chromium:
the printed address shows the queue and takes keys; without the secret, or from another origin
or host, nothing is served and no app starts; the secret never reaches the log."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.browser.cdp import browser
from tests.corpus.tiny_server import Reply, TinyServer

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Served:
    proc: subprocess.Popen[str]
    port: int
    url: str
    err_path: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def secret(self) -> str:
        return self.url.split("key=", 1)[1]

    def apps(self) -> int:
        return len(self.app_pids())

    def app_pids(self) -> set[int]:
        """App processes the server started (its descendants running queue_tui)."""
        parents: dict[int, int] = {}
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    stat = (d / "stat").read_text()
                    parents[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
        found: set[int] = set()
        for pid in parents:
            p = pid
            while p in parents and p != self.proc.pid and p > 1:
                p = parents[p]
            if p == self.proc.pid and pid != self.proc.pid:
                try:
                    if b"\x00-m\x00queue_tui" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        found.add(pid)
                except OSError:
                    continue
        return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    port = _free_port()
    env = {**os.environ, "QUEUE_TUI_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
    err_path = tmp_path / "serve.err"
    with open(err_path, "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "queue_tui", "--demo", "serve", "--port", str(port)],
                                stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/\?key=\S+", line)
        assert found, f"serve printed no address: {line!r} {err_path.read_text()}"
        yield Served(proc, port, found.group(0), err_path)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def test_nothing_is_served_without_the_secret(served: Served) -> None:
    with httpx.Client(base_url=served.origin) as http:
        for path in ("/", "/static/js/textual.js", "/?key=not-the-secret", "/download/x"):
            resp = http.get(path)
            assert resp.status_code == 403 and "open the address `queue-tui serve` printed" in resp.text, path
        ws = http.get("/ws", headers={**UPGRADE, "Origin": served.origin})
        assert ws.status_code == 403
    assert served.apps() == 0


def test_the_secret_becomes_a_private_cookie_and_leaves_the_address(served: Served) -> None:
    with httpx.Client(base_url=served.origin) as http:
        first = http.get(f"/?key={served.secret}&fontsize=18")
        assert first.status_code == 303 and first.headers["Location"] == "/?fontsize=18"
        cookie = first.headers["Set-Cookie"]
        assert f"queue_tui_{served.port}={served.secret}" in cookie and "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie
        page = http.get("/", headers={"Cookie": f"queue_tui_{served.port}={served.secret}"})
        assert page.status_code == 200 and "textual.js" in page.text


def test_another_origin_or_host_is_refused_even_with_the_cookie(served: Served) -> None:
    cookie = {"Cookie": f"queue_tui_{served.port}={served.secret}"}
    with httpx.Client(base_url=served.origin) as http:
        assert http.get("/", headers={**cookie, "Host": "evil.example.com"}).status_code == 403
        assert http.get("/", headers={**cookie, "Sec-Fetch-Site": "cross-site"}).status_code == 403
        for origin in ("http://evil.example.com", f"http://localhost:{served.port}", "http://127.0.0.1:1"):
            ws = http.get("/ws", headers={**UPGRADE, **cookie, "Origin": origin})
            assert ws.status_code == 403, origin  # not 101 Switching Protocols
        assert http.get("/ws", headers={**UPGRADE, **cookie}).status_code == 403  # a socket without an Origin
    assert served.apps() == 0


async def test_in_a_browser_the_printed_address_shows_the_queue_and_takes_keys(served: Served) -> None:
    async with browser() as page:
        await page.goto(served.url)
        assert await page.wait_for_text("SS-", 60), "the queue never rendered in the browser"
        assert await page.evaluate("location.href") == f"{served.origin}/"  # the secret left the address bar
        assert await page.evaluate("document.cookie") == ""  # HttpOnly: the page's scripts cannot read it
        assert served.apps() == 1
        await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        await page.type("/")
        assert await page.wait_for_text("Filter: words", 20), "the key press never reached the app"
        await page.type("zqxw")  # the filter box echoes what is typed
        assert await page.wait_for_text("zqxw", 20), "the typing never reached the app"
    text = served.err_path.read_text()
    assert served.secret not in text


async def test_in_a_browser_without_the_secret_no_app_starts(served: Served) -> None:
    async with browser() as page:
        await page.goto(served.origin + "/")
        end = time.monotonic() + 20
        body = ""
        while "refused" not in body and time.monotonic() < end:
            body = await page.evaluate("document.body ? document.body.innerText : ''") or ""
        assert "queue-tui refused this request" in body
        assert page.sockets == [] and page.frames == []
    assert served.apps() == 0


async def test_in_a_browser_a_page_of_another_origin_cannot_open_the_socket(served: Served) -> None:
    evil = TinyServer(lambda r: Reply(200, b"<html><body>cat pictures</body></html>", {"Content-Type": "text/html"}))
    try:
        async with browser() as page:
            await page.goto(served.url)  # the agent's own tab: the browser now holds the cookie
            assert await page.wait_for_text("SS-", 60)
            await page.goto("about:blank")  # the agent leaves the tab
            before = served.app_pids()
            for site in (evil.url, evil.url.replace("127.0.0.1", "localhost")):
                await page.goto(site + "/")
                end = time.monotonic() + 20
                while await page.evaluate("document.body ? document.body.innerText : ''") != "cat pictures":
                    assert time.monotonic() < end, "the other site's page never loaded"
                outcome = await page.evaluate(
                    f"new Promise(done => {{ const ws = new WebSocket('ws://127.0.0.1:{served.port}/ws?width=80&height=24');"
                    " ws.onopen = () => done('open'); ws.onerror = () => done('refused'); })")
                assert outcome == "refused", site
                assert served.app_pids() <= before  # no app started for it
    finally:
        evil.stop()
    assert "refused GET /ws: origin not this server's" in served.err_path.read_text()
