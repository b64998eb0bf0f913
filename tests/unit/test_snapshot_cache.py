"""The cached queue: kept private, read back as it was, keyed so nobody sees another's, set aside when broken."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from queue_tui.core.models import LinkedIssue, Organization, Person, Queue, RequestType, SlaClock, Ticket
from queue_tui.core.snapshot import QueueSnapshot
from queue_tui.service.snapshot_cache import CachedDesk, SnapshotCache

NOW = datetime(2026, 11, 18, 15, 0, 0, 123000, tzinfo=UTC)
SITE = "https://example.atlassian.net"


def ticket(n: int) -> Ticket:
    me = Person("557058:me", "Alex Rivera", "alex@example.com")
    return Ticket(
        key=f"SS-{n}", id=str(10000 + n), summary=f"Inverter list wrong «{n}»", status="Waiting for support",
        status_category="new", priority="High", created=NOW - timedelta(hours=n), updated=NOW - timedelta(minutes=n),
        reporter=Person("qm:c1", "Casey", "casey@customer.com"), assignee=me if n % 2 else None,
        organizations=(Organization(3, "Helios Home Power"),), request_type=RequestType("4", "Technical Support", "Help"),
        labels=("urgent",), channel=("Email",), participants=(me,),
        slas=(SlaClock("Time to first response", 7_200_000, 1_000 * n, NOW + timedelta(seconds=n), False, False, False, NOW),
              SlaClock("Time to resolution", 1, -5, None, True, True, False, NOW, computed=True)),
        links=(LinkedIssue("CS-1", "relates to", "Configure", "To Do", "new", "Task", "Medium", "Relates"),),
        components=("Design",), issue_type="Service Request", needs_config="Yes", resolution=None)


def desk(account: str = "557058:me", n: int = 30) -> CachedDesk:
    queues = (Queue("1", "All open", "project = SS ORDER BY created", 30), Queue("mine", "Mine", "x", None, "mine"))
    snap = QueueSnapshot("1", {t.key: t for t in map(ticket, range(1, n + 1))}, NOW, queues)
    return CachedDesk(NOW, account, "1", "Software Support (SS)", queues, "1", {"1": snap})


def test_a_saved_desk_reads_back_as_it_was_in_private_files(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path / "cache" / "snapshots", SITE, "|SS|", "login.only@example.com")
    cache.save(desk())
    loaded, problem = cache.load("557058:me")
    assert problem == "" and loaded is not None
    assert loaded == desk()  # every field of every ticket, times to the microsecond
    assert cache.remembered_account() == "557058:me"
    assert stat.S_IMODE((tmp_path / "cache" / "snapshots").stat().st_mode) == 0o700
    files = list((tmp_path / "cache" / "snapshots").iterdir())
    assert len(files) == 2 and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert all("login.only" not in f.read_text() for f in files), "the login is only kept hashed"


def test_another_site_desk_or_account_never_reads_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "snapshots"
    SnapshotCache(folder, SITE, "|SS|", "alex@example.com").save(desk())
    assert SnapshotCache(folder, "https://other.atlassian.net", "|SS|", "alex@example.com").load("557058:me") == (None, "")
    assert SnapshotCache(folder, SITE, "|HR|", "alex@example.com").load("557058:me") == (None, "")
    assert SnapshotCache(folder, SITE, "|SS|", "alex@example.com").load("557058:someone-else") == (None, "")
    assert SnapshotCache(folder, SITE, "|SS|", "sam@example.com").remembered_account() is None
    assert SnapshotCache(folder, SITE, "|SS|", "").remembered_account() is None  # no login: ask Jira first


def test_a_corrupt_cache_is_set_aside_with_one_line(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, SITE, "|SS|", "alex@example.com")
    cache.save(desk())
    path = cache.path("557058:me")
    path.write_text(path.read_text()[:-200])
    loaded, problem = cache.load("557058:me")
    assert loaded is None and "unreadable" in problem and "set aside" in problem and "\n" not in problem
    assert not path.exists() and path.with_suffix(".set-aside").exists()
    assert cache.load("557058:me") == (None, "")  # set aside once: the next start is quiet


def test_a_cache_of_another_format_is_set_aside(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, SITE, "|SS|", "alex@example.com")
    cache.save(desk())
    path = cache.path("557058:me")
    data = json.loads(path.read_text())
    data["format"] = 0
    path.write_text(json.dumps(data))
    loaded, problem = cache.load("557058:me")
    assert loaded is None and "another version" in problem and path.with_suffix(".set-aside").exists()


def test_a_folder_made_too_open_is_closed_again(tmp_path: Path) -> None:
    folder = tmp_path / "snapshots"
    folder.mkdir(mode=0o755)
    SnapshotCache(folder, SITE, "|SS|").save(desk())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
