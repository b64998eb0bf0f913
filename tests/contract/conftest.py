"""A plain HTTP client to the simulator, signed in as the agent, for tests that check its answers."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from queue_tui.sandbox import Sandbox
from tests.sim_http import client


@pytest.fixture
def jira(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with client(sandbox) as c:
        yield c
