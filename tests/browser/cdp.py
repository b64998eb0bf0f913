"""Headless Chromium driven over the DevTools protocol: a small client on aiohttp's websocket.

Only what the browser tests need: open a page, run JavaScript, type a key, and watch the frames
the page's own websockets receive. Chromium comes from the system (`make browser` installs it).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-port=0", "--window-size=1280,800"]


def chromium() -> str | None:
    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser")) if p), None)


class Page:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0
        self.waiting: dict[int, asyncio.Future[Any]] = {}
        self.frames: list[bytes] = []  # what the page's own websockets received
        self.sockets: list[str] = []  # the websocket addresses the page opened
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            if "id" in data:
                fut = self.waiting.pop(data["id"], None)
                if fut is not None and not fut.done():
                    fut.set_result(data)
            elif data.get("method") == "Network.webSocketFrameReceived":
                resp = data["params"]["response"]
                raw = resp.get("payloadData", "")
                self.frames.append(base64.b64decode(raw) if resp.get("opcode") == 2 else raw.encode())
            elif data.get("method") == "Network.webSocketCreated":
                self.sockets.append(data["params"]["url"])

    async def send(self, method: str, **params: Any) -> Any:
        self.next_id += 1
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting[self.next_id] = fut
        await self.ws.send_str(json.dumps({"id": self.next_id, "method": method, "params": params}))
        answer = await asyncio.wait_for(fut, 30)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result")

    async def evaluate(self, js: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=js, awaitPromise=True, returnByValue=True)
        return result.get("result", {}).get("value")

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)

    def screen_text(self) -> str:
        return b"".join(self.frames).decode("utf-8", "replace")

    async def wait_for_text(self, needle: str, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if needle in self.screen_text():
                return True
            await asyncio.sleep(0.2)
        return needle in self.screen_text()

    async def type(self, text: str) -> None:
        for ch in text:
            await self.send("Input.dispatchKeyEvent", type="keyDown", key=ch, text=ch, unmodifiedText=ch)
            await self.send("Input.dispatchKeyEvent", type="keyUp", key=ch)


@contextlib.asynccontextmanager
async def browser() -> AsyncIterator[Page]:
    """A fresh headless Chromium (its own profile folder) with one page, closed afterwards."""
    exe = chromium()
    assert exe is not None, "Chromium is not installed: run `make browser` (Debian: apt-get install chromium)"
    profile = Path(tempfile.mkdtemp(prefix="queue-tui-chromium-"))
    proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        end = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert proc.poll() is None and time.monotonic() < end, "Chromium did not start"
            await asyncio.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as r:
                targets = await r.json()
            target = next(t for t in targets if t.get("type") == "page")
            async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                page = Page(ws)
                await page.send("Network.enable")
                await page.send("Page.enable")
                try:
                    yield page
                finally:
                    page.reader.cancel()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
