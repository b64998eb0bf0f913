"""What the soak holds the app to, counted from the write requests the simulator received (both
agents' journals), never from the simulator's state alone: Jira absorbs a second watcher POST or
an identical link, so a duplicate shows only in the requests.

- duplicates: a comment (same ticket, same text), a CS ticket (same summary and description), a
  link (same pair and type), a transition repeated with nothing moving the ticket in between, a
  watcher POSTed twice by the same agent; each applied more than once;
- the audit log against the requests, life by life of each app: every write the audit calls done
  reached Jira and took effect with what the audit says; every write Jira applied is in the audit
  (done, or reported unknown), except the ones still on their way when the soak killed the app;
- the audit log against the simulator's final state: a comment, CS ticket, link or watcher the
  audit calls done is there;
- never over a colleague: an assignee or request type a colleague set is replaced only in a job
  where the agent said yes to a question naming that colleague (two agents writing at the same
  moment, neither able to see the other's write, are counted apart as races).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from queue_tui.sandbox.journal import Entry
from queue_tui.sandbox.state import World
from soaklib.proc import AgentProc
from soaklib.tasks import Job

COMMENT = re.compile(r"^/rest/(?:api/\d+/issue|servicedeskapi/request)/([A-Z]+-\d+)/comment$")
TRANSITION = re.compile(r"^/rest/api/\d+/issue/([A-Z]+-\d+)/transitions$")
WATCHERS = re.compile(r"^/rest/api/\d+/issue/([A-Z]+-\d+)/watchers$")
ASSIGNEE = re.compile(r"^/rest/api/\d+/issue/([A-Z]+-\d+)/assignee$")
ISSUE = re.compile(r"^/rest/api/\d+/issue/([A-Z]+-\d+)$")
PROPERTY = re.compile(r"^/rest/api/\d+/issue/([A-Z]+-\d+)/properties/(.+)$")
PARTICIPANT = re.compile(r"^/rest/servicedeskapi/request/([A-Z]+-\d+)/participant$")
CREATE = re.compile(r"^/rest/api/\d+/issue/?$")
LINK = re.compile(r"^/rest/api/\d+/issueLink$")
KEY_IN_PATH = re.compile(r"/([A-Z]+-\d+)(?:/|$)")


def write_kind(e: Entry) -> tuple[str, str]:
    """(audit action, ticket) of a write request, as the app's audit log names it."""
    p, m = e.path, e.method
    body = e.body if isinstance(e.body, dict) else {}
    if (hit := COMMENT.match(p)) and m == "POST":
        return "comment", hit.group(1)
    if (hit := TRANSITION.match(p)) and m == "POST":
        return "transition", hit.group(1)
    if (hit := WATCHERS.match(p)):
        return ("add watcher" if m == "POST" else "remove watcher"), hit.group(1)
    if (hit := ASSIGNEE.match(p)):
        return "assign", hit.group(1)
    if (hit := PROPERTY.match(p)):
        return ("set property" if m == "PUT" else "delete property"), hit.group(1)
    if (hit := PARTICIPANT.match(p)):
        return ("add participants" if m == "POST" else "remove participants"), hit.group(1)
    if (hit := ISSUE.match(p)) and m == "PUT":
        return "edit", hit.group(1)
    if CREATE.match(p) and m == "POST":
        return "create issue", str(((body.get("fields") or {}).get("project") or {}).get("key", "?"))
    if LINK.match(p) and m == "POST":
        return "link", str((body.get("inwardIssue") or {}).get("key", "?"))
    hit = KEY_IN_PATH.search(p)
    return f"{m} {p}", hit.group(1) if hit else "?"


def comment_text(e: Entry) -> str:
    body = e.body if isinstance(e.body, dict) else {}
    return " ".join(str(body.get("body", "")).split())


@dataclass
class Findings:
    duplicates: Counter[str] = field(default_factory=Counter)
    duplicate_lines: list[str] = field(default_factory=list)
    absorbed: Counter[str] = field(default_factory=Counter)  # idempotent repeats Jira absorbs (both agents)
    audit: list[str] = field(default_factory=list)
    excused: int = 0
    overwrites: list[str] = field(default_factory=list)
    races: list[str] = field(default_factory=list)
    writes_by_kind: Counter[str] = field(default_factory=Counter)
    lost_answers: Counter[str] = field(default_factory=Counter)


def applied_writes(procs: list[AgentProc]) -> list[tuple[str, Entry]]:
    out = [(p.agent.name, e) for p in procs for e in p.agent.sb.journal.requests(writes=True, applied=True)
           if e.path.startswith("/rest/")]
    return sorted(out, key=lambda x: x[1].at)


def duplicates(procs: list[AgentProc], w: World, f: Findings) -> None:
    writes = applied_writes(procs)
    comments: dict[tuple[str, str], list[str]] = defaultdict(list)
    creates: dict[tuple[str, str], list[str]] = defaultdict(list)
    links: dict[tuple[str, frozenset[str]], list[str]] = defaultdict(list)
    watchers: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    transitions: dict[str, list[tuple[datetime, str, str]]] = defaultdict(list)
    journals = {p.agent.name: p.agent.sb.journal.requests(writes=True) for p in procs}
    for agent, e in writes:
        kind, key = write_kind(e)
        f.writes_by_kind[kind] += 1
        if e.status is None or e.fault in ("slow", "malformed", "drop", "hang"):
            f.lost_answers[kind] += 1
        body = e.body if isinstance(e.body, dict) else {}
        if kind == "comment":
            comments[(key, comment_text(e))].append(f"{agent}#{e.seq}")
        elif kind == "create issue":
            fields = body.get("fields") or {}
            creates[(str(fields.get("summary")), " ".join(str(fields.get("description")).split()))].append(
                f"{agent}#{e.seq}")
        elif kind == "link":
            pair = frozenset({str((body.get("inwardIssue") or {}).get("key")),
                              str((body.get("outwardIssue") or {}).get("key"))})
            links[(str((body.get("type") or {}).get("name")), pair)].append(f"{agent}#{e.seq}")
        elif kind == "add watcher" and not _retried(e, journals[agent]):
            watchers[(agent, key, json.dumps(e.body))].append(f"{agent}#{e.seq}")
        elif kind == "transition":
            tid = str((body.get("transition") or {}).get("id"))
            if body.get("update"):
                comments[(key, "transition " + json.dumps(body.get("update"), sort_keys=True))].append(f"{agent}#{e.seq}")
            transitions[key].append((e.at, tid, f"{agent}#{e.seq}"))

    def dup(kind: str, what: str, seen: list[str]) -> None:
        f.duplicates[kind] += len(seen) - 1
        f.duplicate_lines.append(f"{kind}: {what} applied {len(seen)} times (requests {', '.join(seen)})")

    for (key, text), seen in comments.items():
        if len(seen) > 1:
            dup("comments", f"{key} '{text[:60]}'", seen)
    for (summary, _d), seen in creates.items():
        if len(seen) > 1:
            dup("cs tickets", f"'{summary[:60]}'", seen)
    for (tname, pair), seen in links.items():
        if len(seen) > 1:
            dup("links", f"{tname} {' / '.join(sorted(pair))}", seen)
    for (agent, key, who), seen in watchers.items():
        if len(seen) > 1:
            dup("watchers", f"{key} {who} by agent {agent}", seen)
    by_key_agentless = Counter((key, who) for (_a, key, who), seen in watchers.items() for _ in seen)
    f.absorbed["watchers (both agents)"] = sum(n - 1 for n in by_key_agentless.values() if n > 1)
    with w.lock:
        for key, seq in transitions.items():
            history = w.issues[key].status_history if key in w.issues else []
            for (t1, tid1, s1), (t2, tid2, s2) in zip(seq, seq[1:], strict=False):
                moved = [st for st, since in history if t1 < since < t2]
                if tid1 == tid2 and len(set(moved)) <= 0:
                    dup("transitions", f"{key} transition {tid1} with nothing in between", [s1, s2])
        for issue in w.issues.values():  # state: one CS ticket per SS ticket
            if issue.project != "SS":
                continue
            cs = {k for lk in w.links_of(issue.key) for k in (lk.inward_key, lk.outward_key)
                  if k != issue.key and k in w.issues and w.issues[k].project == "CS"
                  and w.issues[k].issue_type != "Epic" and w.issues[k].created > issue.created}
            if len(cs) > 1:
                dup("cs tickets", f"{issue.key} has {len(cs)} CS tickets linked ({', '.join(sorted(cs))})",
                    sorted(cs))


def audit_against_requests(procs: list[AgentProc], w: World, f: Findings) -> None:
    names = {u.display_name: aid for aid, u in w.users.items()}
    everyone = applied_writes(procs)
    for p in procs:
        lines = p.audit_lines()
        for life in p.lives:
            if life.journal_to is None or life.audit_to is None:
                continue
            entries = [e for e in p.agent.sb.journal.requests(writes=True, since=life.journal_from)
                       if e.seq <= life.journal_to and e.path.startswith("/rest/")]
            applied = [e for e in entries if e.applied and not _retried(e, entries)]
            audit = lines[life.audit_from:life.audit_to]
            where = f"agent {p.agent.name} life {life.n}"
            end = max((e.at for e in entries), default=None)
            # What the audit calls done is true in Jira: written now, or earlier (by this agent's
            # previous life or a colleague), which the app checked before writing nothing.
            happened = {write_kind(e) for _n, e in everyone if end is None or e.at <= end}
            for a in audit:
                k = (a["action"], a["key"])
                if a.get("ok") and k not in happened and a["action"] not in ("delete property",):
                    f.audit.append(f"{where}: the audit has '{k[0]}' on {k[1]} done ({a['detail'][:60]}); "
                                   "Jira never applied one")
            told = Counter((a["action"], a["key"]) for a in audit)
            got = Counter(write_kind(e) for e in applied)
            unmatched = Counter({k: got[k] - told[k] for k in got if got[k] > told[k]})
            if unmatched and life.killed:
                tail = [write_kind(e) for e in applied[-3:]]
                for k in list(unmatched):
                    excused = min(unmatched[k], tail.count(k))
                    f.excused += excused
                    unmatched[k] -= excused
            for k, n in unmatched.items():
                if n > 0:
                    f.audit.append(f"{where}: Jira applied {n} '{k[0]}' on {k[1]} that the audit does not show")
            # What the audit says was written is what was sent.
            for a in audit:
                if a.get("ok") and a["action"] == "assign":
                    who = str(a["detail"]).removeprefix("assignee = ")
                    bodies = [e.body for e in applied if write_kind(e) == ("assign", a["key"])]
                    want = None if who == "unassigned" else names.get(who)
                    if bodies and not any(isinstance(b, dict) and b.get("accountId") == want for b in bodies):
                        f.audit.append(f"{where}: the audit assigned {a['key']} to {who}; Jira was sent "
                                       f"{[b.get('accountId') if isinstance(b, dict) else b for b in bodies]}")


def _retried(e: Entry, entries: list[Entry]) -> bool:
    """An idempotent write sent again after its answer was lost (a refusal such as a 429 may come
    between): the same write, audited once."""
    if e.method not in ("PUT", "DELETE") and not WATCHERS.match(e.path) and not PARTICIPANT.match(e.path):
        return False
    for x in reversed([x for x in entries if x.seq < e.seq and (x.method, x.path) == (e.method, e.path)]):
        if x.body != e.body:
            return False
        if x.applied:
            return x.status is None or x.fault in ("slow", "malformed", "drop", "hang")
    return False


def audit_against_state(procs: list[AgentProc], w: World, f: Findings) -> None:
    with w.lock:
        for p in procs:
            for a in p.audit_lines():
                if not a.get("ok"):
                    continue
                action, key, detail = a["action"], a["key"], str(a["detail"])
                issue = w.issues.get(key)
                where = f"agent {p.agent.name}: {action} on {key}"
                if action == "comment":
                    vis, _, text = detail.partition(" comment: ")
                    want = " ".join(text.split())
                    found = [c for c in (issue.comments if issue else []) if " ".join(c.body.split()).startswith(want)]
                    if not found:
                        f.audit.append(f"{where}: the audit's comment '{want[:50]}' is not on the ticket")
                    elif not any(c.public == (vis == "public") for c in found):
                        f.audit.append(f"{where}: the comment '{want[:50]}' is there, not {vis}")
                elif action == "create issue":
                    if not any(i.project == key and i.summary.startswith(detail) for i in w.issues.values()):
                        f.audit.append(f"{where}: no {key} ticket '{detail[:50]}'")
                elif action == "link":
                    parts = detail.split(" ")
                    if len(parts) >= 3 and not any({lk.inward_key, lk.outward_key} == {parts[0], parts[-1]}
                                                   for lk in w.links):
                        f.audit.append(f"{where}: no link {detail}")
                elif action == "add watcher":
                    if issue is not None and not any(w.users[x].display_name == detail for x in issue.watchers
                                                     if x in w.users):
                        f.audit.append(f"{where}: {detail} is not watching")


def overwrites(procs: list[AgentProc], jobs: list[Job], w: World, f: Findings) -> None:
    """A colleague's assignee or request type replaced: only in a job that asked, naming them."""
    ids = {p.agent.account_id: p for p in procs}
    staff = {aid for aid, u in w.users.items() if u.staff}
    with w.lock:
        for issue in w.issues.values():
            last: dict[str, tuple[str, datetime]] = {}  # field -> (who set it, when)
            for h in issue.history:
                for it in h.items:
                    if it.field not in ("assignee", "Customer Request Type"):
                        continue
                    before = last.get(it.field)
                    holder = it.from_id if it.field == "assignee" else (before[0] if before else None)
                    if (h.author in ids and it.from_string and holder in staff and holder != h.author
                            and not (it.field == "Customer Request Type" and _picked_type(jobs, ids[h.author].agent.name, h.created))):
                        colleague = w.users[holder].display_name
                        job = next((j for j in jobs if j.agent == ids[h.author].agent.name and j.key == issue.key
                                    and any(a.started <= h.created <= (a.ended or h.created + timedelta(1))
                                            for a in j.attempts)), None)
                        asked = job is not None and any(yes and colleague in q for a in job.attempts
                                                        for q, yes in a.confirms)
                        if not asked:
                            line = (f"{issue.key}: agent {ids[h.author].agent.name} replaced {colleague}'s "
                                    f"{it.field} '{it.from_string}' with '{it.to_string}' at {h.created:%H:%M:%S}"
                                    f" ({'job ' + job.kind if job else 'no job of its own'})")
                            if _race(ids[h.author], issue.key, holder, h.created, procs):
                                f.races.append(line)
                            else:
                                f.overwrites.append(line)
                    last[it.field] = (h.author, h.created)


def _picked_type(jobs: list[Job], agent: str, at: datetime) -> bool:
    """`t`: the agent picked the type from a menu that showed the one there now: their explicit choice."""
    return any(j.kind == "request_type" and j.agent == agent and any(a.started <= at <= (a.ended or at) for a in j.attempts) for j in jobs)


def _race(p: AgentProc, key: str, holder: str, at: datetime, procs: list[AgentProc]) -> bool:
    """The colleague's write reached Jira after this agent last read the ticket before writing."""
    theirs = [e.at for q in procs if q.agent.account_id == holder
              for e in q.agent.sb.journal.requests("PUT", f"*/{key}/assignee", applied=True) if e.at <= at]
    reads = [e.at for e in p.agent.sb.journal.requests("GET", f"*/issue/{key}") if e.at <= at]
    return bool(theirs) and bool(reads) and max(theirs) > max(reads)


def early_requests(procs: list[AgentProc], slack: float = 0.25) -> list[str]:
    """Requests that came before a wait a 429 or 503 had announced, as its headers said it
    (`retry_at`: Retry-After, its HTTP date or X-RateLimit-Reset, rounded as sent).

    A request that arrived within `slack` seconds of that answer going out (`answered_at`) was
    already on its way and could not know; neither could an app started again after a SIGKILL (a
    new life): it learns of the wait anew. Every wait counts, not only the longest: a request
    early for one is early even when a later 429 is still within its own slack."""
    early: list[str] = []
    for p in procs:
        waits: list[tuple[datetime, datetime, Entry]] = []  # (answered at, may come back at, the answer)
        starts = {life.journal_from for life in p.lives}
        for e in p.agent.sb.journal.requests():
            # A new life forgets every wait; one long over (a minute's margin: arrivals are stamped a
            # little out of order) can no longer make anything early.
            waits = [w for w in waits if not any(w[2].seq <= s < e.seq for s in starts)
                     and w[1] + timedelta(minutes=1) > e.at]
            if not e.path.startswith("/rest/"):
                continue
            for answered, until, w in waits:
                if answered + timedelta(seconds=slack) < e.at < until:
                    early.append(f"agent {p.agent.name}: {e.method} {e.path} at {e.at:%H:%M:%S.%f}, "
                                 f"{(until - e.at).total_seconds():.2f} s before the wait of #{w.seq} "
                                 f"({w.fault}, {w.method} {w.path}, answered at {answered:%H:%M:%S.%f}) was over")
                    break
            if e.status in (429, 503) and e.retry_at is not None and e.answered_at is not None:
                waits.append((e.answered_at, e.retry_at, e))
    return early
