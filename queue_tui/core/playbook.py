"""SOP playbooks as data: one TOML text per SOP, parsed into typed steps, and matched to a ticket.

Adding an SOP means adding a file (read by `queue_tui.service.playbooks`); this module parses
its text. Each step kind is a frozen dataclass (`SetFieldSpec`, `CommentSpec`, ...) built by its
`parse` from the step's TOML table, so a misspelt setting or kind is refused with the file, line
and problem. Planning a step is `queue_tui.core.plan`; its writes are `queue_tui.core.ops`.

Adding a step kind: a spec dataclass here with `KIND` and `parse`, a member of `StepSpec`, and
its planner in `queue_tui.core.plan_steps`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, ClassVar, Literal

from queue_tui.core.conditions import is_known
from queue_tui.core.due_rules import DueRule
from queue_tui.core.models import Ticket

FIELDS = ("assignee", "reporter", "organization", "request_type", "label", "channel", "needs_config", "priority")
FieldName = Literal["assignee", "reporter", "organization", "request_type", "label", "channel", "needs_config",
                    "priority"]
Target = Literal["ticket", "cs", "related"]


class PlaybookError(ValueError):
    """A malformed playbook file: the message names the file, line and problem."""


class SpecError(ValueError):
    """A step's settings are wrong: the message says which and why."""


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


# -- step kinds ------------------------------------------------------------------------------
def _str(raw: Mapping[str, Any], name: str, default: str | None = None) -> str:
    value = raw.get(name, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise SpecError(f"'{name}' is required (a string)" if name not in raw else f"'{name}' must be a string")
    return value


def _choice(raw: Mapping[str, Any], name: str, options: tuple[str, ...], default: str) -> str:
    value = raw.get(name, default)
    if value not in options:
        raise SpecError(f"'{name}' must be one of {', '.join(options)}")
    return str(value)


def _known(name: str, what: str) -> str:
    if not is_known(name):
        raise SpecError(f"'{what}' must be a known condition, not '{name}'")
    return name


@dataclass(frozen=True)
class CheckSpec:
    KIND: ClassVar[str] = "check"
    KEYS: ClassVar[frozenset[str]] = frozenset({"condition", "fix"})
    condition: str
    fix: str = "needs the agent's attention"

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> CheckSpec:
        return cls(_known(_str(raw, "condition"), "condition"), _str(raw, "fix", cls.fix))


@dataclass(frozen=True)
class SetFieldSpec:
    KIND: ClassVar[str] = "set_field"
    KEYS: ClassVar[frozenset[str]] = frozenset({"field", "value"})
    field: FieldName
    value: str

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> SetFieldSpec:
        fld = raw.get("field")
        if fld not in FIELDS:
            raise SpecError(f"field '{fld}' is not one of {', '.join(FIELDS)}")
        if "value" not in raw:
            raise SpecError("'value' is required")
        return cls(fld, str(raw["value"]))


def _people(raw: Mapping[str, Any]) -> tuple[str, ...]:
    people = raw.get("people")
    if not isinstance(people, list) or not all(isinstance(p, str) for p in people):
        raise SpecError("'people' must be a list of role names")
    return tuple(people)


@dataclass(frozen=True)
class AddWatchersSpec:
    KIND: ClassVar[str] = "add_watchers"
    KEYS: ClassVar[frozenset[str]] = frozenset({"people"})
    people: tuple[str, ...]

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> AddWatchersSpec:
        return cls(_people(raw))


@dataclass(frozen=True)
class RemoveWatchersSpec:
    KIND: ClassVar[str] = "remove_watchers"
    KEYS: ClassVar[frozenset[str]] = frozenset({"people"})
    people: tuple[str, ...]

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> RemoveWatchersSpec:
        return cls(_people(raw))


@dataclass(frozen=True)
class MoveStaffSpec:
    KIND: ClassVar[str] = "move_staff_to_watchers"
    KEYS: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> MoveStaffSpec:
        return cls()


@dataclass(frozen=True)
class RemoveParticipantsSpec:
    KIND: ClassVar[str] = "remove_participants"
    KEYS: ClassVar[frozenset[str]] = frozenset({"which"})
    which: Literal["all", "staff"] = "all"

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> RemoveParticipantsSpec:
        return cls("staff" if _choice(raw, "which", ("all", "staff"), "all") == "staff" else "all")


@dataclass(frozen=True)
class CommentSpec:
    KIND: ClassVar[str] = "comment"
    KEYS: ClassVar[frozenset[str]] = frozenset({"template", "visibility", "on"})
    template: str
    public: bool = False
    on: Literal["ticket", "cs"] = "ticket"

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> CommentSpec:
        public = _choice(raw, "visibility", ("internal", "public"), "internal") == "public"
        on = _choice(raw, "on", ("ticket", "cs"), "ticket")
        return cls(_str(raw, "template"), public, "cs" if on == "cs" else "ticket")


@dataclass(frozen=True)
class TransitionSpec:
    KIND: ClassVar[str] = "transition"
    KEYS: ClassVar[frozenset[str]] = frozenset({"to", "resolution", "on"})
    to: str
    resolution: str | None = None
    on: Target = "ticket"

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> TransitionSpec:
        on = _choice(raw, "on", ("ticket", "cs", "related"), "ticket")
        resolution = raw.get("resolution")
        if resolution is not None and not isinstance(resolution, str):
            raise SpecError("'resolution' must be a string")
        return cls(_str(raw, "to"), resolution, "cs" if on == "cs" else "related" if on == "related" else "ticket")


@dataclass(frozen=True)
class CreateCsSpec:
    KIND: ClassVar[str] = "create_cs"
    KEYS: ClassVar[frozenset[str]] = frozenset({"issue_type", "epic", "priority", "customer", "summary", "description"})
    issue_type: str = ""
    epic: str = ""
    priority: str = ""
    customer: str = ""  # the component; "{form:Label}" takes it from the ticket's form
    summary: Literal["", "copy"] = ""
    description: Literal["", "form"] = ""

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> CreateCsSpec:
        summary = _choice(raw, "summary", ("", "copy"), "")
        description = _choice(raw, "description", ("", "form"), "")
        return cls(_str(raw, "issue_type", ""), _str(raw, "epic", ""), _str(raw, "priority", ""),
                   _str(raw, "customer", ""), "copy" if summary else "", "form" if description else "")


@dataclass(frozen=True)
class LinkSpec:
    KIND: ClassVar[str] = "link"
    KEYS: ClassVar[frozenset[str]] = frozenset({"target", "type"})
    target: Literal["approval_tickets"] = "approval_tickets"
    link_type: str = "Relates"

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> LinkSpec:
        _choice(raw, "target", ("approval_tickets",), "")
        return cls("approval_tickets", _str(raw, "type", "Relates"))


@dataclass(frozen=True)
class ManualSpec:
    KIND: ClassVar[str] = "manual"
    KEYS: ClassVar[frozenset[str]] = frozenset({"copy"})
    copy: tuple[tuple[str, str], ...] = ()  # label -> template of a value to copy elsewhere

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> ManualSpec:
        copy = raw.get("copy") or {}
        if not isinstance(copy, dict):
            raise SpecError("'copy' must be a table of label = value")
        return cls(tuple((str(k), str(v)) for k, v in copy.items()))


@dataclass(frozen=True)
class WaitSpec:
    KIND: ClassVar[str] = "wait"
    KEYS: ClassVar[frozenset[str]] = frozenset({"until", "waiting_for", "reminder_hours", "since_step", "reminder"})
    until: str
    waiting_for: str = "waiting"
    reminder_hours: float | None = None
    since_step: str = ""
    reminder: str = "overdue: follow up"

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> WaitSpec:
        hours = raw.get("reminder_hours")
        if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int | float)):
            raise SpecError("'reminder_hours' must be a number")
        return cls(_known(str(raw.get("until")), "until"), _str(raw, "waiting_for", cls.waiting_for),
                   float(hours) if hours is not None else None, _str(raw, "since_step", ""),
                   _str(raw, "reminder", cls.reminder))


StepSpec = (CheckSpec | SetFieldSpec | AddWatchersSpec | RemoveWatchersSpec | MoveStaffSpec | RemoveParticipantsSpec
            | CommentSpec | TransitionSpec | CreateCsSpec | LinkSpec | ManualSpec | WaitSpec)
SPECS: dict[str, Any] = {s.KIND: s for s in (CheckSpec, SetFieldSpec, AddWatchersSpec, RemoveWatchersSpec, MoveStaffSpec,
                                             RemoveParticipantsSpec, CommentSpec, TransitionSpec, CreateCsSpec, LinkSpec,
                                             ManualSpec, WaitSpec)}
KINDS = tuple(SPECS)
_STEP_KEYS = ("id", "kind", "title", "says", "when", "after")
@dataclass(frozen=True)
class Step:
    id: str
    title: str
    says: str  # the SOP's own words
    spec: StepSpec
    when: str | None = None  # a condition; "not <condition>" negates
    after: tuple[str, ...] = ()  # steps that must be done (or met) before this one
    line: int = 0

    @property
    def kind(self) -> str:
        return self.spec.KIND


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

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def cs_step(self) -> CreateCsSpec | None:
        """The playbook's own CS ticket rules, when it has a CS step."""
        return next((s.spec for s in self.steps if isinstance(s.spec, CreateCsSpec)), None)


# -- parsing ---------------------------------------------------------------------------------
def _line_of(text: str, needle: str, start: int = 1) -> int:
    lines = text.splitlines()
    for n in range(max(start, 1), len(lines) + 1):
        if needle in lines[n - 1]:
            return n
    return start


def parse_playbook(text: str, source: str) -> Playbook:
    """A playbook from its TOML text.

    Raises PlaybookError naming the file (the last part of `source`), the line and the problem.
    """
    name = PurePath(source).name
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
    steps: list[Step] = []
    step_line = 1
    for n, raw in enumerate(raw_steps, start=1):
        step_line = _line_of(text, "[[steps]]", step_line + (1 if n > 1 else 0))
        if not isinstance(raw, dict):
            raise fail(f"step {n} is not a table", step_line)
        steps.append(_parse_step(n, raw, steps, text, step_line, fail))
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


def _parse_step(n: int, raw: dict[str, Any], before: list[Step], text: str, line: int,
                fail: Callable[[str, int], PlaybookError]) -> Step:
    kind = raw.get("kind")
    if kind not in SPECS:
        raise fail(f"step {n}: kind '{kind}' is not one of {', '.join(KINDS)}", _line_of(text, "kind", line))
    sid = str(raw.get("id") or f"step{n}")
    if any(s.id == sid for s in before):
        raise fail(f"step {n}: id '{sid}' is used twice", _line_of(text, "id", line))
    extra = sorted(set(raw) - set(_STEP_KEYS) - SPECS[str(kind)].KEYS)
    if extra:
        raise fail(f"step {n} ({sid}): unknown setting '{extra[0]}' for a {kind} step", _line_of(text, extra[0], line))
    try:
        spec = SPECS[str(kind)].parse(raw)
    except SpecError as exc:
        raise fail(f"step {n} ({sid}): {exc}", line) from exc
    when = raw.get("when")
    if when is not None and not is_known(str(when).removeprefix("not ")):
        raise fail(f"step {n} ({sid}): unknown condition '{when}'", _line_of(text, "when", line))
    after = raw.get("after", [])
    if not isinstance(after, list) or any(a not in {s.id for s in before} for a in after):
        raise fail(f"step {n} ({sid}): 'after' must list ids of earlier steps", _line_of(text, "after", line))
    return Step(sid, str(raw.get("title") or sid.replace("_", " ").capitalize()), str(raw.get("says") or ""), spec,
                str(when) if when is not None else None, tuple(str(a) for a in after), line)


def choose(books: Mapping[str, Playbook], t: Ticket) -> tuple[Playbook, str] | None:
    """The playbook for a ticket and why: a specific match first (by rank), the fallback last."""
    hits = [(pb.rank, pb.id, pb, reason) for pb in books.values() if (reason := pb.match.reason(t)) is not None]
    if not hits:
        return None
    hits.sort(key=lambda h: (h[3] == "applies to every ticket", h[0], h[1]))
    return hits[0][2], hits[0][3]
