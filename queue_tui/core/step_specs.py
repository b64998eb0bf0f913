"""The kinds of step a playbook file can name, each a frozen dataclass parsed from its TOML table.

Each spec has `KIND` (the `kind = "..."` of the file), `KEYS` (the settings it takes besides the
common ones) and `parse`, which refuses a missing or misspelt setting with `SpecError`; the
playbook parser (`queue_tui.core.playbook`) adds the file and line. Planning a spec is
`queue_tui.core.plan_steps`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self

from queue_tui.core.conditions import is_known
from queue_tui.core.due_rules import DueRule

FIELDS = ("assignee", "reporter", "organization", "request_type", "label", "channel", "needs_config", "priority")
FieldName = Literal["assignee", "reporter", "organization", "request_type", "label", "channel", "needs_config",
                    "priority"]
Target = Literal["ticket", "cs", "related"]


class SpecError(ValueError):
    """A step's settings are wrong: the message says which and why."""


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


def _copy(raw: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    copy = raw.get("copy") or {}
    if not isinstance(copy, dict):
        raise SpecError("'copy' must be a table of label = value")
    return tuple((str(k), str(v)) for k, v in copy.items())


@dataclass(frozen=True)
class _WatchersSpec:
    """The settings of a step that adds or removes watchers: the roles of the people."""

    KEYS: ClassVar[frozenset[str]] = frozenset({"people"})
    people: tuple[str, ...]

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Self:
        people = raw.get("people")
        if not isinstance(people, list) or not all(isinstance(p, str) for p in people):
            raise SpecError("'people' must be a list of role names")
        return cls(tuple(people))


@dataclass(frozen=True)
class AddWatchersSpec(_WatchersSpec):
    KIND: ClassVar[str] = "add_watchers"


@dataclass(frozen=True)
class RemoveWatchersSpec(_WatchersSpec):
    KIND: ClassVar[str] = "remove_watchers"


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
    """A comment from a template. `{@role}` mentions the person (Jira notifies them); with `ask`, the
    agent types a value first (a link, what is needed), put where the template says `{input}`."""

    KIND: ClassVar[str] = "comment"
    KEYS: ClassVar[frozenset[str]] = frozenset({"template", "visibility", "on", "ask"})
    template: str
    public: bool = False
    on: Literal["ticket", "cs"] = "ticket"
    ask: str = ""  # what the agent is asked for, e.g. "Link to the Aha! record"

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> CommentSpec:
        public = _choice(raw, "visibility", ("internal", "public"), "internal") == "public"
        on = _choice(raw, "on", ("ticket", "cs"), "ticket")
        ask = _str(raw, "ask", "")
        template = _str(raw, "template")
        if ask and "{input}" not in template:
            raise SpecError("a comment with 'ask' needs '{input}' in its template")
        return cls(template, public, "cs" if on == "cs" else "ticket", ask)


@dataclass(frozen=True)
class TransitionSpec:
    """A status change. `choices` (SOP word -> resolution) lets the agent pick how it closes (e in
    the panel); `resolution` is the one used until they do."""

    KIND: ClassVar[str] = "transition"
    KEYS: ClassVar[frozenset[str]] = frozenset({"to", "resolution", "on", "choices"})
    to: str
    resolution: str | None = None
    on: Target = "ticket"
    choices: tuple[tuple[str, str], ...] = ()  # (the SOP's word, the resolution it closes with)

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> TransitionSpec:
        on = _choice(raw, "on", ("ticket", "cs", "related"), "ticket")
        resolution = raw.get("resolution")
        if resolution is not None and not isinstance(resolution, str):
            raise SpecError("'resolution' must be a string")
        choices = raw.get("choices") or {}
        if not isinstance(choices, dict) or not all(isinstance(v, str) and v for v in choices.values()):
            raise SpecError("'choices' must be a table of the SOP's word = the resolution it closes with")
        if choices and resolution not in choices.values():
            raise SpecError("'resolution' must be one of the resolutions under 'choices'")
        return cls(_str(raw, "to"), resolution, "cs" if on == "cs" else "related" if on == "related" else "ticket",
                   tuple((str(k), str(v)) for k, v in choices.items()))


@dataclass(frozen=True)
class CreateCsSpec:
    KIND: ClassVar[str] = "create_cs"
    KEYS: ClassVar[frozenset[str]] = frozenset({"issue_type", "epic", "priority", "customer", "summary", "description",
                                                "due", "assignee_sop", "qa"})
    issue_type: str = ""
    epic: str = ""
    priority: str = ""
    customer: str = ""  # the component; "{form:Label}" takes it from the ticket's form
    summary: Literal["", "copy"] = ""
    description: Literal["", "form"] = ""
    due: DueRule | None = None  # `due = { due = "3bd", config = "2bd", qa = "3bd" }`: the SOP's own dates
    assignee_sop: str = ""  # the SOP the assignee is chosen by ("Assignee: Follow this SOP ...")
    qa: str = ""  # the QA assignee the SOP names (channel-partner-request.txt: "QA Assignee: Cherish Sharma")

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> CreateCsSpec:
        summary = _choice(raw, "summary", ("", "copy"), "")
        description = _choice(raw, "description", ("", "form"), "")
        due = raw.get("due")
        rule = None
        if due is not None:
            try:
                rule = DueRule(f"due {due['due']}, configuration {due['config']}, QA {due['qa']}",
                               str(due["due"]), str(due["config"]), str(due["qa"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise SpecError(f"'due' must be a table of due, config and qa (e.g. \"3bd\"): {exc}") from exc
        return cls(_str(raw, "issue_type", ""), _str(raw, "epic", ""), _str(raw, "priority", ""),
                   _str(raw, "customer", ""), "copy" if summary else "", "form" if description else "", rule,
                   _str(raw, "assignee_sop", ""), _str(raw, "qa", ""))


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
    KEYS: ClassVar[frozenset[str]] = frozenset({"copy", "done_when", "pick"})
    copy: tuple[tuple[str, str], ...] = ()  # label -> template of a value to copy elsewhere
    done_when: str = ""  # a condition Jira shows (e.g. a public reply sent): done without a tick
    pick: Literal["", "watcher"] = ""  # "watcher": `e` adds whoever the agent picks as a watcher, as often as needed

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> ManualSpec:
        done_when = _str(raw, "done_when", "")
        return cls(_copy(raw), _known(done_when, "done_when") if done_when else "",
                   "watcher" if _choice(raw, "pick", ("", "watcher"), "") else "")


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


@dataclass(frozen=True)
class ChoiceSpec:
    """A question the SOP leaves to the agent ("if this might need attention..."): the answer is kept
    on the ticket, and steps say `when = "chose:<this step>:<option>"`. No default: the agent answers."""

    KIND: ClassVar[str] = "choice"
    KEYS: ClassVar[frozenset[str]] = frozenset({"options"})
    options: tuple[tuple[str, str], ...]  # (option id, what the agent reads)

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> ChoiceSpec:
        options = raw.get("options")
        if not isinstance(options, dict) or len(options) < 2 or not all(isinstance(v, str) for v in options.values()):
            raise SpecError("'options' must be a table of at least two: option id = what the agent reads")
        return cls(tuple((str(k), str(v)) for k, v in options.items()))


@dataclass(frozen=True)
class ReminderSpec:
    """A follow-up that comes due `hours` after `since` was done ("slack David within 24 hours if we
    don't hear back"): a countdown until then, a manual step to tick once due, not needed once
    `unless` holds."""

    KIND: ClassVar[str] = "reminder"
    KEYS: ClassVar[frozenset[str]] = frozenset({"since", "hours", "unless", "copy"})
    since: str
    hours: float
    unless: str = ""
    copy: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> ReminderSpec:
        hours = raw.get("hours")
        if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
            raise SpecError("'hours' must be a positive number")
        unless = _str(raw, "unless", "")
        if unless:
            _known(unless.removeprefix("not "), "unless")
        return cls(_str(raw, "since"), float(hours), unless, _copy(raw))


@dataclass(frozen=True)
class UpdateCsSpec:
    """Bring the linked CS ticket (one the automation created) up to cs-ticket-creation.txt: its issue
    type, epic, the three due dates from its own filing, the QA assignee, the link to this ticket."""

    KIND: ClassVar[str] = "update_cs"
    KEYS: ClassVar[frozenset[str]] = frozenset({"issue_type", "epic", "qa", "due"})
    issue_type: str = ""
    epic: str = ""
    qa: str = "qa_assignee"  # the role
    due: bool = True

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> UpdateCsSpec:
        due = raw.get("due", True)
        if not isinstance(due, bool):
            raise SpecError("'due' must be true or false")
        return cls(_str(raw, "issue_type", ""), _str(raw, "epic", ""), _str(raw, "qa", "qa_assignee"), due)


StepSpec = (CheckSpec | SetFieldSpec | AddWatchersSpec | RemoveWatchersSpec | MoveStaffSpec | RemoveParticipantsSpec
            | CommentSpec | TransitionSpec | CreateCsSpec | LinkSpec | ManualSpec | WaitSpec | ChoiceSpec | ReminderSpec
            | UpdateCsSpec)
SPECS: dict[str, Any] = {s.KIND: s for s in (CheckSpec, SetFieldSpec, AddWatchersSpec, RemoveWatchersSpec, MoveStaffSpec,
                                             RemoveParticipantsSpec, CommentSpec, TransitionSpec, CreateCsSpec, LinkSpec,
                                             ManualSpec, WaitSpec, ChoiceSpec, ReminderSpec, UpdateCsSpec)}
KINDS = tuple(SPECS)
