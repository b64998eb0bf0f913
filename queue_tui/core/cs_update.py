"""Planning an `update_cs` step: the linked CS ticket brought up to cs-ticket-creation.txt.

everbright-partner-onboarding.txt, step 3: "Update the CS ticket (created by the automation)".
The automation files the CS ticket with little more than a summary; the SOP wants its issue type,
an epic (tickets without one get lost), the three due dates counted from the CS ticket's own
filing by the same rules as the `c` form, the QA assignee, and the link to this ticket. The step
lists each field that differs, before and after, as one change the preview shows. Filling an
empty field is a to-do; replacing a value already there (the configuration team may have moved a
date) is the agent's decision. The link is the `c` form's default relationship ("relates to" where
the site has it, else its first link type); any link already between the two is left as it is. A CS ticket already as the SOP wants is met, whoever filed it.
"""

from __future__ import annotations

from datetime import date, datetime

from queue_tui.core import ops
from queue_tui.core.context import Context
from queue_tui.core.cs_fields import CsFields, CsSetup
from queue_tui.core.due_rules import DueDates, due_dates
from queue_tui.core.playbook import Step, UpdateCsSpec
from queue_tui.core.step_plan import StepPlan, StepStatus, resolve_person

S = StepStatus


def _now(f: CsFields) -> str:
    parts = [f.issue_type or "no issue type", f.epic or "no epic",
             f"due {f.due}" if f.due else "no due date", f"QA {f.qa_assignee.name}" if f.qa_assignee else "no QA assignee"]
    return f"{f.key}: " + ", ".join(parts)


def target_dates(spec: UpdateCsSpec, c: Context, f: CsFields, setup: CsSetup) -> DueDates:
    """The three dates the SOP gives a CS ticket of this type, counted from its own filing."""
    t = c.ticket
    issue_type = spec.issue_type or f.issue_type
    return due_dates(setup.cal, f.created, issue_type, setup.priority_rule.applies(t), setup.rules)


def plan_update_cs(s: Step, spec: UpdateCsSpec, c: Context) -> StepPlan:
    if c.cs is None or c.cs_fields is None:
        return StepPlan(s, S.WAITING, "", "once the CS ticket exists (the automation files it after Needs Configuration?)")
    f = c.cs_fields
    changes: list[ops.CsChange] = []
    problems: list[str] = []
    if spec.issue_type and f.issue_type.lower() != spec.issue_type.lower():
        changes.append(ops.CsChange("issue_type", f.issue_type, spec.issue_type, spec.issue_type))
    if spec.epic and (f.epic or "").lower() != spec.epic.lower():
        changes.append(ops.CsChange("epic", f.epic or "", spec.epic, spec.epic))
    if spec.due and c.cs_setup is not None:
        setup = c.cs_setup
        dates = target_dates(spec, c, f, setup)
        wanted: tuple[tuple[ops.CsField, date | None, datetime, bool], ...] = (
            ("due", f.due, dates.due, True), ("config_date", f.config_date, dates.config, f.has_config_date),
            ("qa_date", f.qa_date, dates.qa, f.has_qa_date))
        for name, have, moment, exists in wanted:
            day = setup.cal.due_date(moment)
            if exists and have != day:
                changes.append(ops.CsChange(name, str(have or ""), f"{day} ({dates.rule.split(':')[0]})", moment))
    if spec.qa and f.has_qa_assignee:
        qa, why = resolve_person(spec.qa, c)
        if qa is None:
            problems.append(why)
        elif f.qa_assignee is None or f.qa_assignee.id != qa.id:
            changes.append(ops.CsChange("qa_assignee", f.qa_assignee.name if f.qa_assignee else "", qa.name, qa))
    if c.ticket.key not in f.linked_to and f.link is not None:
        changes.append(ops.CsChange("link", "", f"{f.link.words} {c.ticket.key}", c.ticket.key))
    if not changes:
        if problems:
            return StepPlan(s, S.BLOCKED, _now(f), problem="; ".join(problems))
        return StepPlan(s, S.MET, _now(f))
    op = ops.UpdateCs(f.key, c.ticket.key, tuple(changes))
    change = f"{f.key}: " + "; ".join(f"{ch.field.replace('_', ' ')} → {ch.after}" for ch in changes)
    replaced = [ch for ch in changes if ch.before]
    if replaced:
        whose = ", ".join(f"{ch.field.replace('_', ' ')} {ch.before}" for ch in replaced)
        return StepPlan(s, S.DECIDE, _now(f), change, op,
                        problem=f"would replace what {f.key} has ({whose}): not part of apply-all; g to decide")
    return StepPlan(s, S.TODO, _now(f), change, op, problem="; ".join(problems))
