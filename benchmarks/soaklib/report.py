"""The soak's figures and verdict: per kind of job what was attempted and what the app told the
agent, per kind of write what Jira received, and every check with what it found."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from soaklib import checks
from soaklib.proc import AgentProc
from soaklib.tasks import KINDS, Job
from soaklib.world import Site

# Write paths the soak must have driven at least once, or it proves nothing about them.
MUST_WRITE = ("assign", "comment", "transition", "edit", "add watcher", "remove participants", "create issue", "link",
              "set property")


@dataclass
class Verdict:
    lines: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # names of the checks that failed
    figures: dict[str, Any] = field(default_factory=dict)

    def check(self, name: str, ok: bool, text: str) -> None:
        self.lines.append(f"  {'ok  ' if ok else 'FAIL'}  {name}: {text}")
        if not ok:
            self.failed.append(name)


def per_kind(jobs: list[Job]) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for j in jobs:
        row = table[j.kind]
        row["jobs"] += 1
        unknown_open = 0
        for a in j.attempts:
            row["attempted"] += 1
            o = a.outcome
            if o in ("confirmed", "done"):
                row["confirmed"] += 1
            elif o == "waiting":
                row["confirmed"] += 1 if any(x.endswith(":confirmed") for x in a.applies) else 0
                row["waiting"] += 1
            elif o == "failed":
                row["reported failed"] += 1
            elif o == "unknown":
                row["unknown"] += 1
                unknown_open += 1
            elif o == "killed":
                row["killed"] += 1
            else:
                row[o] += 1
            if o in ("confirmed", "done", "nothing", "waiting", "declined") and unknown_open:
                # The retry asked Jira again (the app's own check before writing) and came back with
                # an answer: each unknown before it is settled, once or not at all, never twice.
                row["settled by a re-check"] += unknown_open
                unknown_open = 0
        row["done in the end"] += 1 if j.finished else 0
    return table


def render_table(table: dict[str, Counter[str]]) -> list[str]:
    cols = ("jobs", "attempted", "confirmed", "reported failed", "unknown", "settled by a re-check", "killed",
            "nothing", "waiting", "done in the end")
    head = f"  {'kind':32}" + "".join(f"{c:>12}" for c in ("jobs", "attempted", "confirmed", "failed", "unknown",
                                                           "settled", "killed", "nothing", "waiting", "done"))
    out = [head]
    for kind in [k for k in KINDS if k in table] + sorted(k for k in table if k not in KINDS):
        row = table[kind]
        out.append(f"  {kind:32}" + "".join(f"{row[c]:>12}" for c in cols))
        extra = {k: v for k, v in row.items() if k not in cols}
        if extra:
            out.append(f"  {'':32}  also: {dict(extra)}")
    return out


def verdict(site: Site, procs: list[AgentProc], jobs: list[Job], *, kills: int, min_kills: int, harness: list[str],
            stale_misses: int, fresh: bool, quick: bool) -> Verdict:
    v = Verdict()
    w = site.world
    f = checks.Findings()
    checks.duplicates(procs, w, f)
    checks.audit_against_requests(procs, w, f)
    checks.audit_against_state(procs, w, f)
    checks.overwrites(procs, jobs, w, f)
    table = per_kind(jobs)
    v.lines += ["Jobs per kind (attempts: what the app told the agent)"] + render_table(table)
    v.lines.append("Writes Jira applied, by kind (from both agents' request journals):")
    v.lines.append("  " + ", ".join(f"{k}: {n}" for k, n in sorted(f.writes_by_kind.items())))
    v.lines.append("  answers lost (slow, cut short, dropped, hung): "
                   + (", ".join(f"{k}: {n}" for k, n in sorted(f.lost_answers.items())) or "none"))
    faults: Counter[str] = Counter()
    for p in procs:
        faults.update(p.agent.sb.faults.injected)
    v.lines.append(f"Faults injected: {dict(sorted(faults.items()))}")
    v.lines.append(f"Kills (SIGKILL) and restarts: {kills}; app lives: "
                   + ", ".join(f"{p.agent.name} {len(p.lives)}" for p in procs))
    v.lines.append("Checks")
    total = sum(f.duplicates.values())
    v.check("duplicates", total == 0,
            f"{total} counted from the requests ({', '.join(f'{k}: {n}' for k, n in sorted(f.duplicates.items())) or 'none'})"
            + "".join(f"\n        {line}" for line in f.duplicate_lines[:12]))
    for kind in ("comments", "cs tickets", "links", "transitions", "watchers"):
        if f.duplicates.get(kind):
            v.failed.append(f"duplicates: {kind}")
    v.lines.append(f"        repeats Jira absorbs by design: {dict(f.absorbed)}")
    v.check("audit log vs requests and state", not f.audit,
            f"{len(f.audit)} mismatches ({f.excused} writes in flight at a kill, unaudited, excused)"
            + "".join(f"\n        {line}" for line in f.audit[:12]))
    v.check("never over a colleague", not f.overwrites, f"{len(f.overwrites)} replaced without a question naming them"
            + "".join(f"\n        {line}" for line in f.overwrites[:8]))
    if f.races:
        v.lines.append(f"        two agents at the same moment, neither could see the other's write: {len(f.races)}"
                       + "".join(f"\n        {line}" for line in f.races[:5]))
    lost = [f"job {j.n} {j.kind} {j.key} (agent {j.agent})" for j in jobs for a in j.attempts if a.draft == "missing"]
    v.check("drafts kept", not lost, f"{len(lost)} replies whose draft was gone when the agent came back"
            + "".join(f"\n        {line}" for line in lost[:8]))
    unknown = sum(r["unknown"] for r in table.values())
    settled = sum(r["settled by a re-check"] for r in table.values())
    v.check("unknown outcomes settled", settled == unknown, f"{unknown} unknown, {settled} settled by a re-check")
    stuck = [f"job {j.n} {j.kind} {j.key}: {a.outcome}: {a.detail}" for j in jobs for a in j.attempts
             if a.outcome in ("stuck", "crashed")]
    crashes = [c for p in procs for c in p.crashes]
    v.check("no crash, no hang", not stuck and not crashes and not harness,
            f"{len(stuck)} stuck or crashed jobs, {len(crashes)} app exits, {len(harness)} harness errors"
            + "".join(f"\n        {line}" for line in (stuck + crashes + harness)[:8]))
    early = checks.early_requests(procs)
    v.check("Retry-After respected", not early, f"{len(early)} requests before the wait the app had been told of "
            f"(simulator's own count, requests already on their way included: "
            f"{sum(p.agent.sb.faults.early_requests for p in procs)})"
            + "".join(f"\n        {line}" for line in early[:6]))
    v.check("stale banner", stale_misses == 0 and fresh,
            f"missed after a failed poll: {stale_misses}; fresh after faults stop: {fresh}")
    v.check("kills", kills >= min_kills, f"{kills} SIGKILLs (at least {min_kills})")
    never = [k for k in MUST_WRITE if not f.writes_by_kind.get(k)]
    cs_comment = any(checks.write_kind(e) == ("comment", e.path.split("/")[-2]) and "/CS-" in e.path
                     for _n, e in checks.applied_writes(procs))
    if not cs_comment:
        never.append("comment on a CS ticket")
    unconfirmed = [k for k in KINDS if not (table.get(k) or {}).get("confirmed")]
    finished = {j.kind for j in jobs if j.kind.startswith("playbook:") and j.finished
                and any(a.outcome == "done" for a in j.attempts)}
    unfinished = [k for k in KINDS if k.startswith("playbook:") and k not in finished]
    v.check("every write path driven", not never and not unconfirmed and not unfinished,
            f"writes never sent: {never or 'none'}; kinds never confirmed: {unconfirmed or 'none'}; "
            f"playbooks never run to the end: {unfinished or 'none'}")
    v.figures = {"duplicates": dict(f.duplicates), "kills": kills, "unknown": unknown, "settled": settled,
                 "audit mismatches": len(f.audit), "overwrites": len(f.overwrites), "quick": quick}
    return v
