"""The simulator's faults as a client meets them on the wire: rate limits in each of Jira's
forms, a redirect to another host, a hang, an HTML 401, and faults aimed at one request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from tests.sim_http import client

SAM = "557058:sam-okafor"


@pytest.fixture
def jira(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with client(sandbox) as c:
        yield c


def test_a_429_with_an_http_date_says_when_to_come_back_and_counts_who_came_early(
        sandbox: Sandbox, jira: httpx.Client, clock: ManualClock) -> None:
    sandbox.faults.configure(retry_after=120)
    sandbox.faults.inject("429-date")
    r = jira.get("/rest/api/2/myself")
    assert r.status_code == 429 and "X-RateLimit-Reset" not in r.headers
    assert parsedate_to_datetime(r.headers["Retry-After"]) == clock.now() + timedelta(seconds=120)
    told = sandbox.journal.requests(status=429)[-1]  # the journal keeps what the answer said, for the soak's check
    assert told.retry_at == clock.now() + timedelta(seconds=120) and told.answered_at == clock.now()
    jira.get("/rest/api/2/myself")
    assert sandbox.faults.early_requests == 1
    clock.advance(seconds=120)
    assert jira.get("/rest/api/2/myself").status_code == 200 and sandbox.faults.early_requests == 1


def test_a_429_with_only_x_ratelimit_reset_names_a_minute_never_earlier_than_the_wait(
        sandbox: Sandbox, jira: httpx.Client, clock: ManualClock) -> None:
    clock.advance(seconds=30)  # 15:00:30
    sandbox.faults.configure(retry_after=45)
    sandbox.faults.inject("429-reset")
    r = jira.get("/rest/api/2/myself")
    assert r.status_code == 429 and "Retry-After" not in r.headers
    assert r.headers["X-RateLimit-Reset"] == "2026-11-18T15:02Z"
    assert sandbox.journal.requests(status=429)[-1].retry_at == parsedate_to_datetime("Wed, 18 Nov 2026 15:02:00 GMT")
    clock.advance(seconds=60)  # 15:01:30: past Retry-After would have been, before the announced minute
    jira.get("/rest/api/2/myself")
    assert sandbox.faults.early_requests == 1


def test_a_redirect_points_to_another_host_and_does_nothing(sandbox: Sandbox, jira: httpx.Client) -> None:
    sandbox.faults.configure(redirect_to="https://jira-moved.example.com/")
    sandbox.faults.inject("redirect", method="POST")
    r = jira.post("/rest/api/2/issue", json={"fields": {"project": {"key": "CS"}, "issuetype": {"name": "Task"},
                                                        "summary": "Should go nowhere"}})
    assert r.status_code == 307
    assert r.headers["Location"] == "https://jira-moved.example.com/rest/api/2/issue"
    assert not any(i.summary == "Should go nowhere" for i in sandbox.world.issues.values())


def test_a_hang_holds_the_answer_past_the_clients_deadline_after_doing_the_work(sandbox: Sandbox) -> None:
    sandbox.faults.configure(hang_seconds=60)
    sandbox.faults.inject("hang", path_glob="*/watchers")
    with client(sandbox, timeout=0.2) as impatient, pytest.raises(httpx.ReadTimeout):
        impatient.post("/rest/api/2/issue/SS-6/watchers", json=SAM)
    sandbox.faults.release_hangs()
    (entry,) = sandbox.requests("POST", "*/watchers")
    assert entry.fault == "hang" and entry.applied and entry.status is None
    assert SAM in sandbox.world.issues["SS-6"].watchers


def test_a_revoked_token_can_answer_with_an_html_401_page(sandbox: Sandbox, jira: httpx.Client) -> None:
    sandbox.faults.inject("html401")
    r = jira.get("/rest/api/2/myself")
    assert r.status_code == 401 and r.headers["Content-Type"].startswith("text/html") and "<html>" in r.text
    assert jira.get("/rest/api/2/myself").status_code == 200


def test_an_aimed_fault_hits_only_the_matching_requests_and_is_used_up(sandbox: Sandbox, jira: httpx.Client) -> None:
    sandbox.faults.inject("503", path_glob="/rest/api/2/issue/*/comment", method="POST", times=2)
    assert jira.get("/rest/api/2/issue/SS-6/comment").status_code == 200
    codes = [jira.post("/rest/api/2/issue/SS-6/comment", json={"body": f"try {n}"}).status_code for n in range(3)]
    assert codes == [503, 503, 201]
    assert sandbox.faults.injected["503"] == 2


def test_an_unknown_fault_kind_is_refused(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        sandbox.faults.configure(rates={"teapot": 1.0})
    with pytest.raises(ValueError, match="unknown fault"):
        sandbox.faults.inject("teapot")
