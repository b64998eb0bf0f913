"""When a ticket may leave the queue: the closing rules of both triage SOPs, and follow-up flags.

Ready to close when: the customer confirmed it is resolved (a thank-you after it leaves it standing);
we believe it is resolved, asked for confirmation, and 24 hours passed without a reply; we need the
customer's input, followed up twice, and the last follow-up went 24 hours without an answer (the SOP's
"unresponsive after we've attempted to follow up at least twice"; its only wait for a reply is 24
hours); or an active low-priority dev ticket is linked (the site's dev projects and low priorities,
`[monitor] dev_projects` and `low_priorities`). An incentive ticket
(Industry-wide Data Change about an incentive) is ready once its CS ticket is in UAT
(queue-triage-and-request-types.txt). Pure: `now` is passed in.

Replies are read by `queue_tui.core.replies`, never by keyword: "this is still not resolved" is
not a confirmation, "Could you confirm your account ID?" does not start the 24-hour clock, and
each ready state carries the reply it rests on (`evidence`) so the agent sees the words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from queue_tui.core.judgement import CustomerReply, Judgement, StaffReply
from queue_tui.core.models import Comment, LinkedIssue, Ticket
from queue_tui.core.reading import sentences
from queue_tui.core.replies import read_customer_reply, read_staff_reply
from queue_tui.core.request_types import sop_type_of

CONFIRM_WAIT = timedelta(hours=24)
REPLY_WAIT = CONFIRM_WAIT  # after the second follow-up: the SOP's own wait for a reply
FOLLOW_UPS_BEFORE_CLOSING = 2
_ASKS_FOR_INPUT = (StaffReply.PROBING_QUESTION, StaffReply.FOLLOW_UP)


@dataclass(frozen=True)
class ClosingState:
    ready: bool
    reason: str
    last_public: datetime | None = None
    asked_confirmation: bool = False
    unanswered_follow_ups: int = 0
    dev_ticket: str | None = None
    follow_up_due: bool = False
    evidence: Judgement | None = None  # the reply the state rests on, for the agent to read


class Topic(StrEnum):
    INCENTIVE = "incentive"
    OTHER = "other"


_INCENTIVE = re.compile(r"\b(?:incentives?|rebates?|tax credits?)\b", re.IGNORECASE)


def incentive_ticket(t: Ticket, aliases: Mapping[str, str] | None = None) -> Judgement | None:
    """An Industry-wide Data Change about an incentive, with the sentence that says so; None otherwise."""
    if t.request_type is None or sop_type_of(t.request_type.name, aliases) != "Industry-wide Data Change":
        return None
    for s in sentences(f"{t.summary}\n{t.description}"):
        if _INCENTIVE.search(s.text):
            return Judgement(Topic.INCENTIVE, s.text, reason="an industry-wide data change about an incentive")
    return None


def _in_uat(t: Ticket, cs_project: str) -> LinkedIssue | None:
    """The linked CS ticket in UAT, or already past it (done): "placed in UAT" stays true once it moves on."""
    return next((lk for lk in t.links if lk.project == cs_project
                 and (lk.status.lower() == "uat" or lk.status_category == "done")), None)


def _is_staff(c: Comment, staff_domains: tuple[str, ...]) -> bool:
    return c.author is not None and c.author.is_staff(staff_domains)


def _quoted(j: Judgement) -> str:
    who = f" ({j.author.name})" if j.author is not None else ""
    return f": “{j.sentence}”{who}" if j.sentence else ""


def _customer_word(public: list[Comment], staff_domains: tuple[str, ...]) -> Judgement | None:
    """The customer's latest reply that says something: a thank-you after a confirmation ("Thanks again!")
    does not take the confirmation back, so thanks-only replies are read past."""
    said = None
    for c in reversed(public):
        if _is_staff(c, staff_domains):
            continue
        j = read_customer_reply(c.body, c.author, c.created)
        if j.verdict != CustomerReply.THANKS_ONLY:
            return j
        said = said or j
    return said


def closing_state(t: Ticket, staff_domains: tuple[str, ...], now: datetime, dev_projects: tuple[str, ...] = ("DEV",),
                  follow_up_after: timedelta = timedelta(hours=24), cs_project: str = "CS",
                  aliases: Mapping[str, str] | None = None,
                  low_priorities: tuple[str, ...] = ("Low", "Lowest")) -> ClosingState:
    public = [c for c in t.comments if c.public]
    last_customer = max((c.created for c in public if not _is_staff(c, staff_domains)), default=None)
    ours_since = [c for c in public if _is_staff(c, staff_domains) and (last_customer is None or c.created > last_customer)]
    read = [read_staff_reply(c.body, c.author, c.created) for c in ours_since]
    # Follow-ups count from our first request for input since the customer last wrote.
    first_ask = next((i for i, j in enumerate(read) if j.verdict in _ASKS_FOR_INPUT), None)
    chasing = [j for j in read[first_ask:] if j.verdict in _ASKS_FOR_INPUT] if first_ask is not None else []
    dev = next((lk for lk in t.links if lk.project in dev_projects and lk.status_category != "done"
                and lk.priority in low_priorities), None)
    waiting_since = last_customer or t.created
    state = ClosingState(
        False, "", last_public=public[-1].created if public else None,
        unanswered_follow_ups=max(0, len(chasing) - 1), dev_ticket=dev.key if dev else None,
        follow_up_due=t.waiting_on == "support" and not ours_since and now - waiting_since >= follow_up_after)
    if t.status_category == "done":
        return replace(state, reason="already closed")
    said = _customer_word(public, staff_domains)
    if said is not None:
        # The customer's latest word, even if we answered it since ("Glad to hear it!").
        if said.verdict == CustomerReply.RESOLVED:
            return replace(state, ready=True, reason="the customer confirmed it is resolved" + _quoted(said), evidence=said)
        state = replace(state, evidence=said)
    uat = _in_uat(t, cs_project)
    about = incentive_ticket(t, aliases) if uat is not None else None
    if uat is not None and about is not None:
        where = "in UAT" if uat.status.lower() == "uat" else f"past UAT: {uat.status}"
        return replace(state, ready=True, evidence=about,
                       reason=f"an incentive ticket whose CS ticket is {where} ({uat.key})" + _quoted(about))
    asked = next((j for j in read if j.verdict == StaffReply.CONFIRMATION_ATTEMPT), None)
    if asked is not None and asked.at is not None:
        if now - asked.at >= CONFIRM_WAIT:
            return replace(state, ready=True, asked_confirmation=True, evidence=asked,
                           reason="asked the customer to confirm, no reply in 24 h" + _quoted(asked))
        return replace(state, asked_confirmation=True, evidence=asked,
                       reason="waiting up to 24 h for the customer to confirm" + _quoted(asked))
    if len(chasing) > FOLLOW_UPS_BEFORE_CLOSING:
        last = chasing[-1]
        if last.at is not None and now - last.at < REPLY_WAIT:
            return replace(state, evidence=last, reason="needs the customer's input; followed up twice, waiting up to "
                           "24 h for an answer to the last" + _quoted(last))
        return replace(state, ready=True, evidence=last,
                       reason="needs the customer's input; followed up twice without an answer" + _quoted(last))
    if dev is not None:
        return replace(state, ready=True, reason=f"an active low-priority dev ticket is linked ({dev.key})")
    return state
