"""What the triage SOP says follows each of its three initial replies.

queue-triage-and-request-types.txt: probing questions, a first step to resolution, or a general
initial response; after a general initial response the ticket goes back to Waiting for Support
(the customer has nothing to answer, so support owes the next move).
"""

from __future__ import annotations

from enum import StrEnum


class ReplyKind(StrEnum):
    PROBING = "probing"
    FIRST_STEP = "first_step"
    GENERAL = "general"


WAITING_FOR_SUPPORT = "Waiting for support"


def status_after(kind: str, public: bool) -> str | None:
    """The status the ticket moves to once the reply is sent, or None to leave it as Jira puts it.

    Only a public general initial response moves it: an internal note tells the customer nothing.
    """
    return WAITING_FOR_SUPPORT if public and kind == ReplyKind.GENERAL else None
