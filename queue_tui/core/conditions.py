"""The conditions a playbook's `when`, `check` and `wait` can name, read from a `Context`.

Two sorts. A plain condition reads facts (fields, statuses, who wrote last, how long ago):
`CONDITIONS`, each a yes or no. A judged condition reads what a person wrote (the approver's
reply, the customer's, the ticket's own text): `JUDGED`, each a `Judgement` with the sentence,
its author and time. The engine never acts on a judged yes by itself: the step it opens is shown
as a suggestion with that evidence, for the agent to confirm with one key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from queue_tui.core.context import Context
from queue_tui.core.cs_hold import hold_signal
from queue_tui.core.judgement import Approval, CustomerReply, Judgement, StaffReply
from queue_tui.core.models import Comment, Ticket
from queue_tui.core.replies import approval, read_customer_reply, read_staff_reply
from queue_tui.core.ticket_cues import eb_financing

APPROVAL_REMINDER = timedelta(hours=24)  # everbright-partner-onboarding.txt: "slack David ... within 24 hours"
# everbright-partner-onboarding.txt: "link the approval ticket to the onboarding ticket and close the approval
# ticket as a duplicate": the link the approval-ticket step writes (everbright-onboarding.toml's link_approval).
APPROVAL_LINK = "Duplicate"


def linked_as(c: Context, kind: str) -> tuple[Ticket, ...]:
    """The related tickets linked to this one with a link of type `kind` (a link of another type is
    another relationship: a ticket that merely relates to this one is not its duplicate)."""
    return tuple(r for r in c.related if any(lk.key == c.ticket.key and lk.link_type.lower() == kind.lower()
                                             for lk in r.links))


def hours_since(c: Context, step_id: str, hours: float) -> bool:
    """At least `hours` since the step was done, by the stored progress (a datetime, never a string)."""
    p = c.progress.get(step_id)
    return p is not None and p.at is not None and c.now - p.at >= timedelta(hours=hours)


def _last_public(c: Context) -> Comment | None:
    return next((com for com in reversed(c.ticket.comments) if com.public), None)


def _last_public_by(c: Context, staff: bool) -> Comment | None:
    return next((com for com in reversed(c.ticket.comments) if com.public and c.is_staff(com.author) == staff), None)


# -- judged: what a person wrote ---------------------------------------------------------------
def approval_judgement(c: Context) -> Judgement:
    """The approver's latest answer: comments after support asked (ask_approval), or a separate approval
    ticket he reported that the agent linked to this one as its duplicate."""
    approver = c.people.get("approver")
    if approver is None:
        return Judgement(Approval.NO_REPLY, reason="the approver role is not mapped in [roster]")
    asked = c.progress.get("ask_approval")
    in_ticket = approval(c.ticket.comments, approver, asked.at if asked else None)
    # A separate approval ticket counts whenever it came (the approver may answer before being asked), but
    # only once the agent linked it to this ticket as its duplicate: a subject that matches is a guess, and
    # a ticket linked for another reason ("relates to") is not his answer.
    by_ticket = approval((), approver, None, linked_as(c, APPROVAL_LINK))
    answers = [j for j in (in_ticket, by_ticket) if j.verdict != Approval.NO_REPLY and j.at is not None]
    if not answers:
        return in_ticket
    return max(answers, key=lambda j: j.at or c.now)


def customer_confirmed(c: Context) -> Judgement:
    """The customer's latest public reply, read: `.yes` when they say it is resolved and ask nothing new."""
    last = _last_public_by(c, staff=False)
    if last is None:
        return Judgement(CustomerReply.UNCLEAR, reason="no reply from the customer yet")
    return read_customer_reply(last.body, last.author, last.created)


def confirmation_asked(c: Context) -> Judgement:
    """Our latest public reply, read: `.yes` when it asks the customer to confirm the fix."""
    last = _last_public_by(c, staff=True)
    if last is None:
        return Judgement(StaffReply.GENERAL_RESPONSE, reason="no public reply from us yet")
    return read_staff_reply(last.body, last.author, last.created)


JUDGED: dict[str, Callable[[Context], Judgement]] = {
    "mentions_everbright_financing": lambda c: eb_financing(c.ticket),
    "approval_received": approval_judgement,
    "customer_confirmed": customer_confirmed,
    "confirmation_asked": confirmation_asked,
}


# -- plain: facts ------------------------------------------------------------------------------
def _approval_overdue(c: Context) -> bool:
    if c.done("wait_approval") or not hours_since(c, "ask_approval", APPROVAL_REMINDER.total_seconds() / 3600):
        return False
    return approval_judgement(c).verdict == Approval.NO_REPLY


def _approver_answered(c: Context) -> bool:
    """The approver wrote back (a comment after support asked, or a separate approval ticket),
    whatever it says: "if we don't hear back from him" is about hearing back, not about a yes."""
    return approval_judgement(c).verdict != Approval.NO_REPLY


CONDITIONS: dict[str, Callable[[Context], bool]] = {
    "always": lambda c: True,
    "assigned_to_me": lambda c: c.is_me(c.ticket.assignee),
    "reporter_is_customer": lambda c: c.ticket.reporter is not None and not c.is_staff(c.ticket.reporter),
    "reporter_is_staff": lambda c: c.is_staff(c.ticket.reporter),
    "has_organization": lambda c: bool(c.ticket.organizations),
    "has_channel": lambda c: bool(c.ticket.channel),
    "has_request_type": lambda c: c.ticket.request_type is not None,
    "has_staff_participants": lambda c: any(c.is_staff(p) for p in c.ticket.participants),
    "is_channel_partner": lambda c: any(o.name.lower() in c.channel_managers for o in c.ticket.organizations),
    "cs_exists": lambda c: c.cs is not None,
    # everbright-partner-onboarding.txt step 4, by the first signal that can be read (queue_tui.core.cs_hold)
    "cs_on_hold": lambda c: hold_signal(c) is not None,
    "cs_done": lambda c: c.cs is not None and c.cs.status_category == "done",
    # everbright-partner-onboarding.txt: "Once the CS ticket is complete (workflow will change to waiting for
    # support)": done, or handed back to support by its workflow.
    "cs_complete": lambda c: c.cs is not None and (c.cs.status_category == "done"
                                                   or c.cs.status.lower() in ("waiting for support", "waiting on support")),
    # queue-triage-and-request-types.txt: an incentive ticket "will be ready to close once CS ticket is placed in UAT".
    "cs_in_uat": lambda c: c.cs is not None and (c.cs.status.lower() == "uat" or c.cs.status_category == "done"),
    "approval_overdue": _approval_overdue,
    "approver_answered": _approver_answered,
    "approval_tickets_found": lambda c: bool(c.related),
    "public_reply_sent": lambda c: any(_our_reply(com, c) for com in c.ticket.comments),
    "customer_replied": lambda c: (lc := _last_public(c)) is not None and not c.is_staff(lc.author),
}


def _our_reply(com: Comment, c: Context) -> bool:
    """A reply the customer got from us: public, by me (whatever my address) or a staff member, and
    not by the ticket's reporter (a staff member who forwarded the message wrote it for the customer)."""
    by, reporter = com.author, c.ticket.reporter
    return com.public and by is not None and (c.is_me(by) or c.is_staff(by)) and (reporter is None or by.id != reporter.id)


def is_known(name: str) -> bool:
    return name in CONDITIONS or name in JUDGED


def is_judged(name: str) -> bool:
    return name.removeprefix("not ") in JUDGED


def holds(name: str, c: Context) -> tuple[bool, Judgement | None]:
    """Whether a condition holds ("not x" negates), and the judgement it rests on when it reads text."""
    negate = name.startswith("not ")
    base = name.removeprefix("not ")
    if base in JUDGED:
        j = JUDGED[base](c)
        return j.yes != negate, j
    return CONDITIONS[base](c) != negate, None
