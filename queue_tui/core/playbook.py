"""SOP playbooks: the data model, loading TOML files, matching a ticket, and planning the steps.

A playbook is data (one TOML file per SOP); adding an SOP means adding a file. `plan` turns a
ticket's current state into one line per step: met, to do (with the exact change), manual,
waiting, done, or blocked (with why). Steps already met are skipped when applying, so running
a playbook twice changes nothing more. Pure: the service layer applies the changes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from queue_tui.core.due_rules import DueRule
from queue_tui.core.models import Person, Ticket

KINDS = ("check", "set_field", "add_watchers", "remove_watchers", "move_staff_to_watchers", "remove_participants",
         "comment", "transition", "create_cs", "link", "manual", "wait")
FIELDS = ("assignee", "reporter", "organization", "request_type", "label", "channel", "needs_config", "priority")
STATUSES = ("met", "todo", "manual", "waiting", "done", "blocked", "skip")


class PlaybookError(ValueError):
    """A malformed playbook file: the message names the file, line and problem."""


@dataclass(frozen=True)
class Match:
    subject: tuple[str, ...] = ()  # regular expressions, case-insensitive
    request_type: tuple[str, ...] = ()
    organization: tuple[str, ...] = ()
    reporter_domain: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    fallback: bool = False

    def reason(self, t: Ticket) -> str | None:
        """Why this playbook matches the ticket, or None."""
        for rx in self.subject:
            if re.search(rx, t.summary, re.IGNORECASE):
                return f"subject matches “{rx}”"
        if t.request_type and t.request_type.name.lower() in (r.lower() for r in self.request_type):
            return f"request type is {t.request_type.name}"
        for o in t.organizations:
            if o.name.lower() in (x.lower() for x in self.organization):
                return f"organization is {o.name}"
        if t.reporter and "@" in t.reporter.email:
            dom = t.reporter.email.rsplit("@", 1)[1].lower()
            if dom in (d.lower() for d in self.reporter_domain):
                return f"reporter is from {dom}"
        body = f"{t.summary}\n{t.description}".lower()
        for word in self.text:
            if word.lower() in body:
                return f"mentions “{word}”"
        if self.fallback:
            return "applies to every ticket"
        return None


@dataclass(frozen=True)
class Step:
    id: str
    kind: str
    title: str
    says: str  # the SOP's own words
    params: dict[str, Any]
    when: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Playbook:
    id: str
    name: str
    sop: str
    description: str
    match: Match
    steps: tuple[Step, ...]
    source: str
    rank: int = 50
    due_rule: DueRule | None = None
    customer_visible: bool = True  # False: every comment is internal, a public one is refused
    refuse_public_reason: str = ""


# -- loading ---------------------------------------------------------------------------------
def _line_of(text: str, needle: str, start: int = 1) -> int:
    lines = text.splitlines()
    for n in range(max(start, 1), len(lines) + 1):
        if needle in lines[n - 1]:
            return n
    return start


def parse_playbook(text: str, source: str) -> Playbook:
    name = Path(source).name
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlaybookError(f"{name}: {exc}") from exc

    def fail(problem: str, line: int) -> PlaybookError:
        return PlaybookError(f"{name}, line {line}: {problem}")

    for key in ("id", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise fail(f"'{key}' is required (a non-empty string)", _line_of(text, key))
    unknown = set(data) - {"id", "name", "sop", "description", "match", "steps", "rank", "due", "customer_visible",
                           "refuse_public_reason"}
    if unknown:
        k = sorted(unknown)[0]
        raise fail(f"unknown setting '{k}'", _line_of(text, k))
    m = data.get("match") or {}
    if not isinstance(m, dict):
        raise fail("'match' must be a table", _line_of(text, "match"))
    for rx in m.get("subject", []):
        try:
            re.compile(rx)
        except re.error as exc:
            raise fail(f"match.subject '{rx}' is not a valid pattern: {exc}", _line_of(text, "subject")) from exc
    match = Match(tuple(m.get("subject", [])), tuple(m.get("request_type", [])), tuple(m.get("organization", [])),
                  tuple(m.get("reporter_domain", [])), tuple(m.get("text", [])), bool(m.get("fallback", False)))
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise fail("at least one [[steps]] is required", _line_of(text, "[[steps]]"))
    steps = []
    seen: set[str] = set()
    step_line = 1
    for n, raw in enumerate(raw_steps, start=1):
        step_line = _line_of(text, "[[steps]]", step_line + (1 if n > 1 else 0))
        if not isinstance(raw, dict):
            raise fail(f"step {n} is not a table", step_line)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise fail(f"step {n}: kind '{kind}' is not one of {', '.join(KINDS)}", _line_of(text, "kind", step_line))
        sid = str(raw.get("id") or f"step{n}")
        if sid in seen:
            raise fail(f"step {n}: id '{sid}' is used twice", _line_of(text, "id", step_line))
        seen.add(sid)
        params = {k: v for k, v in raw.items() if k not in ("id", "kind", "title", "says", "when")}
        problem = _check_params(kind, params)
        if problem:
            raise fail(f"step {n} ({sid}): {problem}", step_line)
        when = raw.get("when")
        if when is not None and when not in CONDITIONS and not str(when).startswith("not "):
            raise fail(f"step {n} ({sid}): unknown condition '{when}'", _line_of(text, "when", step_line))
        steps.append(Step(sid, kind, str(raw.get("title") or sid.replace("_", " ").capitalize()),
                          str(raw.get("says") or ""), params, when, step_line))
    due_rule = None
    if "due" in data:
        d = data["due"]
        try:
            due_rule = DueRule(f"{data['name']}: due {d['due']}, configuration {d['config']}, QA {d['qa']}",
                               str(d["due"]), str(d["config"]), str(d["qa"]))
        except (KeyError, ValueError, TypeError) as exc:
            raise fail(f"due: {exc}", _line_of(text, "[due]")) from exc
    return Playbook(str(data["id"]), str(data["name"]), str(data.get("sop", "")), str(data.get("description", "")),
                    match, tuple(steps), source, int(data.get("rank", 50)), due_rule,
                    bool(data.get("customer_visible", True)), str(data.get("refuse_public_reason", "")))


def _check_params(kind: str, p: dict[str, Any]) -> str | None:
    if kind == "set_field":
        if p.get("field") not in FIELDS:
            return f"field '{p.get('field')}' is not one of {', '.join(FIELDS)}"
        if "value" not in p:
            return "'value' is required"
    if kind in ("add_watchers", "remove_watchers") and not isinstance(p.get("people"), list):
        return "'people' must be a list of role names"
    if kind == "comment":
        if not isinstance(p.get("template"), str) or not p["template"].strip():
            return "'template' is required"
        if p.get("visibility", "internal") not in ("internal", "public"):
            return "'visibility' must be internal or public"
    if kind == "transition" and not isinstance(p.get("to"), str):
        return "'to' (the target status) is required"
    if kind == "wait" and p.get("until") not in CONDITIONS:
        return f"'until' must be a known condition ({', '.join(sorted(CONDITIONS))})"
    if kind == "check" and p.get("condition") not in CONDITIONS:
        return f"'condition' must be a known condition ({', '.join(sorted(CONDITIONS))})"
    if kind == "link" and p.get("target") not in ("approval_tickets",):
        return "'target' must be approval_tickets"
    return None


def load_dir(directory: Path) -> tuple[list[Playbook], list[str]]:
    out, problems = [], []
    if not directory.is_dir():
        return out, problems
    for path in sorted(directory.glob("*.toml")):
        try:
            out.append(parse_playbook(path.read_text(encoding="utf-8"), str(path)))
        except PlaybookError as exc:
            problems.append(str(exc))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: cannot read: {exc}")
    return out, problems


def load_all(dirs: list[Path]) -> tuple[dict[str, Playbook], list[str]]:
    """Playbooks from each directory in order; a later one with the same id overrides."""
    books: dict[str, Playbook] = {}
    problems: list[str] = []
    for d in dirs:
        found, probs = load_dir(d)
        problems += probs
        for pb in found:
            books[pb.id] = pb
    return books, problems


def choose(books: dict[str, Playbook], t: Ticket) -> tuple[Playbook, str] | None:
    hits = [(pb.rank, pb.id, pb, reason) for pb in books.values() if (reason := pb.match.reason(t)) is not None]
    if not hits:
        return None
    hits.sort(key=lambda h: (h[3] == "applies to every ticket", h[0], h[1]))
    return hits[0][2], hits[0][3]


# -- the ticket as the engine sees it --------------------------------------------------------
@dataclass(frozen=True)
class Context:
    ticket: Ticket
    me: Person
    now: datetime
    people: dict[str, Person | None] = field(default_factory=dict)  # role -> person (None: unmapped)
    staff_domains: tuple[str, ...] = ()
    org_ids: dict[str, int] = field(default_factory=dict)  # lower name -> id
    channel_managers: dict[str, str] = field(default_factory=dict)  # partner org (lower) -> manager org
    account_managers: dict[str, Person] = field(default_factory=dict)  # org (lower) -> person
    request_types: dict[str, str] = field(default_factory=dict)  # lower name -> id
    cs: Ticket | None = None
    related: tuple[Ticket, ...] = ()  # e.g. separate approval tickets
    progress: dict[str, dict[str, Any]] = field(default_factory=dict)  # step id -> {"state", "at", "by"}

    def is_staff(self, p: Person | None) -> bool:
        return p is not None and p.is_staff(self.staff_domains)

    def form_value(self, label: str) -> str | None:
        """A value from the form table in the ticket body ("Installer name: X" or "| Installer name | X |")."""
        for line in self.ticket.description.splitlines():
            m = re.match(rf"\s*\|?\s*(?:\d+\.\s*)?{re.escape(label)}\s*[:|]\s*(.+?)\s*\|?\s*$", line, re.IGNORECASE)
            if m:
                return m.group(1).strip()
        return None

    def ticket_org(self) -> str | None:
        return self.ticket.organizations[0].name if self.ticket.organizations else None


def _text(t: Ticket) -> str:
    return f"{t.summary}\n{t.description}".lower()


def _approver_replied(c: Context) -> bool:
    approver = c.people.get("approver")
    asked = c.progress.get("ask_approval", {}).get("at")
    for com in c.ticket.comments:
        if approver and com.author and com.author.id == approver.id and "approv" in com.body.lower():
            if asked is None or com.created.isoformat() >= str(asked):
                return True
    return any("approv" in r.summary.lower() for r in c.related if any(lk.key == c.ticket.key for lk in r.links))


def _hours_since(c: Context, step_id: str, hours: float) -> bool:
    at = c.progress.get(step_id, {}).get("at")
    if not at:
        return False
    try:
        when = datetime.fromisoformat(str(at))
    except ValueError:
        return False
    return c.now - when >= timedelta(hours=hours)


def _last_public(c: Context) -> Any:
    return next((com for com in reversed(c.ticket.comments) if com.public), None)


CONDITIONS: dict[str, Callable[[Context], bool]] = {
    "always": lambda c: True,
    "assigned_to_me": lambda c: c.ticket.assignee is not None and c.ticket.assignee.id == c.me.id,
    "reporter_is_customer": lambda c: c.ticket.reporter is not None and not c.is_staff(c.ticket.reporter),
    "reporter_is_staff": lambda c: c.is_staff(c.ticket.reporter),
    "has_organization": lambda c: bool(c.ticket.organizations),
    "has_channel": lambda c: bool(c.ticket.channel),
    "has_request_type": lambda c: c.ticket.request_type is not None,
    "has_staff_participants": lambda c: any(c.is_staff(p) for p in c.ticket.participants),
    "mentions_everbright_financing": lambda c: "everbright" in _text(c.ticket) and any(
        w in _text(c.ticket) for w in ("financ", "loan", "lease", "lender")),
    "is_channel_partner": lambda c: any(o.name.lower() in c.channel_managers for o in c.ticket.organizations),
    "cs_exists": lambda c: c.cs is not None,
    "cs_on_hold": lambda c: c.cs is not None and c.cs.status.lower() == "on hold",
    "cs_done": lambda c: c.cs is not None and c.cs.status_category == "done",
    "approval_received": _approver_replied,
    "approval_overdue": lambda c: _hours_since(c, "ask_approval", 24) and not _approver_replied(c),
    "approval_tickets_found": lambda c: bool(c.related),
    "customer_replied": lambda c: (lc := _last_public(c)) is not None and not c.is_staff(lc.author),
}


def condition(name: str, c: Context) -> bool:
    if name.startswith("not "):
        return not CONDITIONS[name[4:]](c)
    return CONDITIONS[name](c)


# -- planning --------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepPlan:
    step: Step
    status: str  # one of STATUSES
    current: str = ""
    change: str = ""
    action: dict[str, Any] | None = None
    problem: str = ""

    @property
    def actionable(self) -> bool:
        return self.status == "todo" and self.action is not None


def render_template(template: str, c: Context) -> str:
    t = c.ticket
    values = {
        "key": t.key, "summary": t.summary, "org": c.ticket_org() or c.form_value("Installer name") or "the customer",
        "installer": c.form_value("Installer name") or c.ticket_org() or "the installer",
        "reporter": t.reporter.name if t.reporter else "there", "me": c.me.name,
        "cs_key": c.cs.key if c.cs else "the CS ticket",
        "account_manager": _account_manager(c).name if _account_manager(c) else "the account manager",
    }
    for role, p in c.people.items():
        values[role] = p.name if p else f"[{role}]"

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("form:"):
            return c.form_value(name[5:]) or f"[{name[5:]} not in the form]"
        return str(values.get(name, m.group(0)))

    return re.sub(r"\{([\w:][\w: ]*)\}", sub, template)


def _account_manager(c: Context) -> Person | None:
    for o in c.ticket.organizations:
        hit = c.account_managers.get(o.name.lower())
        if hit:
            return hit
    # From a form: the onboarding form names the installer, the channel partner form the company submitting it.
    for label in ("Installer name", "Company Name"):
        name = c.form_value(label)
        if name and (hit := c.account_managers.get(name.lower())):
            return hit
    return None


def resolve_person(ref: str, c: Context) -> tuple[Person | None, str]:
    """A person from 'me', 'account_manager' or a role name; (None, why) when it cannot be."""
    if ref == "me":
        return c.me, ""
    if ref == "account_manager":
        am = _account_manager(c)
        return (am, "") if am else (None, "no account manager is known for this organization ([account_managers] in config)")
    if ref not in c.people:
        return None, f"role '{ref}' is not mapped to anyone in [roster] of the config"
    p = c.people[ref]
    return (p, "") if p else (None, f"role '{ref}' is mapped in [roster] but that person was not found in Jira")


def _org_target(value: str, c: Context) -> tuple[str | None, str]:
    if value == "channel_manager":
        cur = c.ticket_org()
        if cur and cur.lower() in c.channel_managers:
            return c.channel_managers[cur.lower()], f"{cur} is a channel partner: use the channel manager's organization"
        return cur, "" if cur else "no organization on the ticket: search and pick one (e)"
    if value.startswith("form:"):
        found = c.form_value(value[5:])
        return found, "" if found else f"the form in the ticket has no '{value[5:]}'"
    return value, ""


def _plan_set_field(s: Step, c: Context) -> StepPlan:
    t = c.ticket
    fld, value = s.params["field"], str(s.params["value"])
    if fld in ("assignee", "reporter"):
        cur = getattr(t, fld)
        if value == "customer":
            ok = cur is not None and not c.is_staff(cur)
            return StepPlan(s, "met" if ok else "todo", cur.name if cur else "—",
                            "" if ok else "set the customer as reporter (a staff address is there, e.g. a forwarded message)",
                            problem="" if ok else "pick the customer: press e")
        person, why = resolve_person(value, c)
        if person is None:
            return StepPlan(s, "blocked", cur.name if cur else "—", problem=why)
        if cur is not None and cur.id == person.id:
            return StepPlan(s, "met", cur.name)
        return StepPlan(s, "todo", cur.name if cur else "—", f"{fld}: → {person.name}",
                        {"op": "set_person", "field": fld, "person": person})
    if fld == "organization":
        target, why = _org_target(value, c)
        cur = c.ticket_org()
        if target is None:
            return StepPlan(s, "blocked", cur or "—", problem=why)
        if cur and cur.lower() == target.lower() and len(t.organizations) == 1:
            return StepPlan(s, "met", cur)
        oid = c.org_ids.get(target.lower())
        if oid is None:
            return StepPlan(s, "blocked", cur or "—", problem=f"organization '{target}' does not exist in Jira yet: add it "
                            "under Customers, then refresh")
        return StepPlan(s, "todo", cur or "—", f"organization: → {target}" + (f" ({why})" if why else ""),
                        {"op": "set_org", "org_id": oid, "name": target})
    if fld == "request_type":
        cur = t.request_type.name if t.request_type else None
        if value == "suggested":
            from queue_tui.core.triage import suggest_request_type

            sug = suggest_request_type(t)
            value = sug.name
        if cur and cur.lower() == value.lower():
            return StepPlan(s, "met", cur)
        rid = c.request_types.get(value.lower())
        if rid is None:
            return StepPlan(s, "blocked", cur or "—", problem=f"request type '{value}' does not exist on this service desk")
        return StepPlan(s, "todo", cur or "—", f"request type: → {value}", {"op": "set_request_type", "id": rid, "name": value})
    if fld == "label":
        if value in t.labels:
            return StepPlan(s, "met", ", ".join(t.labels))
        return StepPlan(s, "todo", ", ".join(t.labels) or "—", f"add label {value}", {"op": "add_label", "label": value})
    if fld == "channel":
        if t.channel:
            return StepPlan(s, "met", ", ".join(t.channel))
        return StepPlan(s, "todo", "—", f"channel: → {value} (add phone/chat if you used them too)",
                        {"op": "set_channel", "values": [value]})
    if fld == "needs_config":
        if t.needs_config == value:
            return StepPlan(s, "met", value)
        return StepPlan(s, "todo", t.needs_config or "—", f"Needs Configuration?: → {value}",
                        {"op": "set_needs_config", "value": value})
    if fld == "priority":
        if t.priority == value:
            return StepPlan(s, "met", value)
        return StepPlan(s, "todo", t.priority, f"priority: → {value}", {"op": "set_priority", "value": value})
    return StepPlan(s, "blocked", problem=f"field {fld} is not supported")


def _plan_step(s: Step, c: Context, pb: Playbook) -> StepPlan:
    t = c.ticket
    done = c.progress.get(s.id, {})
    if s.when and not condition(s.when, c):
        return StepPlan(s, "skip", change=f"only when: {s.when.replace('_', ' ')} (not now)")
    if s.kind == "check":
        ok = condition(s.params["condition"], c)
        return StepPlan(s, "met" if ok else "todo", "yes" if ok else "no",
                        "" if ok else str(s.params.get("fix", "needs the agent's attention")))
    if s.kind == "set_field":
        return _plan_set_field(s, c)
    if s.kind in ("add_watchers", "remove_watchers"):
        people, problems = [], []
        for ref in s.params["people"]:
            p, why = resolve_person(ref, c)
            if p is None:
                problems.append(why)
            else:
                people.append(p)
        watching = {w.id for w in t.watchers}
        if s.kind == "add_watchers":
            missing = [p for p in people if p.id not in watching]
            if problems and not missing:
                return StepPlan(s, "blocked", ", ".join(w.name for w in t.watchers) or "—", problem="; ".join(problems))
            if not missing:
                return StepPlan(s, "met", ", ".join(w.name for w in t.watchers))
            return StepPlan(s, "todo", ", ".join(w.name for w in t.watchers) or "—",
                            "add watchers: " + ", ".join(p.name for p in missing), {"op": "add_watchers", "people": missing},
                            problem="; ".join(problems))
        present = [p for p in people if p.id in watching]
        if not present:
            return StepPlan(s, "met", ", ".join(w.name for w in t.watchers) or "—")
        return StepPlan(s, "todo", "", "remove watchers: " + ", ".join(p.name for p in present),
                        {"op": "remove_watchers", "people": present})
    if s.kind == "move_staff_to_watchers":
        staff = [p for p in t.participants if c.is_staff(p)]
        if not staff:
            return StepPlan(s, "met", ", ".join(p.name for p in t.participants) or "no participants")
        return StepPlan(s, "todo", ", ".join(p.name for p in t.participants),
                        "move to watchers: " + ", ".join(p.name for p in staff), {"op": "move_to_watchers", "people": staff})
    if s.kind == "remove_participants":
        which = s.params.get("which", "all")
        gone = [p for p in t.participants if which == "all" or c.is_staff(p)]
        if not gone:
            return StepPlan(s, "met", "none")
        return StepPlan(s, "todo", ", ".join(p.name for p in t.participants),
                        "remove participants: " + ", ".join(p.name for p in gone), {"op": "remove_participants", "people": gone})
    if s.kind == "comment":
        body = render_template(str(s.params["template"]), c)
        public = s.params.get("visibility", "internal") == "public"
        on_cs = s.params.get("on") == "cs"
        if done.get("state") == "done" or (not on_cs and any(com.body.strip() == body.strip() for com in t.comments)):
            return StepPlan(s, "done", "sent")
        if public and not pb.customer_visible:
            return StepPlan(s, "blocked", problem=pb.refuse_public_reason or "this SOP never copies the customer")
        if on_cs and c.cs is None:
            return StepPlan(s, "blocked", problem="no CS ticket is linked yet")
        target = c.cs.key if on_cs and c.cs else t.key
        return StepPlan(s, "todo", "", f"{'PUBLIC' if public else 'internal'} comment on {target}: {body[:90]}",
                        {"op": "comment", "body": body, "public": public, "key": target, "service_desk": not on_cs})
    if s.kind == "transition":
        target = str(s.params["to"])
        on = s.params.get("on", "ticket")
        if on == "cs":
            if c.cs is None:
                return StepPlan(s, "blocked", problem="no CS ticket is linked yet")
            cur = c.cs.status
            if cur.lower() == target.lower() or done.get("state") == "done":
                return StepPlan(s, "done" if done else "met", f"{c.cs.key}: {cur}")
            return StepPlan(s, "todo", f"{c.cs.key}: {cur}", f"{c.cs.key} status: → {target}",
                            {"op": "transition", "key": c.cs.key, "to": target, "resolution": s.params.get("resolution")})
        if on == "related":
            todo = [r for r in c.related if r.status.lower() != target.lower()]
            if not todo:
                return StepPlan(s, "met" if c.related else "skip", ", ".join(f"{r.key}: {r.status}" for r in c.related) or "none found")
            return StepPlan(s, "todo", ", ".join(f"{r.key}: {r.status}" for r in todo),
                            f"close {', '.join(r.key for r in todo)} as {s.params.get('resolution', target)}",
                            {"op": "transition_many", "keys": [r.key for r in todo], "to": target,
                             "resolution": s.params.get("resolution")})
        if t.status.lower() == target.lower():
            return StepPlan(s, "met", t.status)
        return StepPlan(s, "todo", t.status, f"status: → {target}" + (f" ({s.params['resolution']})" if s.params.get("resolution") else ""),
                        {"op": "transition", "key": t.key, "to": target, "resolution": s.params.get("resolution")})
    if s.kind == "create_cs":
        if c.cs is not None:
            return StepPlan(s, "met", f"{c.cs.key} [{c.cs.status}]")
        params = dict(s.params)
        customer = str(params.get("customer") or "")
        if m := re.fullmatch(r"\{form:(.+)\}", customer):  # the component from the ticket's form, when there
            params["customer"] = c.form_value(m.group(1)) or ""
        return StepPlan(s, "todo", "no CS ticket", "create the CS ticket (the form opens, filled in)",
                        {"op": "create_cs", "params": params})
    if s.kind == "link":
        unlinked = [r for r in c.related if not any(lk.key == t.key for lk in r.links)]
        if not c.related:
            return StepPlan(s, "skip", "no separate approval ticket found")
        if not unlinked:
            return StepPlan(s, "met", ", ".join(r.key for r in c.related))
        return StepPlan(s, "todo", "", f"link {', '.join(r.key for r in unlinked)} to {t.key} ({s.params.get('type', 'Relates')})",
                        {"op": "link", "keys": [r.key for r in unlinked], "type": s.params.get("type", "Relates")})
    if s.kind == "manual":
        if done.get("state") == "ticked":
            return StepPlan(s, "done", f"ticked by {done.get('by', '?')}")
        copy = {k: render_template(str(v), c) for k, v in (s.params.get("copy") or {}).items()}
        return StepPlan(s, "manual", "", "  ".join(f"{k}: {v}" for k, v in copy.items()) or "tick when done (space)",
                        {"op": "tick"})
    if s.kind == "wait":
        if condition(s.params["until"], c) or done.get("state") == "met":
            until = str(s.params["until"])
            return StepPlan(s, "met", f"{c.cs.key} is {c.cs.status}" if c.cs is not None and until.startswith("cs_") else "received")
        reminder = s.params.get("reminder_hours")
        note = ""
        if reminder and _hours_since(c, s.params.get("since_step", ""), float(reminder)):
            note = str(s.params.get("reminder", "overdue: follow up"))
        return StepPlan(s, "waiting", "", note or str(s.params.get("waiting_for", "waiting")))
    return StepPlan(s, "blocked", problem=f"unknown step kind {s.kind}")


def plan(pb: Playbook, c: Context) -> list[StepPlan]:
    """One line per step; a step after an unmet wait is held until the wait is over."""
    out: list[StepPlan] = []
    held = False
    for s in pb.steps:
        p = _plan_step(s, c, pb)
        if held and p.status in ("todo",):
            p = StepPlan(s, "waiting", p.current, "after the wait above", None)
        out.append(p)
        if s.kind == "wait" and p.status == "waiting":
            held = True
    return out


def remaining(plans: list[StepPlan]) -> list[StepPlan]:
    """What 'apply all' does: the actionable steps in order, up to the first wait."""
    out = []
    for p in plans:
        if p.status == "waiting":
            break
        if p.actionable and p.action is not None and p.action.get("op") not in ("tick", "create_cs"):
            out.append(p)
    return out
