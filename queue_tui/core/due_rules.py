"""The CS due-date rules of cs-ticket-creation.txt, as data a team can change.

Each rule names three offsets (due, configuration, QA) and when it applies. Offsets read
"24h" (weekday hours), "3bd" (business days) or "nbd" (next business day). The fastest rule that
applies wins, and the form shows its name. A playbook may bring its own offsets (channel
partner requests: due 3, configuration 2, QA 3 business days).

A rule follows facts (the CS issue type, a top-tier customer) or asks the agent: "a basic
onboarding", "a configuration error blocking jobs" are the agent's call, a choice on the `c` form.
Its keywords only suggest ticking it, with the sentence that does (`suggested_choices`); they
never apply a rule by themselves. An Onboarding issue type is not, by itself, a basic onboarding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from queue_tui.core.calendar import BusinessCalendar
from queue_tui.core.reading import sentences

_OFFSET = re.compile(r"^(nbd|\d+(?:\.\d+)?h|\d+bd)$")


def valid_offset(text: str) -> bool:
    return bool(_OFFSET.match(text.strip().lower()))


@dataclass(frozen=True)
class DueRule:
    name: str
    due: str
    config: str
    qa: str
    issue_types: tuple[str, ...] = ()  # applies to these CS issue types ("" = any)
    keywords: tuple[str, ...] = ()  # ...suggest the agent's choice when the SS ticket mentions one of these
    top_tier: bool = False  # applies to priority installers only
    except_issue_types: tuple[str, ...] = ()
    choice: str = ""  # the agent's yes/no on the form that applies it (a rule with keywords always asks)

    def __post_init__(self) -> None:
        for label, off in (("due", self.due), ("config", self.config), ("qa", self.qa)):
            if not valid_offset(off):
                raise ValueError(f"due rule '{self.name}': {label} offset '{off}' is not like 24h, 3bd or nbd")

    @property
    def question(self) -> str:
        """The id of the choice that applies this rule; "" when facts alone decide."""
        return self.choice or (self.name if self.keywords else "")

    def applies(self, issue_type: str, top_tier: bool, chosen: frozenset[str] = frozenset()) -> bool:
        if issue_type in self.except_issue_types:
            return False
        if self.top_tier:
            return top_tier
        if issue_type in self.issue_types:
            return True
        if self.question:
            return self.question in chosen
        return not self.issue_types


STANDARD = DueRule("Standard: due 3 business days, configuration 24 h, QA 48 h (weekends excluded)", "72h", "24h", "48h")

DEFAULT_RULES: tuple[DueRule, ...] = (
    STANDARD,
    DueRule("Integrated financing: 24 h for all three (weekends excluded)", "24h", "24h", "24h",
            issue_types=("Int Fin",)),
    DueRule("Basic onboarding: 24 h for all three (weekends excluded)", "24h", "24h", "24h",
            keywords=("basic onboarding", "basic account setup", "standard onboarding"), choice="basic_onboarding"),
    DueRule("Configuration error blocking jobs: 24 h for all three (weekends excluded)", "24h", "24h", "24h",
            keywords=("blocking jobs", "blocks jobs", "jobs are blocked", "can't submit jobs", "cannot submit jobs"),
            choice="blocking_jobs"),
    DueRule("Top-tier customer: next business day (documents excepted)", "nbd", "nbd", "nbd",
            top_tier=True, except_issue_types=("Doc",)),
)


@dataclass(frozen=True)
class DueDates:
    due: datetime
    config: datetime
    qa: datetime
    rule: str


def apply_offset(cal: BusinessCalendar, start: datetime, offset: str) -> datetime:
    off = offset.strip().lower()
    if off == "nbd":
        return cal.next_business_day(start)
    if off.endswith("bd"):
        return cal.add_days(start, int(off[:-2]))
    return cal.add_hours(start, float(off[:-1]))


def compute(rule: DueRule, cal: BusinessCalendar, filed: datetime) -> DueDates:
    return DueDates(apply_offset(cal, filed, rule.due), apply_offset(cal, filed, rule.config),
                    apply_offset(cal, filed, rule.qa), rule.name)


def due_dates(cal: BusinessCalendar, filed: datetime, issue_type: str, top_tier: bool,
              rules: tuple[DueRule, ...] = DEFAULT_RULES, playbook_rule: DueRule | None = None,
              chosen: frozenset[str] = frozenset()) -> DueDates:
    """The dates for a CS ticket filed at `filed`: the playbook's own rule, else the fastest that
    applies; `chosen`: the choices the agent ticked on the form (a basic onboarding, ...)."""
    if playbook_rule is not None:
        return compute(playbook_rule, cal, filed)
    candidates = [compute(r, cal, filed) for r in rules if r.applies(issue_type, top_tier, chosen)]
    if not candidates:
        candidates = [compute(STANDARD, cal, filed)]
    return min(candidates, key=lambda d: (cal.due_date(d.due), d.due))


def choices(rules: tuple[DueRule, ...]) -> list[DueRule]:
    """The rules the form asks about, one choice each."""
    seen: dict[str, DueRule] = {}
    for r in rules:
        if r.question:
            seen.setdefault(r.question, r)
    return list(seen.values())


def suggested_choices(rules: tuple[DueRule, ...], text: str) -> dict[str, str]:
    """Choice id -> the sentence of the SS ticket that suggests ticking it (its rule's keywords)."""
    out: dict[str, str] = {}
    for r in choices(rules):
        for s in sentences(text):
            low = s.text.lower()
            if any(k.lower() in low for k in r.keywords):
                out[r.question] = s.text
                break
    return out


def field_value(moment: datetime, kind: str, cal: BusinessCalendar) -> str:
    """A deadline written the way its Jira field takes it: 'date' or 'datetime'."""
    if kind == "datetime":
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    return cal.due_date(moment).isoformat()


def _texts(value: object) -> tuple[str, ...]:
    """A list of words from config (absent or empty: none)."""
    return tuple(str(x) for x in value) if isinstance(value, list | tuple) else ()


def rules_from_data(rows: list[dict[str, object]]) -> tuple[DueRule, ...]:
    """Rules from config (`[[due_rules]]` tables); ValueError names the bad one."""
    out = []
    for n, row in enumerate(rows, start=1):
        try:
            out.append(DueRule(
                name=str(row["name"]), due=str(row["due"]), config=str(row["config"]), qa=str(row["qa"]),
                issue_types=_texts(row.get("issue_types")),
                keywords=tuple(x.lower() for x in _texts(row.get("keywords"))),
                top_tier=bool(row.get("top_tier", False)),
                except_issue_types=_texts(row.get("except_issue_types")),
                choice=str(row.get("choice") or ""),
            ))
        except KeyError as exc:
            raise ValueError(f"due_rules[{n}]: missing '{exc.args[0]}'") from exc
    return tuple(out)
