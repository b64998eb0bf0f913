"""Fault injection for the simulator, switchable at run time.

Kinds: `429` (with an integer Retry-After), `503`, `slow` (an answer later than the client's
timeout), `malformed` (a 200 whose JSON is cut short), `drop` (the connection closes without an
answer). Writes hit by `slow`, `malformed` or `drop` are applied before the fault, as a real
server that did the work and then lost the answer would: the client cannot know whether its
write happened, which is exactly what the app must cope with.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

KINDS = ("429", "503", "slow", "malformed", "drop")


@dataclass
class Faults:
    rates: dict[str, float] = field(default_factory=dict)
    retry_after: int = 1
    slow_seconds: float = 3.0
    seed: int = 1
    injected: Counter[str] = field(default_factory=Counter)
    early_requests: int = 0  # requests that arrived before a Retry-After expired
    blocked_until: datetime | None = None

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def configure(self, rates: dict[str, float] | None = None, retry_after: int | None = None,
                  slow_seconds: float | None = None) -> None:
        with self._lock:
            if rates is not None:
                unknown = set(rates) - set(KINDS)
                if unknown:
                    raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
                self.rates = dict(rates)
            if retry_after is not None:
                self.retry_after = retry_after
            if slow_seconds is not None:
                self.slow_seconds = slow_seconds

    def clear(self) -> None:
        self.configure(rates={})

    def arrival(self, now: datetime) -> None:
        """Note a request's arrival; count it if it came before Retry-After allowed."""
        with self._lock:
            if self.blocked_until is not None and now < self.blocked_until:
                self.early_requests += 1

    def pick(self, now: datetime) -> str | None:
        """The fault to inject for this request, if any."""
        with self._lock:
            for kind in KINDS:
                rate = self.rates.get(kind, 0.0)
                if rate and self._rng.random() < rate:
                    self.injected[kind] += 1
                    if kind == "429":
                        self.blocked_until = now + timedelta(seconds=self.retry_after)
                    return kind
            return None
