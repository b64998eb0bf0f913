"""The approver's separate approval ticket: which one it is, linking it, closing it as a duplicate.

everbright-partner-onboarding.txt: "If a separate 'approval' ticket comes in to Jira (i.e. David
doesn't reply within the ticket - rather sends a new email that opens a new Jira ticket), link the
approval ticket to the onboarding ticket and close the approval ticket as a duplicate."

Which ticket is his answer is the agent's call. The runner finds candidates (his tickets since the
onboarding came, tickets whose subject names the installer: a customer's own question may be one
of them); the step suggests one at a time, his first, with what it says, and `e` picks another
or none. Only a ticket linked with the step's link type is closed: a ticket linked for another
reason never is. A colleague may have got there first: one already closed is left as it is,
whatever it was closed as; one a colleague holds (assigned to them) is closed only on the
agent's explicit answer.
"""

from __future__ import annotations

from queue_tui.core import ops
from queue_tui.core.conditions import APPROVAL_LINK, linked_as
from queue_tui.core.context import Context
from queue_tui.core.models import Ticket
from queue_tui.core.playbook import LinkSpec, Playbook, Step, TransitionSpec
from queue_tui.core.replies import read_approver_reply
from queue_tui.core.step_plan import StepPlan, StepStatus

S = StepStatus
NONE = "none"  # the agent's answer at the link step: none of the candidates is the approval ticket


def link_type(pb: Playbook) -> str:
    """The link the playbook's approval step makes (the SOP's duplicate)."""
    return next((s.spec.link_type for s in pb.steps if isinstance(s.spec, LinkSpec)), APPROVAL_LINK)


def linked(c: Context, kind: str) -> tuple[Ticket, ...]:
    """The candidates the agent linked to this ticket as its approval ticket (with the link of `kind`)."""
    return linked_as(c, kind)


def candidates(c: Context, step_id: str) -> tuple[Ticket, ...]:
    """The unlinked candidates, the likeliest first: the agent's pick, then the approver's own, newest first."""
    approver = c.people.get("approver")
    picked = c.chosen(step_id)

    def rank(r: Ticket) -> tuple[bool, bool, float]:
        his = approver is not None and r.reporter is not None and r.reporter.id == approver.id
        return (r.key != picked, not his, -r.created.timestamp())

    return tuple(sorted((r for r in c.related if not any(lk.key == c.ticket.key for lk in r.links)), key=rank))


def _named(r: Ticket) -> str:
    who = f", from {r.reporter.name}" if r.reporter is not None else ""
    summary = r.summary if len(r.summary) <= 60 else r.summary[:59] + "…"
    return f"{r.key} ({summary}{who})"


def plan_link(s: Step, spec: LinkSpec, c: Context, pb: Playbook) -> StepPlan:
    t = c.ticket
    done = linked(c, spec.link_type)
    if done:
        return StepPlan(s, S.MET, ", ".join(f"{r.key} ({spec.link_type})" for r in done))
    if c.chosen(s.id) == NONE:
        return StepPlan(s, S.SKIP, f"none is the approval ticket (answered by {c.progress[s.id].by or '?'})",
                        "e to answer again")
    found = candidates(c, s.id)
    if not found:
        return StepPlan(s, S.SKIP, "no separate approval ticket found")
    first, others = found[0], found[1:]
    reading = read_approver_reply(f"{first.summary}\n{first.description}", first.reporter, first.created)
    # Written from the approval ticket's side, "SS-60 duplicates SS-59": it is the one closed as the duplicate.
    op = ops.Link(first.key, (t.key,), spec.link_type, f"{pb.id}/{s.id}@{t.key}")
    more = f"; e for another ({', '.join(r.key for r in others)}) or none" if others else "; e if it is not"
    if c.chosen(s.id) == first.key:
        return StepPlan(s, S.TODO, "", f"link {_named(first)} to {t.key} ({spec.link_type}), "
                        f"picked by {c.progress[s.id].by or '?'}{more}", op, evidence=reading)
    return StepPlan(s, S.SUGGESTED, "", f"{_named(first)} looks like the approval ticket: g to link it to {t.key} "
                    f"({spec.link_type}){more}", op, evidence=reading)


def plan_close(s: Step, spec: TransitionSpec, c: Context, pb: Playbook, target: str) -> StepPlan:
    """Close the linked approval ticket; `target` is the status the site reaches for the SOP's one."""
    mine = linked(c, link_type(pb))
    link = next((q for q in pb.steps if isinstance(q.spec, LinkSpec)), None)
    if not mine:
        if link is not None and c.chosen(link.id) == NONE:
            return StepPlan(s, S.SKIP, "none is the approval ticket")
        if link is not None and candidates(c, link.id):
            return StepPlan(s, S.WAITING, "", "after the link above")
        return StepPlan(s, S.SKIP, "no approval ticket linked")
    closed = [r for r in mine if r.status_category == "done" or r.status.lower() == target.lower()]
    open_ = tuple(r for r in mine if r not in closed)
    now = ", ".join(f"{r.key}: {r.status}" + (f" ({r.resolution})" if r.resolution else "") for r in mine)
    if not open_:
        return StepPlan(s, S.MET, now)
    held = [r for r in open_ if r.assignee is not None and not c.is_me(r.assignee)]
    how = spec.resolution or target
    op = ops.TransitionMany(tuple(r.key for r in open_), target, spec.resolution, tuple(r.status for r in open_))
    change = f"close {', '.join(r.key for r in open_)} as {how}"
    if held:
        whose = ", ".join(f"{r.key} is assigned to {r.assignee.name}" for r in held if r.assignee is not None)
        return StepPlan(s, S.DECIDE, now, change, op, colleague=held[0].assignee,
                        problem=f"{whose}: closing it is over their work; not part of apply-all; g to decide")
    return StepPlan(s, S.TODO, now, change, op)
