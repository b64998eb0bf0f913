"""A plain HTTP client to the simulator, signed in as the agent, for tests that check its answers."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from queue_tui.sandbox import Sandbox


def client(sb: Sandbox, signed_in: bool = True) -> httpx.Client:
    c = sb.credentials
    auth: httpx.Auth | None = None
    if signed_in:
        auth = httpx.BasicAuth(c.email, c.token) if c.mode == "cloud" else None
    headers = {"Authorization": f"Bearer {c.pat}"} if signed_in and c.mode != "cloud" else {}
    return httpx.Client(base_url=sb.base_url, auth=auth, headers=headers, timeout=5.0, follow_redirects=False)


@pytest.fixture
def jira(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with client(sandbox) as c:
        yield c
