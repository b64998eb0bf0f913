"""A judgement on a person's text, with its evidence: what the app read, in which sentence, whose, when.

Judgement stays with the agent: every rule that reads human text (approval to go live, the
customer confirmed, we asked for confirmation, EverBright financing, the channel) gets one of
these and shows `sentence`, `author` and `at` beside its suggestion, so the agent can check the
words before confirming. `yes` is the verdict the SOP acts on (approved, resolved, confirmation
asked, EB financing); every other verdict, including "unclear", is a no.

The readers live in `queue_tui.core.replies` (approver, customer, staff replies) and
`queue_tui.core.ticket_cues` (EverBright financing, channel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from queue_tui.core.models import Person


class Approval(StrEnum):
    """The approver's answer to "are we approved to push live?" (everbright-partner-onboarding.txt, step 5)."""

    APPROVED = "approved"
    NOT_YET = "not yet"
    REFUSED = "refused"
    CONDITIONAL = "conditional"
    UNCLEAR = "unclear"
    NO_REPLY = "no reply"


class CustomerReply(StrEnum):
    """What a customer's reply says about their issue (the closing rules of the triage SOPs)."""

    RESOLVED = "resolved"
    NOT_RESOLVED = "not resolved"
    NEW_QUESTION = "new question"
    THANKS_ONLY = "thanks only"
    UNCLEAR = "unclear"


class StaffReply(StrEnum):
    """What a reply of ours to the customer does (the triage SOPs' initial replies and closing rules)."""

    CONFIRMATION_ATTEMPT = "confirmation attempt"
    PROBING_QUESTION = "probing question"
    GENERAL_RESPONSE = "general response"
    FOLLOW_UP = "follow-up"


class Financing(StrEnum):
    """Whether a ticket is related to EverBright financing (the "EB" label rule)."""

    EB = "EverBright financing"
    MENTIONED = "mentions EverBright"  # named, but not clearly its financing: the agent answers
    NOT_EB = "not EverBright financing"


class Channel(StrEnum):
    """The channel a ticket came through, as far as its text and source tell."""

    EMAIL = "Email"
    PHONE = "Phone"
    CHAT = "Chat"
    UNKNOWN = "unknown"


YES = frozenset({Approval.APPROVED, CustomerReply.RESOLVED, StaffReply.CONFIRMATION_ATTEMPT, Financing.EB})
# The text touches the rule without settling it: the step it guards is a question for the agent, never skipped.
ASK = frozenset({Financing.MENTIONED})


@dataclass(frozen=True, slots=True)
class Judgement:
    """A verdict on text, and the evidence a person needs to check it.

    sentence: the sentence (as written) that decided the verdict, "" when nothing did.
    author, at: who wrote it and when (the comment's), None for a ticket's own text.
    reason: in words, which cues were read and how ("'approved' with a condition: 'only'").
    """

    verdict: StrEnum
    sentence: str = ""
    author: Person | None = None
    at: datetime | None = None
    reason: str = ""

    @property
    def yes(self) -> bool:
        return self.verdict in YES

    @property
    def asks(self) -> bool:
        """The text names what the rule is about but does not say yes: the agent answers."""
        return self.verdict in ASK

    def evidence(self) -> str:
        """One line for the screen: the verdict, the sentence in quotes, and who wrote it."""
        who = f" ({self.author.name})" if self.author is not None else ""
        said = f": “{self.sentence}”" if self.sentence else ""
        return f"{self.verdict}{said}{who}"
