"""SOP playbooks as data: one TOML text per SOP, parsed into typed steps, and matched to a ticket.

Adding an SOP means adding a file (read by `queue_tui.service.playbooks`); this module parses
its text. Each step kind is a frozen dataclass (`SetFieldSpec`, `CommentSpec`, ...) built by its
`parse` from the step's TOML table, so a misspelt setting or kind is refused with the file, line
and problem. Planning a step is `queue_tui.core.plan`; its writes are `queue_tui.core.ops`.

Routes: a playbook may list, under `[[routes]]`, what an SOP says to do for one request type
(assign to a role, an internal comment that mentions someone, a CS ticket, a link to record...).
A route is a step with `type` (the SOP request type or types it belongs to): the panel shows the
routes of the ticket's request type, each ready on one key, and apply-all never takes one (which
route fits is the agent's call). Any step may be `optional` the same way.

Triage essentials: the fallback playbook may list under `essentials` the ids of its steps every
ticket begins with (queue-triage-and-request-types.txt: "First update the essential ticket fields").
`choose` puts them first in whichever playbook matches, minus those the playbook covers itself (a
step with the same id, the same field set, or its own rule for participants), so a specific SOP
keeps its own word on a field (onboarding's reporter) and gains the ones it does not mention.

Adding a step kind: a spec dataclass in `queue_tui.core.step_specs` with `KIND` and `parse`, a
member of `StepSpec`, and its planner in `queue_tui.core.plan_steps`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

from queue_tui.core.conditions import is_judged, is_known
from queue_tui.core.due_rules import DueRule
from queue_tui.core.models import Ticket
from queue_tui.core.step_specs import (
    FIELDS,
    KINDS,
    SPECS,
    AddWatchersSpec,
    CheckSpec,
    ChoiceSpec,
    CommentSpec,
    CreateCsSpec,
    FieldName,
    LinkSpec,
    ManualSpec,
    MoveStaffSpec,
    ReminderSpec,
    RemoveParticipantsSpec,
    RemoveWatchersSpec,
    SetFieldSpec,
    SpecError,
    StepSpec,
    Target,
    TransitionSpec,
    UpdateCsSpec,
    WaitSpec,
)

__all__ = ["FIELDS", "KINDS", "SPECS", "AddWatchersSpec", "CheckSpec", "ChoiceSpec", "CommentSpec", "CreateCsSpec",
           "FieldName", "LinkSpec", "ManualSpec", "Match", "MoveStaffSpec", "Playbook", "PlaybookError", "ReminderSpec",
           "RemoveParticipantsSpec", "RemoveWatchersSpec", "SetFieldSpec", "SpecError", "Step", "StepSpec", "Target",
           "TransitionSpec", "UpdateCsSpec", "WaitSpec", "choose", "parse_playbook", "with_essentials"]


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


_STEP_KEYS = ("id", "kind", "title", "says", "when", "after", "optional", "source")
_ROUTE_KEYS = ("type",)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    says: str  # the SOP's own words
    spec: StepSpec
    when: str | None = None  # a condition; "not <condition>" negates
    after: tuple[str, ...] = ()  # steps that must be done (or met) before this one
    line: int = 0
    optional: bool = False  # one the agent takes when it fits: never part of apply-all
    for_types: tuple[str, ...] = ()  # a route: shown only for tickets of these SOP request types
    source: str = ""  # the SOP file its words come from, when not the playbook's own

    @property
    def kind(self) -> str:
        return self.spec.KIND

    @property
    def answer(self) -> tuple[str, str] | None:
        """(choice step, option) when the step is for one answer of the agent's at an earlier choice
        step (`when = "chose:<step>:<option>"`); None for any other step."""
        return chosen_answer(self.when)


def chosen_answer(when: str | None) -> tuple[str, str] | None:
    """The (choice step, option) a `chose:<step>:<option>` condition names; None for another condition."""
    if not when or not when.startswith("chose:"):
        return None
    _, step_id, option = (when.split(":", 2) + ["", ""])[:3]
    return step_id, option


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
    essentials: tuple[str, ...] = ()  # ids of steps every ticket's panel begins with (the fallback's)
    # condition read from text -> why it holds on every ticket of this SOP (the SOP says so): a step
    # that runs on it is a plain to-do here, not a suggestion for the agent to confirm
    facts: tuple[tuple[str, str], ...] = ()

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def fact(self, condition: str) -> tuple[bool, str] | None:
        """Whether `condition` ("not x" negates) holds by this SOP's own word, and why; None: read it."""
        base = condition.removeprefix("not ")
        why = dict(self.facts).get(base)
        return None if why is None else (not condition.startswith("not "), why)

    def cs_step(self) -> CreateCsSpec | None:
        """The playbook's own CS ticket rules, when it has a CS step (not a route's)."""
        return next((s.spec for s in self.steps if isinstance(s.spec, CreateCsSpec) and not s.for_types), None)

    def routes(self, sop_type: str) -> tuple[Step, ...]:
        """The routes the SOPs give for one request type, in the file's order."""
        low = sop_type.lower()
        return tuple(s for s in self.steps if any(t.lower() == low for t in s.for_types))


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
    unknown = set(data) - {"id", "name", "sop", "description", "match", "steps", "routes", "rank", "due",
                           "customer_visible", "refuse_public_reason", "essentials", "facts"}
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
    raw_routes = data.get("routes", [])
    if not isinstance(raw_routes, list):
        raise fail("'routes' must be [[routes]] tables", _line_of(text, "routes"))
    route_line = 1
    for n, raw in enumerate(raw_routes, start=len(steps) + 1):
        route_line = _line_of(text, "[[routes]]", route_line + (1 if route_line > 1 else 0))
        if not isinstance(raw, dict):
            raise fail(f"route {n} is not a table", route_line)
        steps.append(_parse_route(n, raw, steps, text, route_line, fail))
    due_rule = None
    if "due" in data:
        d = data["due"]
        try:
            due_rule = DueRule(f"{data['name']}: due {d['due']}, configuration {d['config']}, QA {d['qa']}",
                               str(d["due"]), str(d["config"]), str(d["qa"]))
        except (KeyError, ValueError, TypeError) as exc:
            raise fail(f"due: {exc}", _line_of(text, "[due]")) from exc
    essentials = data.get("essentials", [])
    own = {s.id for s in steps if not s.for_types}
    if not isinstance(essentials, list) or any(e not in own for e in essentials):
        raise fail("'essentials' must list ids of this playbook's [[steps]]", _line_of(text, "essentials"))
    facts = data.get("facts", {})
    if not isinstance(facts, dict):
        raise fail("'facts' must be a table: condition = \"why the SOP makes it so\"", _line_of(text, "facts"))
    for cond, why in facts.items():
        if not is_judged(cond) or cond.startswith("not "):
            raise fail(f"facts: '{cond}' is not a condition read from text", _line_of(text, cond))
        if not isinstance(why, str) or not why.strip():
            raise fail(f"facts: '{cond}' needs the reason the SOP gives (a non-empty string)", _line_of(text, cond))
    return Playbook(str(data["id"]), str(data["name"]), str(data.get("sop", "")), str(data.get("description", "")),
                    match, tuple(steps), source, int(data.get("rank", 50)), due_rule,
                    bool(data.get("customer_visible", True)), str(data.get("refuse_public_reason", "")),
                    tuple(str(e) for e in essentials), tuple((str(k), str(v)) for k, v in facts.items()))


def _parse_step(n: int, raw: dict[str, Any], before: list[Step], text: str, line: int,
                fail: Callable[[str, int], PlaybookError], extra_keys: tuple[str, ...] = ()) -> Step:
    kind = raw.get("kind")
    if kind not in SPECS:
        raise fail(f"step {n}: kind '{kind}' is not one of {', '.join(KINDS)}", _line_of(text, "kind", line))
    sid = str(raw.get("id") or f"step{n}")
    if any(s.id == sid for s in before):
        raise fail(f"step {n}: id '{sid}' is used twice", _line_of(text, "id", line))
    extra = sorted(set(raw) - set(_STEP_KEYS) - set(extra_keys) - SPECS[str(kind)].KEYS)
    if extra:
        raise fail(f"step {n} ({sid}): unknown setting '{extra[0]}' for a {kind} step", _line_of(text, extra[0], line))
    try:
        spec = SPECS[str(kind)].parse(raw)
    except SpecError as exc:
        raise fail(f"step {n} ({sid}): {exc}", line) from exc
    when = raw.get("when")
    if when is not None and not _known_when(str(when), before):
        raise fail(f"step {n} ({sid}): unknown condition '{when}'", _line_of(text, "when", line))
    after = raw.get("after", [])
    if not isinstance(after, list) or any(a not in {s.id for s in before} for a in after):
        raise fail(f"step {n} ({sid}): 'after' must list ids of earlier steps", _line_of(text, "after", line))
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        raise fail(f"step {n} ({sid}): 'optional' must be true or false", _line_of(text, "optional", line))
    return Step(sid, str(raw.get("title") or sid.replace("_", " ").capitalize()), str(raw.get("says") or ""), spec,
                str(when) if when is not None else None, tuple(str(a) for a in after), line, optional,
                source=str(raw.get("source") or ""))


def _parse_route(n: int, raw: dict[str, Any], before: list[Step], text: str, line: int,
                 fail: Callable[[str, int], PlaybookError]) -> Step:
    """A `[[routes]]` table: a step for tickets of the request types under `type`, always optional."""
    types = raw.get("type")
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, list) or not types or not all(isinstance(t, str) and t.strip() for t in types):
        raise fail(f"route {n}: 'type' is required (a request type, or a list of them)", _line_of(text, "type", line))
    step = _parse_step(n, {k: v for k, v in raw.items() if k != "type"}, before, text, line, fail)
    return Step(step.id, step.title, step.says, step.spec, step.when, step.after, step.line, True,
                tuple(str(t) for t in types), step.source)


def _known_when(when: str, before: list[Step]) -> bool:
    """A condition the engine knows, or `chose:<step>:<option>` naming an earlier choice step and one of its options."""
    answer = chosen_answer(when)
    if answer is not None:
        sid, option = answer
        step = next((s for s in before if s.id == sid), None)
        return step is not None and isinstance(step.spec, ChoiceSpec) and option in dict(step.spec.options)
    return is_known(when.removeprefix("not "))


def choose(books: Mapping[str, Playbook], t: Ticket) -> tuple[Playbook, str] | None:
    """The playbook for a ticket and why: a specific match first (by rank), the fallback last."""
    hits = [(pb.rank, pb.id, pb, reason) for pb in books.values() if (reason := pb.match.reason(t)) is not None]
    if not hits:
        return None
    hits.sort(key=lambda h: (h[3] == "applies to every ticket", h[0], h[1]))
    return with_essentials(books, hits[0][2]), hits[0][3]


_PARTICIPANT_KINDS = frozenset({MoveStaffSpec.KIND, RemoveParticipantsSpec.KIND})


def _covers(own: Step, essential: Step) -> bool:
    """Whether a playbook's own step already says what the SOP wants of this essential step."""
    if own.for_types:
        return False
    if own.id == essential.id:
        return True
    if isinstance(own.spec, SetFieldSpec) and isinstance(essential.spec, SetFieldSpec):
        return own.spec.field == essential.spec.field
    return own.kind in _PARTICIPANT_KINDS and essential.kind in _PARTICIPANT_KINDS


def with_essentials(books: Mapping[str, Playbook], pb: Playbook) -> Playbook:
    """`pb` beginning with the triage essentials it does not cover itself, in the SOP's order."""
    extra: list[Step] = []
    for base in books.values():
        if base.id == pb.id or not base.match.fallback:
            continue
        for sid in base.essentials:
            step = base.step(sid)
            if step is not None and not any(_covers(s, step) for s in pb.steps) and all(e.id != sid for e in extra):
                extra.append(replace(step, source=step.source or base.sop))
    if not extra:
        return pb
    return replace(pb, steps=(*extra, *pb.steps))
