"""Text judgements that an agent relies on: negation and questions never read as yes, evidence is kept.

Each case here is one the app used to get wrong by keyword: an approver's "Not approved yet"
counted as approval, a customer's "still not resolved" as confirmation, a request for an
account ID as a confirmation attempt, "EverBright ... webinar" as EverBright financing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from queue_tui.core.closing import closing_state
from queue_tui.core.judgement import Approval, Channel, CustomerReply, Financing, StaffReply
from queue_tui.core.models import Comment, Person, RequestType, Ticket
from queue_tui.core.replies import approval, read_approver_reply, read_customer_reply, read_staff_reply
from queue_tui.core.ticket_cues import eb_financing, suggest_channel
from queue_tui.core.triage import suggest_request_type

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
APPROVER = Person("de", "David Ellis", "david.ellis@goeverbright.com")
AGENT = Person("a", "Alex Rivera", "alex.rivera@goeverbright.com")
CUSTOMER = Person("c", "Dana Brooks", "dana@bluesky.com")
STAFF = ("goeverbright.com",)


def ticket(summary: str = "Proposal numbers look off", description: str = "", *comments: Comment,
           status: str = "Waiting for customer") -> Ticket:
    return Ticket("SS-9", "9", summary, status, "indeterminate", "Medium", NOW - timedelta(days=5), NOW,
                  reporter=CUSTOMER, description=description, comments=comments)


def said(who: Person, body: str, at: datetime, public: bool = True) -> Comment:
    return Comment(at.isoformat(), who, body, public, at)


# -- approval to push live (everbright-partner-onboarding.txt, step 5) -------------------------
def test_not_approved_yet_is_not_approval() -> None:
    j = approval([said(APPROVER, "Not approved yet, hold off.", NOW)], APPROVER, NOW - timedelta(hours=1))
    assert not j.yes and j.verdict == Approval.NOT_YET
    assert j.sentence == "Not approved yet, hold off." and j.author == APPROVER and j.at == NOW


def test_approval_with_a_condition_is_not_taken_as_approval() -> None:
    j = read_approver_reply("Approved, but only for California for now.")
    assert j.verdict == Approval.CONDITIONAL and not j.yes and "only" in j.reason


def test_approval_counts_only_after_the_question_whatever_the_utc_offsets() -> None:
    # Asked at 10:00 in Denver (17:00 UTC); the reply at 16:30 UTC came before it. As ISO strings
    # "2026-11-18T16:30:00+00:00" sorts after "2026-11-18T10:00:00-07:00": only datetimes get it right.
    asked = datetime(2026, 11, 18, 10, 0, tzinfo=timezone(timedelta(hours=-7)))
    before = said(APPROVER, "Approved, go ahead.", datetime(2026, 11, 18, 16, 30, tzinfo=UTC))
    assert approval([before], APPROVER, asked).verdict == Approval.NO_REPLY
    after = said(APPROVER, "Approved, go ahead.", datetime(2026, 11, 18, 18, 5, tzinfo=timezone(timedelta(hours=1))))
    assert approval([before, after], APPROVER, asked).yes  # 17:05 UTC


def test_the_approvers_latest_answer_wins() -> None:
    first = said(APPROVER, "Approved!", NOW - timedelta(hours=3))
    later = said(APPROVER, "Actually, hold off until legal signs.", NOW - timedelta(hours=1))
    assert approval([first, later], APPROVER, NOW - timedelta(hours=5)).verdict == Approval.NOT_YET
    assert approval([later, said(APPROVER, "Legal signed. Go ahead and push live.", NOW)], APPROVER, None).yes


def test_only_the_approver_can_approve() -> None:
    assert approval([said(AGENT, "Approved, go ahead.", NOW)], APPROVER, None).verdict == Approval.NO_REPLY


def test_a_separate_approval_ticket_is_read_too() -> None:
    sep = Ticket("SS-80", "80", "RE: Brightline go-live", "Open", "new", "Medium", NOW, NOW, reporter=APPROVER,
                 description="Brightline is approved to go live. Thanks!")
    j = approval([], APPROVER, NOW - timedelta(hours=2), approval_tickets=(sep,))
    assert j.yes and j.sentence == "Brightline is approved to go live."


def test_quoted_question_in_the_approvers_reply_is_not_read() -> None:
    body = "Let me check with compliance first.\n\nOn Tue, Nov 18, 2025 at 9:02 AM Support wrote:\n> Are we approved to push live?"
    assert read_approver_reply(body).verdict == Approval.NOT_YET


# -- closing rules (queue-triage-and-request-types.txt) ----------------------------------------
def test_still_not_resolved_does_not_make_a_ticket_ready_to_close() -> None:
    t = ticket("Rates", "", said(AGENT, "We fixed the rounding.", NOW - timedelta(hours=5)),
               said(CUSTOMER, "Thanks, but this is still not resolved.", NOW - timedelta(hours=1)))
    s = closing_state(t, STAFF, NOW)
    assert not s.ready
    assert s.evidence is not None and s.evidence.verdict == CustomerReply.NOT_RESOLVED


def test_a_wish_or_a_plan_is_not_a_confirmation() -> None:
    assert read_customer_reply("Thank you!! Looking forward to getting this resolved.").verdict == CustomerReply.THANKS_ONLY
    assert read_customer_reply("Thanks, I'll try that tomorrow and report back.").verdict == CustomerReply.THANKS_ONLY
    assert read_customer_reply("Works now, thanks. How do I add a new user?").verdict == CustomerReply.NEW_QUESTION


def test_a_customer_confirmation_is_shown_with_their_words() -> None:
    t = ticket("Rates", "", said(CUSTOMER, "Perfect, I can see the new inverter now. Thanks Alex", NOW - timedelta(hours=1)))
    s = closing_state(t, STAFF, NOW)
    assert s.ready and "“Perfect, I can see the new inverter now.” (Dana Brooks)" in s.reason


def test_resolved_in_quoted_history_is_not_the_customers_confirmation() -> None:
    body = ("ty, will check on monday\n\nOn Fri, Nov 14, 2026 at 4:55 PM EverBright Support wrote:\n"
            "> Could you let us know if the issue is resolved?")
    assert not closing_state(ticket("Rates", "", said(CUSTOMER, body, NOW - timedelta(hours=1))), STAFF, NOW).ready


def test_asking_for_an_account_id_does_not_start_the_24_hour_clock() -> None:
    s = closing_state(ticket("Login", "", said(AGENT, "Could you confirm your account ID?", NOW - timedelta(hours=30))),
                      STAFF, NOW)
    assert not s.ready and not s.asked_confirmation
    assert read_staff_reply("Could you confirm your account ID?").verdict == StaffReply.PROBING_QUESTION


def test_let_us_know_if_asking_for_details_is_not_a_confirmation_attempt() -> None:
    body = "Could you let us know if the error shows for other users too?"
    assert not closing_state(ticket("Login", "", said(AGENT, body, NOW - timedelta(hours=30))), STAFF, NOW).ready


def test_probing_questions_close_only_after_two_follow_ups() -> None:
    asks = [said(AGENT, "Could you confirm your account ID?", NOW - timedelta(hours=96)),
            said(AGENT, "Following up: could you confirm your account ID?", NOW - timedelta(hours=48))]
    assert not closing_state(ticket("Login", "", *asks), STAFF, NOW).ready
    third = said(AGENT, "Checking in once more on the account ID. We can't move forward without it.", NOW - timedelta(hours=25))
    s = closing_state(ticket("Login", "", *asks, third), STAFF, NOW)
    assert s.ready and s.unanswered_follow_ups == 2 and not s.asked_confirmation


def test_a_real_confirmation_attempt_starts_the_clock_and_is_quoted() -> None:
    ask = said(AGENT, "The utility rate has been corrected. Could you confirm it looks right on your end?", NOW - timedelta(hours=25))
    s = closing_state(ticket("Rates", "", ask), STAFF, NOW)
    assert s.ready and s.asked_confirmation
    assert s.evidence is not None and s.evidence.sentence == "Could you confirm it looks right on your end?"


# -- EB label and channel ----------------------------------------------------------------------
def test_an_eb_loan_is_everbright_financing() -> None:
    j = eb_financing(ticket("Stip on EB loan", "Got a stipulation on an EB loan asking for proof of income."))
    assert j.yes and "EB loan" in j.reason


def test_an_everbright_webinar_is_not_everbright_financing() -> None:
    assert not eb_financing(ticket("Join our EverBright financing webinar", "Register at the link, seats are limited!")).yes
    assert not eb_financing(ticket("Mosaic loans missing", "We use the EverBright platform and Mosaic loans don't show.")).yes


def test_everbrights_own_loan_and_an_application_with_everbright_are_everbright_financing() -> None:
    assert eb_financing(ticket("Florida", "Can we offer EverBright's loan in Florida now?")).yes
    assert eb_financing(ticket("Declined", "The homeowner's application with EverBright was declined.")).yes


def test_a_ticket_naming_everbright_without_its_financing_is_left_to_the_agent() -> None:
    j = eb_financing(ticket("Mosaic loans missing", "We use the EverBright platform and Mosaic loans don't show."))
    assert not j.yes and j.verdict == Financing.MENTIONED and "EverBright platform" in j.sentence
    assert eb_financing(ticket("Rates", "The utility rate for PG&E looks outdated.")).verdict == Financing.NOT_EB


def test_the_channel_is_suggested_from_the_ticket_never_assumed() -> None:
    chat = ticket("Chat: user can't find the equipment tab", "Chat transcript\n[10:02] Visitor: where is the equipment tab")
    assert suggest_channel(chat).verdict == Channel.CHAT
    assert suggest_channel(ticket("Add user", "Please add kate@sunpeak.com as a user."), "portal").verdict == Channel.UNKNOWN


# -- request type --------------------------------------------------------------------------------
def test_cant_see_loan_products_is_technical_support() -> None:
    sug = suggest_request_type(ticket("can't see loan products", "none of our loan products show up since this morning"))
    assert sug.name == "Technical Support"


def test_the_suggestion_ranks_the_sites_own_request_types_and_says_why() -> None:
    site = (RequestType("31", "Report a problem", "Something is broken or shows an error."),
            RequestType("32", "Billing & account", "Invoices, cancellation, training."),
            RequestType("33", "Password reset", "Locked out of your account."))
    sug = suggest_request_type(ticket("Proposal PDF fails", "Every time I click Generate I get an error."), site,
                               {"Report a problem": "Technical Support"})
    assert [r.name for r in sug.ranked][0] == "Report a problem" and {r.type_id for r in sug.ranked} == {"31", "32", "33"}
    assert sug.sop == "Technical Support" and "'error'" in sug.reason
