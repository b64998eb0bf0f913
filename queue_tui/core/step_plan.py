"""One planned step: its status, what is there now, the change, the typed operation that makes it,
and what the agent needs to judge it (the evidence of a suggestion, the colleague whose value a
change would replace). Also the pieces every step planner shares: templates and people by role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from queue_tui.core.context import Change, Context
from queue_tui.core.judgement import Judgement
from queue_tui.core.models import Person
from queue_tui.core.ops import Op, Write
from queue_tui.core.playbook import Step
from queue_tui.core.roles import falls_back_to_anonymous


class StepStatus(StrEnum):
    MET = "met"  # the ticket already is as the SOP wants
    DONE = "done"  # done by a playbook run (or ticked)
    TODO = "todo"  # a change the app can make: part of apply-all
    SUGGESTED = "suggested"  # read from what a person wrote: applied only when the agent confirms it
    DECIDE = "decide"  # would replace a value someone else set: only on the agent's explicit confirm
    MANUAL = "manual"  # done by the agent outside the app, then ticked
    WAITING = "waiting"  # on someone else, or on an earlier step
    BLOCKED = "blocked"  # cannot be done as things are (the problem says why)
    SKIP = "skip"  # does not apply to this ticket
    OPTION = "option"  # a route or optional step, ready on one key when it fits: never part of apply-all

    @property
    def settled(self) -> bool:
        """Nothing left to do on this step."""
        return self in (StepStatus.MET, StepStatus.DONE, StepStatus.SKIP)


@dataclass(frozen=True)
class StepPlan:
    step: Step
    status: StepStatus
    current: str = ""
    change: str = ""
    op: Op | None = None
    problem: str = ""
    evidence: Judgement | None = None  # SUGGESTED: the words the suggestion rests on
    colleague: Person | None = None  # DECIDE: whose value would be replaced (None: Jira does not say)
    setter: Change | None = None  # DECIDE: the changelog's latest change of the field, when Jira says
    came_with: bool = False  # DECIDE: Jira's changelog shows nobody changed the field since the ticket was made
    due_at: datetime | None = None  # a reminder: when it comes due (the panel counts down to it)
    held_by: tuple[str, ...] = ()  # WAITING on these earlier steps (`after`): apply-all may take it right after them
    stand_in: str = ""  # what the site stands in with for a setting nobody made: said wherever the writes are listed

    @property
    def actionable(self) -> bool:
        """Part of apply-all: a change the app makes without asking."""
        return self.status == StepStatus.TODO and self.op is not None

    def writes(self) -> tuple[Write, ...]:
        return self.op.writes(self.current) if self.op is not None else ()

    def whose(self) -> str:
        """DECIDE: whose value would be replaced, as the confirm names it."""
        at = f"{self.setter.at:%Y-%m-%d %H:%M}" if self.setter is not None else ""
        if self.colleague is not None:
            return f"{self.colleague.name}'s value" + (f", set {at}" if at else "")
        if at:
            return f"a value set on {at} (Jira does not say by whom)"
        if self.came_with:
            return "the value the ticket came with"
        return "a value already set (Jira does not say by whom)"


def replacing(s: Step, c: Context, fld: str, current: str, change: str, op: Op, holder: Person | None = None) -> StepPlan:
    """A change that would replace a value already there: the agent decides, unless it is theirs.

    `holder` is whoever the value is (an assignee); otherwise the colleague is whoever Jira's changelog
    says set the field last, unknown when Jira does not say. A value I set last is mine to change; so is
    one the ticket came with (the changelog shows no change) when the SOP states the step without a
    condition read from text (none, or the agent's own answer): a plain to-do naming the old value.
    """
    setter = c.history.get(fld) if c.history is not None else None
    colleague = holder if holder is not None else (setter.by if setter is not None else None)
    if c.is_me(colleague):
        return StepPlan(s, StepStatus.TODO, current, change, op)
    came_with = holder is None and c.history is not None and setter is None
    if came_with and (s.when is None or s.answer is not None):
        # Nobody changed it since the ticket was made: no colleague's work to keep, and the SOP says to set it.
        return StepPlan(s, StepStatus.TODO, current, f"{change} (replaces {current}, the value the ticket came with)", op)
    plan = StepPlan(s, StepStatus.DECIDE, current, change, op, colleague=colleague, setter=setter,
                    came_with=came_with)
    return replace(plan, problem=f"would replace {plan.whose()}: not part of apply-all; g to decide")


# Template placeholders filled from the ticket; any other `{name}` is a role from [roster].
TICKET_VALUES = frozenset({"key", "summary", "org", "installer", "reporter", "me", "cs_key", "account_manager",
                           "input"})  # `input`: what the agent types for a step that asks


def render_template(template: str, c: Context) -> str:
    t = c.ticket
    am = account_manager(c)
    values = {
        "key": t.key, "summary": t.summary, "org": c.ticket_org() or c.form_value("Installer name") or "the customer",
        "installer": c.form_value("Installer name") or c.ticket_org() or "the installer",
        "reporter": t.reporter.name if t.reporter else "there", "me": c.me.name,
        "cs_key": c.cs.key if c.cs else "the CS ticket",
        "account_manager": am.name if am else "the account manager",
    }
    for role, p in c.people.items():
        values[role] = p.name if p else f"[{role}]"
    if c.anonymous is not None:  # what the desk's anonymous customer stands in for reads as its name
        values.update({r: c.anonymous.name for r in re.findall(r"\{(\w+)\}", template) if stands_in(r, c)})

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("form:"):
            return c.form_value(name[5:]) or f"[{name[5:]} not in the form]"
        return str(values.get(name, m.group(0)))

    return re.sub(r"\{([\w:][\w: ]*)\}", sub, template)


def account_manager(c: Context) -> Person | None:
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
    """A person from 'me', 'account_manager', 'cs_assignee' or a role name; (None, why) when it cannot be, saying
    exactly what to set and where. An unmapped reporter role falls back to the desk's anonymous
    customer (`stands_in`)."""
    if ref == "me":
        return c.me, ""
    if ref == "account_manager":
        am = account_manager(c)
        org = c.ticket_org() or c.form_value("Installer name") or "Organization"
        return (am, "") if am else (None, f"no account manager is known for {org}: add \"{org}\" = \"Name or email\" "
                                          f"under [account_managers] {c.config_where}")
    if ref == "cs_assignee":  # whoever holds the CS ticket; before anyone does, the configuration team's default
        if c.cs is not None and c.cs.assignee is not None:
            return c.cs.assignee, ""
        return resolve_person("config_assignee", c)
    if ref not in c.people:
        if stands_in(ref, c):
            return c.anonymous, ""
        instead = "; this desk has no anonymous customer to stand in" if falls_back_to_anonymous(ref) else ""
        return None, f"role {ref} is not mapped: add {ref} = \"Name or email\" under [roster] {c.config_where}{instead}"
    p = c.people[ref]
    return (p, "") if p else (None, f"role {ref} is mapped in [roster] but that person was not found in Jira: set it to "
                                     f"the exact name, email or account id {c.config_where}")


def stands_in(ref: str, c: Context) -> bool:
    """Whether the desk's anonymous customer stands in for role `ref` (mapped by nobody)."""
    return ref not in c.people and falls_back_to_anonymous(ref) and c.anonymous is not None


def unmapped_roles(template: str, c: Context) -> list[str]:
    """Roles a template names that nobody is mapped to (their text would go out as '{role}')."""
    return [n for n in dict.fromkeys(re.findall(r"\{(\w+)\}", template))
            if n not in TICKET_VALUES and c.people.get(n) is None and not stands_in(n, c)]
