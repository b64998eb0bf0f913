"""Shared fixtures: a seeded simulator on 127.0.0.1 with a clock the test moves, and a gateway to it."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest

from queue_tui.sandbox import ManualClock, Sandbox, start_sandbox
from queue_tui.service.gateway import Connection, Gateway

# A Wednesday afternoon: every test sees the same queue at the same moment.
T0 = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config, state or keyring."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("QUEUE_TUI_HOME", str(base))
    for var in ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PAT", "QUEUE_TUI_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def local_time_utc() -> Iterator[None]:
    """The app's local times (the panel's due times, the CS form's dates) in UTC, as the tests write
    them; the machine's own zone again afterwards, for the tests that read it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def _connection(sb: Sandbox, timeout: float = 5.0) -> Connection:
    c = sb.credentials
    return Connection(sb.base_url, "cloud" if c.mode == "cloud" else "dc", email=c.email, token=c.token, pat=c.pat,
                      timeout=timeout)


@pytest.fixture(params=["cloud"])
def sandbox(request: pytest.FixtureRequest, clock: ManualClock) -> Iterator[Sandbox]:
    sb = start_sandbox(mode=request.param, clock=clock)
    yield sb
    sb.stop()


@pytest.fixture(params=["cloud", "dc"])
def any_sandbox(request: pytest.FixtureRequest, clock: ManualClock) -> Iterator[Sandbox]:
    sb = start_sandbox(mode=request.param, clock=clock)
    yield sb
    sb.stop()


@pytest.fixture
def site_desk(clock: ManualClock) -> Iterator[Sandbox]:
    """A seeded simulator whose desk names its request types its own way, as a real site may."""
    sb = start_sandbox(clock=clock, request_type_names="site")
    yield sb
    sb.stop()


def make_gateway(sb: Sandbox, clock: ManualClock, timeout: float = 5.0, **kw: object) -> Gateway:
    async def sleep(seconds: float) -> None:
        clock.advance(seconds)

    return Gateway(_connection(sb, timeout), clock=clock.now, sleep=sleep, **kw)  # type: ignore[arg-type]


@pytest.fixture
async def gateway(sandbox: Sandbox, clock: ManualClock) -> AsyncIterator[Gateway]:
    gw = await make_gateway(sandbox, clock).open()
    yield gw
    await gw.close()


@pytest.fixture
async def any_gateway(any_sandbox: Sandbox, clock: ManualClock) -> AsyncIterator[Gateway]:
    gw = await make_gateway(any_sandbox, clock).open()
    yield gw
    await gw.close()
