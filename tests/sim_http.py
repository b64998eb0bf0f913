"""A plain HTTP client to the simulator, signed in as its agent (or not), for tests of its answers."""

from __future__ import annotations

import httpx

from queue_tui.sandbox import Sandbox


def client(sb: Sandbox, signed_in: bool = True, timeout: float = 5.0) -> httpx.Client:
    c = sb.credentials
    auth: httpx.Auth | None = httpx.BasicAuth(c.email, c.token) if signed_in and c.mode == "cloud" else None
    headers = {"Authorization": f"Bearer {c.pat}"} if signed_in and c.mode != "cloud" else {}
    return httpx.Client(base_url=sb.base_url, auth=auth, headers=headers, timeout=timeout, follow_redirects=False)
