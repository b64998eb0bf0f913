"""The request journal: every request the simulator received, in order of arrival.

Tests and the soak count writes here, independently of the simulator's state (which, like
Jira's, absorbs some repeats: a second watcher POST or an identical link leaves one watcher
or one link). Each `Entry` holds what came in (method, path, query, body, arrival time on
the world's clock), what went out (`status`, None when no answer was sent) and whether the
handler's work took effect (`applied`: it ran and chose a 2xx, even if a fault then lost
the answer). A 429 or 503 also holds the moment its headers named (`retry_at`) and when its
answer went out (`answered_at`): what a check of early requests compares with. `/__sim__/...`
control calls are not journalled.

    sb.journal.requests(method="POST", path_glob="/rest/api/*/issue/SS-1/comment")
    sb.journal.count("PUT", "*/assignee", applied=True)
    mark = sb.journal.mark(); ...; sb.requests("POST", "*/comment", since=mark)

Which repeated writes Jira absorbs (and the simulator's state with it), and which it does not:
- idempotent: PUT issue (fields set to the same value), PUT assignee, PUT/DELETE an issue or
  comment property (last write wins), POST watcher of someone already watching (204, still one
  watcher), POST participant already on the request (one participant), DELETE watcher or
  participant who is not there;
- half: POST issueLink of a link that exists answers 201 and stores no second link, but a
  `comment` in it is added again (the platform spec says so);
- never de-duplicated: POST comment (platform and JSM), POST issue (each creates a ticket),
  POST attachments (each adds a file), POST transitions (a second one moves the ticket again
  or fails with 400 when the transition is no longer available).
So a duplicate watcher or link is visible only here, in the requests, never in the state.
"""

from __future__ import annotations

import fnmatch
import json
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

WRITE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})


@dataclass
class Entry:
    seq: int
    at: datetime  # arrival, on the world's clock
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any  # parsed JSON; text for other text bodies; a "<N bytes multipart>" note for uploads
    route: str = ""  # "METHOD /path/{template}" once matched
    status: int | None = None  # what was sent; None while pending or when nothing was sent
    applied: bool = False  # the handler ran and chose a 2xx: a write took effect
    fault: str | None = None  # the fault injected on this request, if any
    account: str | None = None  # the account id that signed in (None: refused, anonymous or not reached)
    retry_at: datetime | None = None  # a 429/503: the moment its headers told the client it may come back
    answered_at: datetime | None = None  # a 429/503: when its answer went out, on the world's clock

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    def q(self, name: str) -> str | None:
        """The last value of a query parameter."""
        vals = self.query.get(name)
        return vals[-1] if vals else None

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at.isoformat(), "method": self.method, "path": self.path,
                "query": self.query, "body": self.body, "route": self.route, "status": self.status,
                "applied": self.applied, "fault": self.fault, "account": self.account,
                "retry_at": self.retry_at and self.retry_at.isoformat(),
                "answered_at": self.answered_at and self.answered_at.isoformat()}


@dataclass
class Journal:
    _entries: list[Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = 0  # never reset, so a `mark()` stays valid across `clear()`

    def arrive(self, at: datetime, method: str, path: str, query: dict[str, list[str]], body: Any) -> Entry:
        with self._lock:
            self._seq += 1
            e = Entry(self._seq, at, method, path, query, body)
            self._entries.append(e)
            return e

    def entries(self) -> list[Entry]:
        """A snapshot of every entry so far, oldest first."""
        with self._lock:
            return list(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries())

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def requests(self, method: str | None = None, path_glob: str | None = None, *, writes: bool | None = None,
                 status: int | None = None, applied: bool | None = None, since: int = 0) -> list[Entry]:
        """Entries matching every filter given.

        `path_glob` is an `fnmatch` pattern on the path (its `*` also crosses `/`); `writes`
        keeps only POST/PUT/DELETE/PATCH (or only reads when False); `since` keeps entries
        with a sequence number above it (e.g. `since=mark` after `mark = sb.journal.mark()`).
        """
        out = []
        for e in self.entries():
            if e.seq <= since:
                continue
            if method is not None and e.method != method.upper():
                continue
            if path_glob is not None and not fnmatch.fnmatchcase(e.path, path_glob):
                continue
            if writes is not None and e.is_write != writes:
                continue
            if status is not None and e.status != status:
                continue
            if applied is not None and e.applied != applied:
                continue
            out.append(e)
        return out

    def count(self, method: str | None = None, path_glob: str | None = None, **filters: Any) -> int:
        return len(self.requests(method, path_glob, **filters))

    def repeated(self, method: str | None = None, path_glob: str | None = None, **filters: Any
                 ) -> dict[tuple[str, str, str], int]:
        """Writes received more than once with the same method, path and body (applied ones by
        default): {(method, path, body as sorted JSON): times}. A duplicate comment, link or
        watcher POST shows here even where the state kept one."""
        filters.setdefault("applied", True)
        seen: Counter[tuple[str, str, str]] = Counter(
            (e.method, e.path, json.dumps(e.body, sort_keys=True)) for e in self.requests(method, path_glob, **filters))
        return {k: n for k, n in seen.items() if n > 1}

    def mark(self) -> int:
        """The sequence number of the latest entry: pass it as `since` to see only later requests."""
        with self._lock:
            return self._seq
