"""Chaos soak: the app headless against the simulator with every fault on, polling while a script
assigns, comments, applies playbook steps and creates CS tickets. `make soak` (full: 1,000 polls)
or `make soak SOAK_ARGS=--quick` (CI: 100 polls). Loopback only, bounded in count and time.

Pass: no unhandled exception; every write confirmed or reported failed (or, when Jira could not
even be asked, reported unknown and then settled once faults stop); the audit log matches the
simulator's final state; no duplicate comment, CS ticket, link or watcher; the stale banner within
one failed poll; fresh within one poll after faults stop; no request before a Retry-After expired.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QUEUE_TUI_HOME", tempfile.mkdtemp(prefix="queue-tui-soak-"))

from queue_tui.cli import DEMO_CONFIG  # noqa: E402
from queue_tui.config import config_from_dict  # noqa: E402
from queue_tui.core.cs_ticket import draft  # noqa: E402
from queue_tui.sandbox import ManualClock, start_sandbox  # noqa: E402
from queue_tui.service.errors import JiraError, UnclearWriteError  # noqa: E402
from queue_tui.service.gateway import Connection  # noqa: E402
from queue_tui.ui.app import QueueApp  # noqa: E402
from queue_tui.ui.screens.queue import QueueScreen  # noqa: E402

KINDS = ("429", "503", "slow", "malformed", "drop")


async def soak(polls: int, rate: float, seed: int, deadline: float) -> dict[str, Any]:
    clock = ManualClock(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    sb = start_sandbox(clock=clock)
    w = sb.world
    rnd = random.Random(seed)

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)
        await asyncio.sleep(0)

    c = sb.credentials
    app = QueueApp(Connection(sb.base_url, "cloud", email=c.email, token=c.token, timeout=0.25),
                   config_from_dict(DEMO_CONFIG, "soak"), clock=clock.now, auto_poll=False, auto_tick=False,
                   gateway_kwargs={"sleep": sleep})
    stats: dict[str, Any] = collections.defaultdict(int)
    unknown: list[tuple[str, str, str]] = []  # (kind, key, marker) of writes whose outcome Jira could not tell
    comments_ok: list[tuple[str, str]] = []
    cs_ok: list[str] = []
    unhandled: list[str] = []
    stale_misses = 0
    started = time.monotonic()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = None
        for _ in range(4000):
            await pilot.pause(0.005)
            screen = next((s for s in app.screen_stack if isinstance(s, QueueScreen)), None)
            if screen is not None and screen.feed.polls >= 1:
                break
        assert screen is not None and screen.feed.poller is not None, "the app never connected"
        gw = app.services.gateway
        await app.workers.wait_for_complete()
        sb.faults.configure({k: rate for k in KINDS}, retry_after=1, slow_seconds=0.35)
        for n in range(polls):
            if time.monotonic() - started > deadline:
                stats["stopped early (time bound)"] = 1
                break
            clock.advance(seconds=30)
            try:
                await screen.poll_now()
                await pilot.pause()
                # The poll's follow-up reads (closing rules) finish before the script writes: a request
                # already on its way when another one meets a 429 cannot know of it, so the early-request
                # count below is only fair for requests sent one after the other.
                await app.workers.wait_for_complete()
            except Exception as exc:  # noqa: BLE001 - the soak counts these: there must be none
                unhandled.append(f"poll: {type(exc).__name__}: {exc}")
            stats["polls"] += 1
            if screen.feed.poller.error is not None:
                stats["failed polls"] += 1
                if not screen.stale:
                    stale_misses += 1
            keys = [k for k in screen.table.tickets][:40] or ["SS-1"]
            key = rnd.choice(keys)
            action = rnd.choice(["assign", "comment", "playbook", "cs", "watch", "none", "none"])
            if action == "cs" and n % 5:
                action = "none"  # CS tickets are created less often than the rest
            marker = f"soak-{n}"
            if action != "none":
                stats[f"writes attempted: {action}"] += 1
            try:
                if action == "assign":
                    await gw.assign(key, gw.me if rnd.random() < 0.7 else None)
                elif action == "comment":
                    body = f"Soak note {marker}"
                    await gw.add_comment(key, body, public=False)
                    comments_ok.append((key, body))
                elif action == "playbook":
                    await app.services.runner().apply_all(key, app.services.playbooks["triage"], app.services.desk_id)
                elif action == "watch":
                    await gw.add_watcher(key, gw.me)  # type: ignore[arg-type]
                elif action == "cs":
                    creator = app.services.cs_creator()
                    t = await gw.issue(key)
                    d = draft(t, now=clock.now(), cal=creator.cal, components=await creator.components(),
                              priority_rule=app.config.priority_rule(), roster=app.config.roster,
                              browse_url=f"{sb.base_url}/browse/{key}", summary=f"Soak {marker} - {t.summary[:40]}")
                    out = await creator.create(d)
                    if out.cs_key:
                        cs_ok.append(d.summary)
                    if out.error is not None:
                        raise out.error
                if action != "none":
                    stats["writes confirmed"] += 1
            except UnclearWriteError:
                stats["writes reported unknown"] += 1
                unknown.append((action, key, marker))
            except JiraError:
                stats["writes reported failed"] += 1
            except Exception as exc:  # noqa: BLE001
                unhandled.append(f"{action}: {type(exc).__name__}: {exc}")
        # Faults stop: the next poll is fresh.
        sb.faults.clear()
        clock.advance(seconds=30)
        await screen.poll_now()
        await pilot.pause()
        fresh_after = not screen.stale
    sb.stop()

    # -- the audit log against the simulator's final state ----------------------------------
    entries = app.services.audit.entries(limit=1_000_000)
    problems: list[str] = []
    for key, body in comments_ok:
        count = sum(1 for cm in w.issues[key].comments if cm.body == body)
        if count != 1:
            problems.append(f"comment '{body}' on {key} exists {count} times")
    all_bodies = collections.Counter((k, cm.body) for k, i in w.issues.items() for cm in i.comments)
    dup_comments = sum(1 for (_, b), cnt in all_bodies.items() if cnt > 1 and b.startswith(("Soak note", "Created CS-")))
    cs_summaries = collections.Counter(i.summary for i in w.issues.values() if i.project == "CS")
    dup_cs = sum(1 for s, cnt in cs_summaries.items() if cnt > 1 and s.startswith("Soak"))
    for s in cs_ok:
        if cs_summaries[s] != 1:
            problems.append(f"CS ticket '{s}' exists {cs_summaries[s]} times")
    links = collections.Counter((lk.type_name, lk.outward_key, lk.inward_key) for lk in w.links)
    dup_links = sum(1 for cnt in links.values() if cnt > 1)
    dup_watchers = sum(len(i.watchers) - len(set(i.watchers)) for i in w.issues.values())
    ok_comments = [e for e in entries if e["action"] == "comment" and e["ok"] and "Soak note" in e["detail"]]
    if len(ok_comments) != len(comments_ok):
        problems.append(f"audit has {len(ok_comments)} confirmed soak comments, the script saw {len(comments_ok)}")
    ok_creates = [e for e in entries if e["action"] == "create issue" and e["ok"] and e["detail"].startswith("Soak")]
    if len(ok_creates) != len(cs_ok):
        problems.append(f"audit has {len(ok_creates)} confirmed CS creations, the script saw {len(cs_ok)}")
    settled = 0
    for action, key, marker in unknown:
        # Settled now that faults stopped: it happened once or not at all, never twice.
        if action == "comment":
            made = sum(1 for cm in w.issues[key].comments if cm.body == f"Soak note {marker}")
        elif action == "cs":
            made = sum(1 for i in w.issues.values() if i.project == "CS" and i.summary.startswith(f"Soak {marker} "))
        else:
            made = 0  # assignment, watchers and playbook edits are idempotent: repeating them changes nothing
        if made > 1:
            problems.append(f"{action} {marker} whose outcome was unknown exists {made} times")
        settled += 1
    return {
        "polls": stats["polls"], "faults injected": dict(sb.faults.injected), "failed polls": stats["failed polls"],
        "writes": {k: v for k, v in stats.items() if k.startswith("writes")},
        "duplicates": {"comments": dup_comments, "cs tickets": dup_cs, "links": dup_links, "watchers": dup_watchers},
        "unhandled exceptions": len(unhandled), "unhandled": unhandled[:5],
        "stale banner missed after a failed poll": stale_misses, "fresh after faults stop": fresh_after,
        "requests before Retry-After expired": sb.faults.early_requests, "audit mismatches": problems[:10],
        "unknown outcomes settled": settled, "seconds": round(time.monotonic() - started, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100 polls (CI)")
    ap.add_argument("--polls", type=int)
    ap.add_argument("--rate", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    polls = args.polls or (100 if args.quick else 1000)
    result = asyncio.run(soak(polls, args.rate, args.seed, deadline=600 if args.quick else 3000))
    for k, v in result.items():
        print(f"{k}: {v}")
    dup = sum(result["duplicates"].values())
    ok = (result["unhandled exceptions"] == 0 and dup == 0 and result["stale banner missed after a failed poll"] == 0
          and result["fresh after faults stop"] and result["requests before Retry-After expired"] == 0
          and not result["audit mismatches"])
    print("soak: PASS" if ok else "soak: FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
