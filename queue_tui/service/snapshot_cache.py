"""The last snapshot of each queue, kept between runs so that the app paints at once at start.

One file per site, desk and Jira account (its name a hash of the three), in the user's cache
folder (0700), written 0600 and atomically. It holds what the queue showed: tickets, queue
names and counts, never a secret. The account is known before Jira answers from a small index
mapping a hash of the site and the login (the email on Cloud) to the account id Jira reported
last time; without a login (Data Center) the cache is read once Jira has said who this is.
A file that cannot be read, or was written by another version of this format, is set aside
with a one-line message and the app starts as if there were none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from queue_tui.core.models import (
    LinkedIssue,
    Organization,
    Person,
    Queue,
    RequestType,
    SlaClock,
    Ticket,
)
from queue_tui.core.snapshot import QueueSnapshot
from queue_tui.service.local_files import private_dir

FORMAT = 1
KIND = "queue-tui queue snapshots"


@dataclass(frozen=True)
class CachedDesk:
    """What the queue screen showed when it last saved: enough to paint it again."""

    saved_at: datetime
    account_id: str
    desk_id: str
    desk_label: str
    queues: tuple[Queue, ...]
    active: str  # id of the queue on screen
    snapshots: dict[str, QueueSnapshot]


def _hash(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class SnapshotCache:
    def __init__(self, folder: Path, site: str, desk: str, login: str = "") -> None:
        self.folder = folder
        self.site = site.rstrip("/").lower()
        self.desk = desk  # the desk as the config chooses it
        self.login = login.lower()

    # -- where -----------------------------------------------------------------------------
    def path(self, account_id: str) -> Path:
        return self.folder / f"{_hash(self.site, self.desk, account_id)}.json"

    @property
    def _index(self) -> Path:
        return self.folder / "accounts.json"

    def remembered_account(self) -> str | None:
        """The account Jira reported for this site and login last time (None without a login)."""
        if not self.login:
            return None
        try:
            data = json.loads(self._index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        hit = data.get(_hash(self.site, self.login)) if isinstance(data, dict) else None
        return hit if isinstance(hit, str) else None

    # -- reading ---------------------------------------------------------------------------
    def load(self, account_id: str) -> tuple[CachedDesk | None, str]:
        """The cached desk for this account, or None and a one-line problem ("" when there is
        simply no cache yet)."""
        path = self.path(account_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None, ""
        except OSError as exc:
            return None, f"Could not read the cached queue ({exc.strerror})"
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("kind") != KIND:
                raise ValueError("not a queue snapshot file")
            if data.get("format") != FORMAT:
                return None, self._set_aside(path, f"written by another version (format {data.get('format')!r})")
            cached = _desk(data)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            return None, self._set_aside(path, f"unreadable ({str(exc)[:80]})")
        if cached.account_id != account_id:
            return None, ""
        return cached, ""

    def _set_aside(self, path: Path, why: str) -> str:
        aside = path.with_suffix(".set-aside")
        try:
            os.replace(path, aside)
        except OSError:
            return f"The cached queue is {why}; starting without it"
        return f"The cached queue is {why}; set aside as {aside.name}, starting without it"

    # -- writing ---------------------------------------------------------------------------
    def _folder(self) -> Path:
        private_dir(self.folder)  # 0700, parents too (mkdir's mode covers only the last folder)
        return self.folder

    def save(self, desk: CachedDesk) -> None:
        """Write the desk's snapshots (called in a worker thread: encoding a big queue takes a while)."""
        folder = self._folder()
        text = _encode_desk(self, desk)
        _write_private(self.path(desk.account_id), text)
        if self.login and self.remembered_account() != desk.account_id:
            try:
                index = json.loads(self._index.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                index = {}
            index = index if isinstance(index, dict) else {}
            index[_hash(self.site, self.login)] = desk.account_id
            _write_private(folder / "accounts.json", json.dumps(index))


def _write_private(path: Path, text: str) -> None:
    """Atomically, readable by this user only from the first byte (mkstemp creates files 0600)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# -- the format: plain JSON, tickets as arrays of their fields ------------------------------
def _t(d: datetime | None) -> str | None:
    return d.isoformat() if d is not None else None


def _d(s: Any) -> datetime:
    return datetime.fromisoformat(s)


def _dn(s: Any) -> datetime | None:
    return datetime.fromisoformat(s) if s is not None else None


def _p(p: Person | None) -> list[str] | None:
    return [p.id, p.name, p.email] if p is not None else None


def _pd(v: Any) -> Person | None:
    return Person(str(v[0]), str(v[1]), str(v[2])) if v is not None else None


def encode_ticket(t: Ticket) -> list[Any]:
    return [t.key, t.id, t.summary, t.status, t.status_category, t.priority, _t(t.created), _t(t.updated),
            _p(t.reporter), _p(t.assignee), [[o.id, o.name] for o in t.organizations],
            [t.request_type.id, t.request_type.name, t.request_type.description] if t.request_type else None,
            list(t.labels), list(t.channel), [_p(p) for p in t.participants],
            [[s.name, s.goal_ms, s.remaining_ms, _t(s.breach_at), s.paused, s.breached, s.completed, _t(s.fetched_at),
              s.computed] for s in t.slas],
            [[lk.key, lk.relation, lk.summary, lk.status, lk.status_category, lk.issue_type, lk.priority, lk.link_type]
             for lk in t.links],
            list(t.components), t.issue_type, t.needs_config, t.resolution]


def decode_ticket(v: list[Any]) -> Ticket:
    return Ticket(
        key=str(v[0]), id=str(v[1]), summary=str(v[2]), status=str(v[3]), status_category=str(v[4]), priority=str(v[5]),
        created=_d(v[6]), updated=_d(v[7]), reporter=_pd(v[8]), assignee=_pd(v[9]),
        organizations=tuple(Organization(int(o[0]), str(o[1])) for o in v[10]),
        request_type=RequestType(str(v[11][0]), str(v[11][1]), str(v[11][2])) if v[11] else None,
        labels=tuple(map(str, v[12])), channel=tuple(map(str, v[13])),
        participants=tuple(p for p in map(_pd, v[14]) if p is not None),
        slas=tuple(SlaClock(str(s[0]), int(s[1]), int(s[2]), _dn(s[3]), bool(s[4]), bool(s[5]), bool(s[6]), _d(s[7]),
                            bool(s[8])) for s in v[15]),
        links=tuple(LinkedIssue(*map(str, lk)) for lk in v[16]),
        components=tuple(map(str, v[17])), issue_type=str(v[18]),
        needs_config=str(v[19]) if v[19] is not None else None, resolution=str(v[20]) if v[20] is not None else None,
    )


def _queue(q: Queue) -> list[Any]:
    return [q.id, q.name, q.jql, q.count, q.kind]


def _encode_desk(cache: SnapshotCache, desk: CachedDesk) -> str:
    head = {"kind": KIND, "format": FORMAT, "site": cache.site, "account_id": desk.account_id,
            "desk_id": desk.desk_id, "desk_label": desk.desk_label, "saved_at": _t(desk.saved_at),
            "queues": [_queue(q) for q in desk.queues], "active": desk.active}
    # One small dumps per ticket: a single dumps of a 5,000-ticket queue would hold the
    # interpreter (and so the screen) for tens of milliseconds.
    parts = []
    for snap in desk.snapshots.values():
        tickets = ",".join(json.dumps(encode_ticket(t), ensure_ascii=False) for t in snap.tickets.values())
        parts.append(f'{{"queue_id":{json.dumps(snap.queue_id)},"fetched_at":{json.dumps(_t(snap.fetched_at))},'
                     f'"tickets":[{tickets}]}}')
    return json.dumps(head, ensure_ascii=False)[:-1] + ',"snapshots":[' + ",".join(parts) + "]}"


def _desk(data: dict[str, Any]) -> CachedDesk:
    queues = tuple(Queue(str(q[0]), str(q[1]), str(q[2]), q[3] if isinstance(q[3], int) else None, str(q[4]))
                   for q in data["queues"])
    snapshots = {}
    for s in data["snapshots"]:
        tickets = [decode_ticket(v) for v in s["tickets"]]
        snapshots[str(s["queue_id"])] = QueueSnapshot(str(s["queue_id"]), {t.key: t for t in tickets},
                                                      _d(s["fetched_at"]), queues)
    return CachedDesk(_d(data["saved_at"]), str(data["account_id"]), str(data["desk_id"]), str(data["desk_label"]),
                      queues, str(data["active"]), snapshots)
