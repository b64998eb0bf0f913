"""While a poll waits out Jira's Retry-After, the screen stays the agent's: it filters and draws
what it knows, and the poll goes on by itself when the wait is over."""

from __future__ import annotations

import asyncio

from queue_tui.config import config_from_dict
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.gateway import Connection
from queue_tui.ui.app import QueueApp
from tests.ui.helpers import TEST_CONFIG, queue_screen, wait_until


async def test_the_queue_filters_while_a_poll_waits_out_a_rate_limit(sandbox: Sandbox, clock: ManualClock) -> None:
    waiting, release = asyncio.Event(), asyncio.Event()

    async def sleep(seconds: float) -> None:  # a wait that lasts until the test ends it
        waiting.set()
        await release.wait()
        clock.advance(seconds)

    c = sandbox.credentials
    app = QueueApp(Connection(sandbox.base_url, "cloud", email=c.email, token=c.token, timeout=2.0),
                   config_from_dict(TEST_CONFIG, "test"), clock=clock.now, auto_poll=False, auto_tick=False,
                   gateway_kwargs={"sleep": sleep})
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await queue_screen(app, pilot)
        everything = screen.table.row_count
        sandbox.faults.inject("429", path_glob="/rest/api/2/search/jql*")  # one 429, Retry-After 1 s
        screen.start_poll()
        await wait_until(pilot, waiting.is_set, "the poll to wait out Retry-After")
        await pilot.press("slash", *"helios")
        await pilot.pause()
        assert 0 < screen.table.row_count < everything  # filtered while the poll waits
        sent = sandbox.rest_requests()
        release.set()
        await app.workers.wait_for_complete()
        assert sandbox.rest_requests() > sent and not screen.stale and screen.feed.polls >= 2
        assert sandbox.faults.early_requests == 0
