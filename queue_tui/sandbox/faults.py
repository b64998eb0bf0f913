"""Fault injection for the simulator, switchable at run time.

Random kinds, each at its own rate per /rest request (`configure(rates={...})`):
- `429`: Retry-After in integer seconds and X-RateLimit-Reset (an ISO timestamp);
- `429-date`: Retry-After as an HTTP date (RFC 9110), no X-RateLimit-Reset;
- `429-reset`: X-RateLimit-Reset only, no Retry-After;
- `503`: Service Unavailable, with an integer Retry-After;
- `slow`: the answer comes `slow_seconds` (real time) later, after the client's timeout;
- `malformed`: a 200 whose JSON is cut short;
- `drop`: the connection closes without an answer;
- `hang`: no answer for `hang_seconds` (real time), then the connection closes; `stop()` ends it;
- `redirect`: 307 to `redirect_to` + the same path and query (another host), nothing applied;
- `html401`: 401 with an HTML page, as Jira Cloud's edge can answer a bad or revoked token;
- `no-islast`: a `search/jql` page leaves out `isLast` (it may: only `nextPageToken` ends paging).

Writes hit by `slow`, `malformed`, `drop` or `hang` are applied before the fault, as a real
server that did the work and then lost the answer would: the client cannot know whether its
write happened, which is exactly what the app must cope with. `429*`, `503`, `redirect` and
`html401` are answered before any work. Retry-After and X-RateLimit-Reset are computed from
the world's clock; `early_requests` counts requests that came before a 429/503 wait was over.

`inject(kind, path_glob=..., method=..., times=1)` aims a fault at the next matching requests
(e.g. the first comment POST only), ahead of the random rates.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

KINDS = ("429", "429-date", "429-reset", "503", "slow", "malformed", "drop", "hang", "redirect", "html401",
         "no-islast")
# Kinds decided per request by `pick`; `no-islast` is decided where a search page is built.
REQUEST_KINDS = tuple(k for k in KINDS if k != "no-islast")
LIMITED = ("429", "429-date", "429-reset", "503")

MESSAGES = {"429": "Rate limit exceeded.", "429-date": "Rate limit exceeded.", "429-reset": "Rate limit exceeded.",
            "503": "Service temporarily unavailable."}


@dataclass
class _Aim:
    kind: str
    method: str | None
    path_glob: str | None
    times: int


@dataclass
class Faults:
    rates: dict[str, float] = field(default_factory=dict)
    retry_after: int = 1
    slow_seconds: float = 3.0
    hang_seconds: float = 30.0
    redirect_to: str = "https://jira-moved.example.com"
    seed: int = 1
    injected: Counter[str] = field(default_factory=Counter)
    early_requests: int = 0  # requests that arrived before a Retry-After expired
    blocked_until: datetime | None = None

    CONFIGURABLE = ("rates", "retry_after", "slow_seconds", "hang_seconds", "redirect_to")

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._aims: list[_Aim] = []
        self._released = threading.Event()

    def configure(self, rates: dict[str, float] | None = None, retry_after: int | None = None,
                  slow_seconds: float | None = None, hang_seconds: float | None = None,
                  redirect_to: str | None = None) -> None:
        with self._lock:
            if rates is not None:
                unknown = set(rates) - set(KINDS)
                if unknown:
                    raise ValueError(f"unknown fault kinds: {sorted(unknown)}; known: {list(KINDS)}")
                self.rates = dict(rates)
            if retry_after is not None:
                self.retry_after = retry_after
            if slow_seconds is not None:
                self.slow_seconds = slow_seconds
            if hang_seconds is not None:
                self.hang_seconds = hang_seconds
            if redirect_to is not None:
                self.redirect_to = redirect_to.rstrip("/")

    def clear(self) -> None:
        """No more faults: rates off, aimed faults dropped, hung requests let go."""
        self.configure(rates={})
        with self._lock:
            self._aims.clear()
        self.release_hangs()

    def inject(self, kind: str, path_glob: str | None = None, method: str | None = None, times: int = 1) -> None:
        """Inject `kind` on the next `times` requests matching `method` and `path_glob` (fnmatch)."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {list(KINDS)}")
        with self._lock:
            self._aims.append(_Aim(kind, method.upper() if method else None, path_glob, times))

    def aimed(self, method: str, path: str) -> str | None:
        """An aimed fault for this request, if one matches (it is used up)."""
        with self._lock:
            for aim in self._aims:
                if (aim.method is None or aim.method == method) and (
                        aim.path_glob is None or fnmatch.fnmatchcase(path, aim.path_glob)):
                    aim.times -= 1
                    if aim.times <= 0:
                        self._aims.remove(aim)
                    if aim.kind != "no-islast":
                        self.injected[aim.kind] += 1
                    return aim.kind
            return None

    def arrival(self, now: datetime) -> None:
        """Note a request's arrival; count it if it came before Retry-After allowed."""
        with self._lock:
            if self.blocked_until is not None and now < self.blocked_until:
                self.early_requests += 1

    def pick(self, now: datetime) -> str | None:
        """The random fault to inject for this request, if any."""
        with self._lock:
            for kind in REQUEST_KINDS:
                rate = self.rates.get(kind, 0.0)
                if rate and self._rng.random() < rate:
                    self.injected[kind] += 1
                    return kind
            return None

    def roll(self, kind: str) -> bool:
        """Whether a page-level fault (`no-islast`) happens on this page."""
        with self._lock:
            rate = self.rates.get(kind, 0.0)
            if rate and self._rng.random() < rate:
                self.injected[kind] += 1
                return True
            return False

    def answer(self, kind: str, now: datetime) -> tuple[int, dict[str, str], datetime]:
        """Status, headers and the moment they announce, of a rate-limit or unavailable answer;
        starts the wait it announces.

        X-RateLimit-Reset is Jira's `yyyy-MM-ddTHH:mmZ` (minutes); when it is the only header,
        the wait runs to that minute, rounded up, so that a client honouring it is never early.
        """
        until = (now + timedelta(seconds=self.retry_after)).astimezone(UTC)
        announced = until  # the moment the headers tell the client it may come back
        if kind == "429-date" and until.microsecond:  # an HTTP date has whole seconds: round up
            announced = until.replace(microsecond=0) + timedelta(seconds=1)
        minute = until.replace(second=0, microsecond=0)
        if kind == "429-reset" and minute < until:
            minute += timedelta(minutes=1)
            announced = minute
        with self._lock:
            self.blocked_until = announced
        reset = minute.strftime("%Y-%m-%dT%H:%MZ")
        if kind == "429":
            return 429, {"Retry-After": str(self.retry_after), "X-RateLimit-Reset": reset}, announced
        if kind == "429-date":
            return 429, {"Retry-After": format_datetime(announced, usegmt=True)}, announced
        if kind == "429-reset":
            return 429, {"X-RateLimit-Reset": reset}, announced
        return 503, {"Retry-After": str(self.retry_after)}, announced

    def wait_slow(self) -> None:
        self._released.wait(self.slow_seconds)

    def hang(self) -> None:
        """Hold the request until `hang_seconds` pass or the hangs are released."""
        self._released.wait(self.hang_seconds)

    def release_hangs(self) -> None:
        """Let every request held by `hang` or `slow` go now."""
        self._released.set()
        self._released = threading.Event()
