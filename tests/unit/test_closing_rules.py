"""The closing rules of both triage SOPs, one test per rule, with the clock passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from queue_tui.core.closing import closing_state
from queue_tui.core.models import Comment, LinkedIssue, Person, Ticket

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
AGENT = Person("a", "Alex Rivera", "alex.rivera@goeverbright.com")
CUSTOMER = Person("c", "Dana Brooks", "dana@bluesky.com")
STAFF = ("goeverbright.com",)


def t(*comments: Comment, links: tuple[LinkedIssue, ...] = (), status: str = "Waiting for customer") -> Ticket:
    return Ticket("SS-9", "9", "Proposal numbers look off", status, "indeterminate", "Medium", NOW - timedelta(days=5), NOW,
                  reporter=CUSTOMER, comments=comments, links=links)


def c(who: Person, body: str, hours_ago: float, public: bool = True) -> Comment:
    return Comment(str(hours_ago), who, body, public, NOW - timedelta(hours=hours_ago))


def test_ready_when_the_customer_confirmed() -> None:
    s = closing_state(t(c(AGENT, "We fixed the rounding issue.", 5), c(CUSTOMER, "Thanks, that fixed it!", 1)), STAFF, NOW)
    assert s.ready and "customer confirmed" in s.reason


def test_ready_24_hours_after_asking_for_confirmation_without_reply() -> None:
    ticket = t(c(AGENT, "We fixed it. Could you confirm it looks right now?", 25))
    assert closing_state(ticket, STAFF, NOW).ready
    not_yet = closing_state(ticket, STAFF, NOW - timedelta(hours=2))
    assert not not_yet.ready and not_yet.asked_confirmation


def test_ready_after_two_follow_ups_without_an_answer() -> None:
    asks = (c(AGENT, "Could you send Kate's email address?", 96), c(AGENT, "Following up: could you send it?", 48))
    assert not closing_state(t(*asks), STAFF, NOW).ready  # one follow-up is not enough
    third = c(AGENT, "Following up again: we still need the address.", 25)
    s = closing_state(t(*asks, third), STAFF, NOW)
    assert s.ready and s.unanswered_follow_ups == 2 and "followed up twice" in s.reason


def test_a_customer_answer_resets_the_follow_up_count() -> None:
    s = closing_state(t(c(AGENT, "Could you send it?", 96), c(AGENT, "Following up?", 48), c(CUSTOMER, "Here it is", 40),
                        c(AGENT, "Could you also send the site address?", 30)), STAFF, NOW)
    assert not s.ready and s.unanswered_follow_ups == 0


def test_ready_with_an_active_low_priority_dev_ticket() -> None:
    dev = LinkedIssue("DEV-4", "relates to", "Battery sizing", "Backlog", "new", "Bug", "Low", "Relates")
    s = closing_state(t(links=(dev,), status="Waiting for support"), STAFF, NOW)
    assert s.ready and s.dev_ticket == "DEV-4"
    high = LinkedIssue("DEV-5", "relates to", "Outage", "Backlog", "new", "Bug", "High", "Relates")
    assert not closing_state(t(links=(high,), status="Waiting for support"), STAFF, NOW).ready


def test_internal_notes_do_not_count_as_replies() -> None:
    s = closing_state(t(c(AGENT, "Please confirm it works?", 30, public=False)), STAFF, NOW)
    assert not s.ready


def test_follow_up_is_flagged_when_support_owes_an_answer_too_long() -> None:
    waiting = t(c(CUSTOMER, "Still broken for us.", 30), status="Waiting for support")
    assert closing_state(waiting, STAFF, NOW).follow_up_due
    assert not closing_state(waiting, STAFF, NOW, follow_up_after=timedelta(hours=48)).follow_up_due


def _incentive(cs_status: str, summary: str = "Update incentive for Massachusetts SMART program",
               request_type: str = "Industry-wide Data Change") -> Ticket:
    from dataclasses import replace

    from queue_tui.core.models import RequestType

    cs = LinkedIssue("CS-40", "relates to", summary, cs_status, "done" if cs_status == "Done" else "indeterminate",
                     "Task", "Medium", "Relates")
    base = t(c(AGENT, "We received your request and are working on it.", 30), status="Waiting for support")
    return replace(base, summary=summary, description="The SMART incentive block changed on the 1st.",
                   request_type=RequestType("3", request_type), links=(cs,))


def test_an_incentive_ticket_is_ready_once_its_cs_ticket_is_in_uat() -> None:
    ready = closing_state(_incentive("UAT"), STAFF, NOW)
    assert ready.ready and "CS ticket is in UAT (CS-40)" in ready.reason
    assert ready.evidence is not None and "incentive" in ready.evidence.sentence.lower()
    assert not closing_state(_incentive("In Progress"), STAFF, NOW).ready  # the configuration team is still on it


def test_an_incentive_ticket_stays_ready_once_its_cs_ticket_moved_past_uat_to_done() -> None:
    done = closing_state(_incentive("Done"), STAFF, NOW)
    assert done.ready and "CS ticket is past UAT: Done (CS-40)" in done.reason


def test_the_uat_rule_is_for_incentive_tickets_only() -> None:
    equipment = _incentive("UAT", summary="Please add the REC Alpha Pure 410W panel")
    from dataclasses import replace

    equipment = replace(equipment, description="New module from REC, spec sheet attached.")
    assert not closing_state(equipment, STAFF, NOW).ready  # equipment: no such rule in the SOP
    other_type = _incentive("UAT", request_type="Company-specific Data Change")
    assert not closing_state(other_type, STAFF, NOW).ready
    # The desk's own name for the type counts through its alias.
    aliased = _incentive("UAT", request_type="Data fix (all companies)")
    assert not closing_state(aliased, STAFF, NOW).ready
    assert closing_state(aliased, STAFF, NOW, aliases={"Data fix (all companies)": "Industry-wide Data Change"}).ready


def test_a_thank_you_after_the_customer_confirmed_leaves_the_confirmation_standing() -> None:
    confirmed = (c(AGENT, "We fixed the rounding issue.", 30), c(CUSTOMER, "That fixed it, thanks!", 20),
                 c(AGENT, "Glad to hear it!", 19))
    s = closing_state(t(*confirmed, c(CUSTOMER, "Thanks again, have a great weekend!", 2)), STAFF, NOW)
    assert s.ready and "customer confirmed" in s.reason
    assert s.evidence is not None and s.evidence.sentence == "That fixed it, thanks!"
    # Anything but thanks after it is the customer's latest word: a new question is not a confirmation.
    asked = closing_state(t(*confirmed, c(CUSTOMER, "One more thing: how do I export the proposal as a PDF?", 2)), STAFF, NOW)
    assert not asked.ready


def test_two_follow_ups_count_once_the_last_went_unanswered_for_24_hours() -> None:
    asks = (c(AGENT, "Could you send Kate's email address?", 96), c(AGENT, "Following up: could you send it?", 48),
            c(AGENT, "Following up again: we still need the address.", 2))
    just_sent = closing_state(t(*asks), STAFF, NOW)
    # "unresponsive after we've attempted to follow up at least twice": the customer has had no time to answer yet.
    assert not just_sent.ready and just_sent.unanswered_follow_ups == 2 and "followed up twice" in just_sent.reason
    later = closing_state(t(*asks), STAFF, NOW + timedelta(hours=22))
    assert later.ready and "followed up twice" in later.reason


def test_a_dev_ticket_counts_by_the_sites_own_dev_projects_and_low_priorities() -> None:
    eng = LinkedIssue("ENG-7", "relates to", "Battery sizing", "Backlog", "new", "Bug", "P4", "Relates")
    ticket = t(links=(eng,), status="Waiting for support")
    assert not closing_state(ticket, STAFF, NOW).ready  # not a dev project or a low priority the app knows of
    s = closing_state(ticket, STAFF, NOW, dev_projects=("ENG",), low_priorities=("P4", "P5"))
    assert s.ready and s.dev_ticket == "ENG-7"
