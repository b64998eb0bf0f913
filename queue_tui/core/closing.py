"""When a ticket may leave the queue: the closing rules of both triage SOPs, and follow-up flags.

Ready to close when: the customer confirmed it is resolved; we believe it is resolved, asked for
confirmation, and 24 hours passed without a reply; we need the customer's input and followed up
twice without an answer; or an active low-priority dev ticket is linked. Pure: `now` is passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from queue_tui.core.models import Comment, Ticket

CONFIRMED = re.compile(r"\b(that (fixed|solved|did) it|it works|works now|working now|all good|resolved|"
                       r"looks (right|good) now|you can close|problem solved|thanks,? that (fixed|worked))\b", re.I)
ASKS_CONFIRMATION = re.compile(r"\b(confirm|let us know if|does (that|this) (resolve|fix|help)|can we close|"
                               r"is (it|this) working)\b", re.I)
ASKS_INPUT = re.compile(r"\?|\b(could you|can you|please (send|share|provide|confirm)|we need|following up)\b", re.I)

CONFIRM_WAIT = timedelta(hours=24)


@dataclass(frozen=True)
class ClosingState:
    ready: bool
    reason: str
    last_public: datetime | None = None
    asked_confirmation: bool = False
    unanswered_follow_ups: int = 0
    dev_ticket: str | None = None
    follow_up_due: bool = False


def _is_staff(c: Comment, staff_domains: tuple[str, ...]) -> bool:
    return c.author is not None and c.author.is_staff(staff_domains)


def closing_state(t: Ticket, staff_domains: tuple[str, ...], now: datetime, dev_projects: tuple[str, ...] = ("DEV",),
                  follow_up_after: timedelta = timedelta(hours=24)) -> ClosingState:
    public = [c for c in t.comments if c.public]
    last_customer = max((c.created for c in public if not _is_staff(c, staff_domains)), default=None)
    ours_since = [c for c in public if _is_staff(c, staff_domains) and (last_customer is None or c.created > last_customer)]
    last_public = public[-1].created if public else None
    dev = next((lk for lk in t.links if lk.project in dev_projects and lk.status_category != "done"
                and lk.priority in ("Low", "Lowest")), None)
    waiting_since = last_customer or t.created
    follow_up_due = t.waiting_on == "support" and not ours_since and now - waiting_since >= follow_up_after
    base = {"last_public": last_public, "unanswered_follow_ups": max(0, len(ours_since) - 1),
            "dev_ticket": dev.key if dev else None, "follow_up_due": follow_up_due}
    if t.status_category == "done":
        return ClosingState(False, "already closed", **base)  # type: ignore[arg-type]
    if public and not _is_staff(public[-1], staff_domains) and CONFIRMED.search(public[-1].body):
        return ClosingState(True, "the customer confirmed it is resolved", **base)  # type: ignore[arg-type]
    if ours_since:
        last = ours_since[-1]
        if ASKS_CONFIRMATION.search(last.body):
            if now - last.created >= CONFIRM_WAIT:
                return ClosingState(True, "asked the customer to confirm, no reply in 24 h", asked_confirmation=True,
                                    **base)  # type: ignore[arg-type]
            return ClosingState(False, "waiting up to 24 h for the customer to confirm", asked_confirmation=True,
                                **base)  # type: ignore[arg-type]
        asks = [c for c in ours_since if ASKS_INPUT.search(c.body)]
        if len(asks) >= 3:
            return ClosingState(True, "needs the customer's input; followed up twice without an answer", **base)  # type: ignore[arg-type]
    if dev is not None:
        return ClosingState(True, f"an active low-priority dev ticket is linked ({dev.key})", **base)  # type: ignore[arg-type]
    return ClosingState(False, "", **base)  # type: ignore[arg-type]
