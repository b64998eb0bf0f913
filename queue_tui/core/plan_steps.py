"""Planning one step of each kind: where the ticket stands and the typed operation that would fix it.

`plan_step` dispatches on the step's spec type; each planner returns a `StepPlan`. Pure: the
context holds everything read from Jira.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import assert_never

from queue_tui.core import cs_hold, ops
from queue_tui.core.approval_ticket import plan_link
from queue_tui.core.conditions import holds, hours_since
from queue_tui.core.context import Context, form_value
from queue_tui.core.cs_update import plan_update_cs
from queue_tui.core.mentions import render_comment, shown
from queue_tui.core.models import Person, Ticket
from queue_tui.core.plan_fields import plan_set_field
from queue_tui.core.playbook import (
    AddWatchersSpec,
    CheckSpec,
    ChoiceSpec,
    CommentSpec,
    CreateCsSpec,
    LinkSpec,
    ManualSpec,
    MoveStaffSpec,
    Playbook,
    ReminderSpec,
    RemoveParticipantsSpec,
    RemoveWatchersSpec,
    SetFieldSpec,
    Step,
    TransitionSpec,
    UpdateCsSpec,
    WaitSpec,
)
from queue_tui.core.reminders import plan_reminder
from queue_tui.core.shorten import shorten
from queue_tui.core.step_plan import StepPlan, StepStatus, account_manager, resolve_person, unmapped_roles
from queue_tui.core.transitions import plan_transition

S = StepStatus


def marker(pb: Playbook, s: Step, c: Context) -> str:
    """How a comment or link of this step is recognised in Jira: the playbook, the step and the ticket."""
    return f"{pb.id}/{s.id}@{c.ticket.key}"


def plan_step(s: Step, c: Context, pb: Playbook) -> StepPlan:
    """The step's plan; one that runs only because of what a person wrote is a suggestion, never a to-do."""
    if not s.when:
        return _plan(s, c, pb)
    if s.answer is not None:  # the agent's own answer at an earlier choice step
        asked, option = s.answer
        picked = c.chosen(asked)
        question = pb.step(asked)
        if picked is None:
            return StepPlan(s, S.WAITING, change=f"after your answer to “{question.title if question else asked}”")
        if picked != option:
            return StepPlan(s, S.SKIP, change="not for the answer chosen")
        return _plan(s, c, pb)
    fact = pb.fact(s.when)
    if fact is not None:  # the SOP says so of every ticket it covers: a to-do with its reason, not a question
        ok, why = fact
        if not ok:
            return StepPlan(s, S.SKIP, change=f"not for this SOP's tickets: {why}")
        p = _plan(s, c, pb)
        return replace(p, change=f"{p.change} ({why})") if p.status == S.TODO else p
    ok, judgement = holds(s.when, c)
    answer = c.chosen(s.id) if judgement is not None else None  # the agent's yes or no where text was read
    if answer == "no":
        return StepPlan(s, S.SKIP, change=f"not for this ticket: answered no by {c.progress[s.id].by or '?'}",
                        evidence=judgement)
    if answer == "yes":
        return _plan(s, c, pb)
    if not ok and not (judgement is not None and judgement.asks and not s.when.startswith("not ")):
        why = judgement.reason if judgement is not None else "not now"
        return StepPlan(s, S.SKIP, change=f"only when: {s.when.replace('_', ' ')} ({why})", evidence=judgement)
    p = _plan(s, c, pb)
    if judgement is not None and p.status == S.TODO:
        # Read from text, never settled by it: g says yes, e answers yes or no.
        return replace(p, status=S.SUGGESTED, evidence=judgement,
                       change=f"{p.change}; suggested because {judgement.reason}: g to confirm, e to answer yes or no")
    return p


def _copy_value(template: str, c: Context) -> str:
    """A value to copy; an account manager nobody listed says where the SOP says to look, not a placeholder."""
    if template.strip() == "{account_manager}" and account_manager(c) is None:
        org = c.ticket_org() or "this organization"
        return (f"none listed for {org} under [account_managers] (queue-triage-and-request-types.txt: "
                "SalesForce or the support dashboard in QuickSight)")
    return shown(template, c)


def _plan(s: Step, c: Context, pb: Playbook) -> StepPlan:
    spec = s.spec
    match spec:
        case CheckSpec():
            ok, judgement = holds(spec.condition, c)
            if ok and judgement is not None and not c.done(s.id):
                return StepPlan(s, S.SUGGESTED, "yes, as read", "g to confirm", evidence=judgement)
            return StepPlan(s, S.MET if ok else S.TODO, "yes" if ok else "no", "" if ok else spec.fix, evidence=judgement)
        case SetFieldSpec():
            return plan_set_field(s, spec, c)
        case AddWatchersSpec():
            return _add_watchers(s, spec, c)
        case RemoveWatchersSpec():
            return _remove_watchers(s, spec, c)
        case MoveStaffSpec():
            staff = tuple(p for p in c.ticket.participants if c.is_staff(p))
            if not staff:
                return StepPlan(s, S.MET, ", ".join(p.name for p in c.ticket.participants) or "no participants")
            return StepPlan(s, S.TODO, ", ".join(p.name for p in c.ticket.participants),
                            "move to watchers: " + ", ".join(p.name for p in staff),
                            ops.MoveStaffToWatchers(c.ticket.key, staff, tuple(
                                w.id for w in c.ticket.watchers if any(w.id == p.id for p in staff))))
        case RemoveParticipantsSpec():
            gone = tuple(p for p in c.ticket.participants if spec.which == "all" or c.is_staff(p))
            if not gone:
                return StepPlan(s, S.MET, "none")
            return StepPlan(s, S.TODO, ", ".join(p.name for p in c.ticket.participants),
                            "remove participants: " + ", ".join(p.name for p in gone),
                            ops.RemoveParticipants(c.ticket.key, gone))
        case CommentSpec():
            return _comment(s, spec, c, pb)
        case TransitionSpec():
            return plan_transition(s, spec, c, pb)
        case CreateCsSpec():
            if c.cs is not None:
                return StepPlan(s, S.MET, f"{c.cs.key} [{c.cs.status}]")
            who = f"; assignee: {spec.assignee_sop}" if spec.assignee_sop else ""
            return StepPlan(s, S.TODO, "no CS ticket", f"create the CS ticket (the form opens, filled in){who}",
                            ops.CreateCs(c.ticket.key, cs_rules(spec, c.ticket)))
        case LinkSpec():
            return plan_link(s, spec, c, pb)
        case ManualSpec():
            if c.done(s.id):
                p = c.progress[s.id]
                return StepPlan(s, S.DONE, f"ticked by {p.by or '?'}")
            if spec.done_when and holds(spec.done_when, c)[0]:
                return StepPlan(s, S.DONE, spec.done_when.replace("_", " "))
            copy = "  ".join(f"{k}: {_copy_value(v, c)}" for k, v in spec.copy)
            if spec.pick == "watcher":
                watching = ", ".join(p.name for p in c.ticket.watchers) or "nobody yet"
                return StepPlan(s, S.MANUAL, f"watching: {watching}",
                                "e adds a watcher (as often as needed), tick when done (space)" + (f"  {copy}" if copy else ""))
            return StepPlan(s, S.MANUAL, "", copy or "tick when done (space)")
        case WaitSpec():
            return _wait(s, spec, c)
        case ChoiceSpec():
            picked = c.chosen(s.id)
            options = dict(spec.options)
            if picked is not None:
                p = c.progress[s.id]
                return StepPlan(s, S.DONE, f"{options.get(picked, picked)} (chosen by {p.by or '?'})",
                                "e to answer again")
            return StepPlan(s, S.TODO, "", "e to answer: " + " / ".join(options.values()),
                            problem="your answer decides the steps below (e)")
        case ReminderSpec():
            return plan_reminder(s, spec, c, pb)
        case UpdateCsSpec():
            return plan_update_cs(s, spec, c)
        case _:
            assert_never(spec)


def cs_rules(spec: CreateCsSpec, t: Ticket) -> ops.CsRules:
    """The step's CS rules for this ticket: a `{form:Label}` customer is read from the ticket's form."""
    customer = spec.customer
    if m := re.fullmatch(r"\{form:(.+)\}", customer):
        customer = form_value(t, m.group(1)) or ""
    return ops.CsRules(spec.issue_type, spec.epic, spec.priority, customer, spec.summary == "copy",
                       spec.description == "form", spec.due, spec.assignee_sop, spec.qa)


def _people(refs: tuple[str, ...], c: Context) -> tuple[list[Person], list[str]]:
    people, problems = [], []
    for ref in refs:
        p, why = resolve_person(ref, c)
        if p is None:
            problems.append(why)
        else:
            people.append(p)
    return people, problems


def _add_watchers(s: Step, spec: AddWatchersSpec, c: Context) -> StepPlan:
    t = c.ticket
    people, problems = _people(spec.people, c)
    watching = {w.id for w in t.watchers}
    now = ", ".join(w.name for w in t.watchers)
    missing = tuple(p for p in people if p.id not in watching)
    if problems and not missing:
        return StepPlan(s, S.BLOCKED, now or "—", problem="; ".join(problems))
    if not missing:
        return StepPlan(s, S.MET, now)
    return StepPlan(s, S.TODO, now or "—", "add watchers: " + ", ".join(p.name for p in missing),
                    ops.AddWatchers(t.key, missing), problem="; ".join(problems))


def _remove_watchers(s: Step, spec: RemoveWatchersSpec, c: Context) -> StepPlan:
    t = c.ticket
    people, _ = _people(spec.people, c)
    watching = {w.id for w in t.watchers}
    present = tuple(p for p in people if p.id in watching)
    if not present:
        return StepPlan(s, S.MET, ", ".join(w.name for w in t.watchers) or "—")
    return StepPlan(s, S.TODO, ", ".join(w.name for w in t.watchers), "remove watchers: " + ", ".join(p.name for p in present),
                    ops.RemoveWatchers(t.key, present))


def _comment(s: Step, spec: CommentSpec, c: Context, pb: Playbook) -> StepPlan:
    t = c.ticket
    typed = c.inputs.get(s.id, "")
    text = render_comment(spec.template, c, {"input": typed or "…"})
    on_cs = spec.on == "cs"
    target = c.cs if on_cs else t
    mark = marker(pb, s, c)
    posted = target is not None and (mark in c.markers or any(com.body.strip() == text.body.strip()
                                                               for com in target.comments))
    if c.done(s.id) or posted:
        return StepPlan(s, S.DONE, "sent" + (f" on {target.key}" if on_cs and target is not None else ""))
    if spec.public and not pb.customer_visible:
        return StepPlan(s, S.BLOCKED, problem=pb.refuse_public_reason or "this SOP never copies the customer")
    if target is None:
        return StepPlan(s, S.BLOCKED, problem="no CS ticket is linked yet")
    missing = unmapped_roles(spec.template, c)
    problems = [*text.problems, *(resolve_person(r, c)[1] for r in missing)]
    if problems:  # the comment is there to notify someone, and never says '[approver]'
        return StepPlan(s, S.BLOCKED, problem="; ".join(p for p in problems if p))
    where = f"{'PUBLIC' if spec.public else 'internal'} comment on {target.key}"
    if spec.ask and not typed:
        return StepPlan(s, S.TODO, "", f"g asks for: {spec.ask}; then {where}: {shorten(text.shown, 90)}")
    return StepPlan(s, S.TODO, "", f"{where}: {shorten(text.shown, 90)}",
                    ops.PostComment(target.key, text.body, spec.public, mark, text.shown))


def _wait(s: Step, spec: WaitSpec, c: Context) -> StepPlan:
    ok, judgement = holds(spec.until, c)
    if c.done(s.id):
        p = c.progress[s.id]
        if p.state == "met" and p.evidence:  # the signal that ended it, as it was seen
            return StepPlan(s, S.MET, p.evidence)
        how = f"confirmed by {p.by}" if p.state == "confirmed" else "over"
        return StepPlan(s, S.MET, how + (f": “{p.evidence}”" if p.evidence else ""))
    if spec.until == "cs_on_hold":
        return _wait_cs_hold(s, spec, c)
    if ok and judgement is not None:  # read from what a person wrote: the agent confirms it
        return StepPlan(s, S.SUGGESTED, "", f"looks {judgement.verdict}: g to confirm, after reading it", evidence=judgement)
    if ok:
        seen = f"{c.cs.key} is {c.cs.status}" if c.cs is not None and spec.until.startswith("cs_") else "over"
        return StepPlan(s, S.MET, seen)
    note = ""
    if spec.reminder_hours and hours_since(c, spec.since_step, spec.reminder_hours):
        note = spec.reminder
    return StepPlan(s, S.WAITING, "", note or spec.waiting_for, evidence=judgement)



def _wait_cs_hold(s: Step, spec: WaitSpec, c: Context) -> StepPlan:
    """Step 4's wait: met by the first signal that can be read, which it names; else `e` picks the status."""
    seen = cs_hold.hold_signal(c)
    if seen is not None:
        return StepPlan(s, S.MET, seen)
    if c.cs is None:
        return StepPlan(s, S.WAITING, "", spec.waiting_for)
    cs, t = c.cs, c.ticket
    if cs_hold.unreadable(c):
        why = (f"this site names no CS status on hold, and Jira sends no history of {t.key}'s moves to "
               "waiting on support")
    else:
        why = f"seen by a CS status named on hold, or {t.key} moved to waiting on support"
    return StepPlan(s, S.WAITING, f"{cs.key}: {cs.status}",
                    f"{spec.waiting_for}; {why}; e to pick the status of {cs.key} that means on hold")
