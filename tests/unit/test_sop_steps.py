"""The SOPs' own steps as the default pack plans them: routes per request type, mentions that
notify, the non-platform question and statuses, the approver reminder, the automation's CS ticket
brought up to cs-ticket-creation.txt, and every ordering the SOPs name."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest

from queue_tui.core import ops
from queue_tui.core.calendar import BusinessCalendar
from queue_tui.core.context import StepProgress
from queue_tui.core.cs_fields import CsFields, CsSetup
from queue_tui.core.link_types import LinkChoice, LinkType
from queue_tui.core.models import Comment, LinkedIssue, Organization, Person, RequestType
from queue_tui.core.plan import apply_list, plan
from queue_tui.core.playbook import Playbook, parse_playbook
from queue_tui.core.step_plan import StepPlan
from queue_tui.service.playbooks import PACK, load_all
from tests.unit.test_playbook_engine import DANA, DAVID, ME, NOW, RACHEL, SAM, TOMAS, ctx, ticket

KIRA = Person("kira-1", "Kira Gaza", "kira.gaza@goeverbright.com")
BHARGAV = Person("bhargav-1", "Bhargav Gor", "bhargav.gor@goeverbright.com")
JORDAN = Person("jordan-1", "Jordan Chriss", "jordan.chriss@goeverbright.com")
MORGAN = Person("morgan-1", "Morgan Lee", "morgan.lee@goeverbright.com")
CHERISH = Person("cherish-1", "Cherish Sharma", "cherish.sharma@goeverbright.com")
PEOPLE = {"approver": DAVID, "tesla_sunlight": KIRA, "financier_questions": BHARGAV, "sales_lead": JORDAN,
          "supervisor": MORGAN, "qa_assignee": CHERISH, "config_assignee": TOMAS, "anonymous_reporter": Person("anon", "Anonymous")}
TYPES = {"general inquiry": "1", "technical support": "2", "industry-wide data change": "3",
         "company-specific data change": "4", "feature request": "8", "non-platform request": "9"}


@pytest.fixture(scope="module")
def books() -> dict[str, Playbook]:
    found, problems = load_all([PACK])
    assert problems == []
    return found


def _done(*ids: str, at: timedelta = timedelta(0), state: str = "done") -> dict[str, StepProgress]:
    return {i: StepProgress(state, NOW - at, "Alex Rivera") for i in ids}


def steps(pb: Playbook, t, **kw: object) -> dict[str, StepPlan]:  # type: ignore[no-untyped-def]
    kw.setdefault("people", PEOPLE)
    kw.setdefault("request_types", TYPES)
    return {p.step.id: p for p in plan(pb, ctx(t, **kw))}


# -- routes ------------------------------------------------------------------------------------
def test_a_ticket_shows_the_routes_of_its_request_type_only(books: dict[str, Playbook]) -> None:
    company = steps(books["triage"], ticket(request_type=RequestType("4", "Company-specific Data Change")))
    assert {"tesla_sunlight", "financier_questions", "sunlight_cs", "sunlight_partner", "other_financier",
            "downstream_cs", "documents"} <= set(company)
    assert "sales_lead" not in company and "feature_request" not in company
    general = steps(books["triage"], ticket(request_type=RequestType("1", "General Inquiry")))
    assert {"sales_first_reply", "sales_lead", "sales_summary"} <= set(general) and "tesla_sunlight" not in general


def test_without_a_request_type_the_suggested_types_routes_wait_for_it(books: dict[str, Playbook]) -> None:
    t = ticket(summary="Idea: dark mode for the design tool", description="It would be great to have a dark mode.")
    plans = steps(books["triage"], t)
    assert plans["feature_request"].status == "waiting" and "once the request type is set" in plans["feature_request"].change


def test_a_route_names_its_role_and_is_taken_on_one_key_never_by_apply_all(books: dict[str, Playbook]) -> None:
    t = ticket(request_type=RequestType("4", "Company-specific Data Change"), assignee=ME, reporter=RACHEL,
               organizations=(Organization(10, "Blue Sky Renewables"),), channel=("Email",), labels=("EB",))
    plans = steps(books["triage"], t)
    tesla = plans["tesla_sunlight"]
    assert tesla.status == "option" and tesla.op == ops.SetPerson("SS-1", "assignee", KIRA)
    assert plans["financier_questions"].op == ops.SetPerson("SS-1", "assignee", BHARGAV)
    sunlight = plans["sunlight_cs"]
    assert sunlight.status == "option" and isinstance(sunlight.op, ops.CreateCs)
    assert sunlight.op.rules.epic == "Sunlight Configurations"
    assert plans["sunlight_partner"].status == "manual" and plans["other_financier"].status == "manual"
    assert not any(p.step.for_types for p in apply_list(list(plans.values())).steps)


def test_the_sales_lead_is_mentioned_so_jira_notifies_him(books: dict[str, Playbook]) -> None:
    t = ticket(request_type=RequestType("1", "General Inquiry"), reporter=Person("p", "Pat Doe", "pat@newco.com"),
               summary="Interested in the platform for our sales team")
    cloud = steps(books["triage"], t, mention_style="cloud")["sales_lead"]
    assert isinstance(cloud.op, ops.PostComment) and not cloud.op.public
    assert cloud.op.body.startswith("[~accountid:jordan-1]: a new lead from Pat Doe")
    assert cloud.op.shown.startswith("@Jordan Chriss: a new lead") and "@Jordan Chriss" in cloud.change
    dc = steps(books["triage"], t, mention_style="dc")["sales_lead"]
    assert isinstance(dc.op, ops.PostComment) and dc.op.body.startswith("[~jordan-1]:")
    # The summary of his answer comes after the alert, not before.
    assert steps(books["triage"], t)["sales_summary"].status == "waiting"


def test_a_feature_request_asks_for_its_link_then_posts_it_internally(books: dict[str, Playbook]) -> None:
    t = ticket(request_type=RequestType("8", "Feature Request"), summary="Allow bulk export of proposals")
    asked = steps(books["triage"], t)["feature_request"]
    assert asked.status == "option" and asked.op is None and "g asks for: Link to the feature request" in asked.change
    link = "https://everbright.aha.io/ideas/IDEA-412"
    filled = steps(books["triage"], t, inputs={"feature_request": link})["feature_request"]
    assert filled.op == ops.PostComment("SS-1", f"Feature request documented: {link}", False,
                                        "triage/feature_request@SS-1", f"Feature request documented: {link}")


def test_a_mention_of_a_role_nobody_is_mapped_to_blocks_the_comment(books: dict[str, Playbook]) -> None:
    t = ticket(request_type=RequestType("1", "General Inquiry"))
    blocked = steps(books["triage"], t, people={**PEOPLE, "sales_lead": None})["sales_lead"]
    assert blocked.status == "blocked" and "sales_lead" in blocked.problem and blocked.op is None


def test_an_incentive_route_waits_for_the_cs_ticket_in_uat(books: dict[str, Playbook]) -> None:
    t = ticket(request_type=RequestType("3", "Industry-wide Data Change"), summary="Update incentive for SMART")
    cs = ticket(key="CS-40", summary="cs", status="UAT", status_category="indeterminate")
    before = steps(books["triage"], t, progress=_done("incentive_reply", state="ticked"))
    assert before["incentive_cs"].status == "option" and before["incentive_uat"].status == "waiting"
    assert steps(books["triage"], t, cs=cs, progress=_done("incentive_reply", state="ticked"))["incentive_uat"].status == "met"
    # The CS ticket for the configuration team comes after the reply to the customer.
    assert steps(books["triage"], t)["incentive_cs"].status == "waiting"


# -- the non-platform SOP ----------------------------------------------------------------------
def test_the_non_platform_fields_wait_for_the_agents_answer(books: dict[str, Playbook]) -> None:
    plans = steps(books["non-platform"], ticket(summary="Meet us at RE+ 2026"))
    assert plans["attention"].status == "todo" and "e to answer" in plans["attention"].change
    assert {plans[s].status for s in ("participants", "organization", "assignee", "reporter", "request_type", "close")} \
        == {"waiting"}
    assert apply_list(list(plans.values())).stop is plans["attention"]  # G stops at the question


def test_might_need_attention_sends_it_to_the_supervisor_and_nothing_else(books: dict[str, Playbook]) -> None:
    asked = {"attention": StepProgress("chosen", NOW, "Alex Rivera", "supervisor")}
    plans = steps(books["non-platform"], ticket(summary="Meet us at RE+ 2026"), progress=asked, mention_style="cloud")
    note = plans["ask_supervisor"]
    assert isinstance(note.op, ops.PostComment) and note.op.body.startswith("[~accountid:morgan-1]:") and not note.op.public
    assert {plans[s].status for s in ("participants", "organization", "assignee", "close")} == {"skip"}


@pytest.mark.parametrize(("word", "resolution"), [("Won't Do", "Won't Do"), ("Closed", "Done"),
                                                  ("Non-Platform Request", "Non-Platform Request"), ("Other", "Other")])
def test_the_status_is_the_one_of_four_the_agent_chose(books: dict[str, Playbook], word: str, resolution: str) -> None:
    answered = {"attention": StepProgress("chosen", NOW, "Alex Rivera", "junk"),
                "close": StepProgress("chosen", NOW, "Alex Rivera", word)}
    close = steps(books["non-platform"], ticket(summary="Meet us at RE+ 2026"), progress=answered)["close"]
    assert close.op == ops.Transition("SS-1", "Closed", resolution)


# -- EverBright onboarding -----------------------------------------------------------------------
def _onboarding(**kw: object):  # type: ignore[no-untyped-def]
    return ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems",
                  organizations=(Organization(15, "Redwood Power Systems"),), **kw)


def _cs(status: str = "On Hold"):  # type: ignore[no-untyped-def]
    return ticket(key="CS-30", summary="cs", status=status, status_category="indeterminate")


def test_the_approval_question_mentions_the_approver(books: dict[str, Playbook]) -> None:
    plans = steps(books["everbright-onboarding"], _onboarding(), cs=_cs(), mention_style="cloud",
                  progress=_done("wait_cs_hold", state="met"))
    ask = plans["ask_approval"]
    assert isinstance(ask.op, ops.PostComment) and ask.op.body.startswith("[~accountid:david-1]: the configuration")
    assert "@David Ellis" in ask.change


def test_the_slack_reminder_counts_down_from_the_question_and_comes_due_after_24_hours(books: dict[str, Playbook]) -> None:
    pb = books["everbright-onboarding"]
    asked_2h_ago = {**_done("wait_cs_hold", state="met"), **_done("ask_approval", at=timedelta(hours=2))}
    before = steps(pb, _onboarding(), cs=_cs(), progress=asked_2h_ago)["remind"]
    assert before.status == "waiting" and before.due_at == NOW + timedelta(hours=22)
    assert "due in 22 h 00 min" in before.change
    not_asked = steps(pb, _onboarding(), cs=_cs(), progress=_done("wait_cs_hold", state="met"))["remind"]
    assert not_asked.status == "waiting" and not_asked.due_at is None  # no question, no clock
    asked_25h_ago = {**_done("wait_cs_hold", state="met"), **_done("ask_approval", at=timedelta(hours=25))}
    due = steps(pb, _onboarding(), cs=_cs(), progress=asked_25h_ago)["remind"]
    assert due.status == "manual" and "due 1 h 00 min ago" in due.current and "Message: Hi David Ellis" in due.change
    reply = Comment("9", DAVID, "Not yet, waiting on legal.", False, NOW - timedelta(hours=1))
    heard = steps(pb, _onboarding(comments=(reply,)), cs=_cs(), progress=asked_25h_ago)["remind"]
    assert heard.status == "skip"  # we heard back: no reminder, whatever he said
    # The countdown never stops apply-all.
    assert all(p.step.id != "remind" for p in [apply_list(list(steps(pb, _onboarding(), cs=_cs(),
                                                                      progress=asked_2h_ago).values())).stop] if p)


def test_only_an_approval_ticket_the_agent_linked_and_the_approver_wrote_stops_the_reminder(
        books: dict[str, Playbook]) -> None:
    pb = books["everbright-onboarding"]
    asked = {**_done("wait_cs_hold", state="met"), **_done("ask_approval", at=timedelta(hours=25))}
    link = (LinkedIssue("SS-1", "duplicates", "EverBright Partner Onboarding", "Waiting for support", "new",
                        "Service Request", "Medium", "Duplicate"),)

    def remind(reporter: Person, links: tuple[LinkedIssue, ...]) -> StepPlan:
        other = ticket(key="SS-9", summary="Redwood Power Systems approved", reporter=reporter,
                       created=NOW - timedelta(hours=1), links=links)
        return steps(pb, _onboarding(), cs=_cs(), progress=asked, related=(other,))["remind"]

    assert remind(DAVID, ()).status == "manual"  # found by its subject, not linked: we have not heard back yet
    assert remind(RACHEL, link).status == "manual"  # linked, but someone else wrote it
    assert remind(DAVID, link).status == "skip"
    # A reply of his with another subject counts once the agent links it.
    reply = ticket(key="SS-9", summary="Re: Redwood go live", description="Hold off for now please.", reporter=DAVID,
                   created=NOW - timedelta(hours=1), links=link)
    assert steps(pb, _onboarding(), cs=_cs(), progress=asked, related=(reply,))["remind"].status == "skip"


def _fields(**kw: object) -> CsFields:
    base: dict[str, object] = dict(key="CS-30", issue_type="Int Fin", created=NOW - timedelta(minutes=5),
                                   linked_to=("SS-1",), link=LinkChoice(RELATES, True))
    base.update(kw)
    return CsFields(**base)  # type: ignore[arg-type]


SETUP = CsSetup(BusinessCalendar(UTC))
RELATES = LinkType("10003", "Relates", "relates to", "relates to")


def test_the_automations_cs_ticket_is_brought_up_to_the_sop(books: dict[str, Playbook]) -> None:
    pb = books["everbright-onboarding"]
    done = _done("organization", "watchers", "reporter", "request_type", "needs_config")
    step = steps(pb, _onboarding(), cs=_cs("To Do"), cs_fields=_fields(), cs_setup=SETUP, progress=done)["update_cs"]
    assert step.status == "todo" and isinstance(step.op, ops.UpdateCs)
    changes = {ch.field: ch.after for ch in step.op.changes}
    # Filed Wednesday 14:55: integrated financing is due in 24 h for all three, from the CS ticket's own filing.
    assert changes == {"epic": "Installer Onboardings", "due": "2026-11-19 (Integrated financing)",
                       "config_date": "2026-11-19 (Integrated financing)", "qa_date": "2026-11-19 (Integrated financing)",
                       "qa_assignee": "Cherish Sharma"}
    assert {w.what for w in step.writes()} == {"epic", "due", "config date", "qa date", "qa assignee"}
    ready = _fields(epic="Installer Onboardings", due=date(2026, 11, 19), config_date=date(2026, 11, 19),
                    qa_date=date(2026, 11, 19), qa_assignee=CHERISH)
    assert steps(pb, _onboarding(), cs=_cs("To Do"), cs_fields=ready, cs_setup=SETUP, progress=done)["update_cs"].status == "met"


def test_replacing_what_the_cs_ticket_has_is_the_agents_decision(books: dict[str, Playbook]) -> None:
    pb = books["everbright-onboarding"]
    done = _done("organization", "watchers", "reporter", "request_type", "needs_config")
    moved = _fields(issue_type="Task", due=date(2026, 11, 25))
    step = steps(pb, _onboarding(), cs=_cs("To Do"), cs_fields=moved, cs_setup=SETUP, progress=done)["update_cs"]
    assert step.status == "decide" and "issue type Task" in step.problem and "due 2026-11-25" in step.problem
    unlinked = _fields(linked_to=())
    linking = steps(pb, _onboarding(), cs=_cs("To Do"), cs_fields=unlinked, cs_setup=SETUP, progress=done)["update_cs"]
    assert isinstance(linking.op, ops.UpdateCs) and ops.CsChange("link", "", "relates to SS-1", "SS-1") in linking.op.changes


def test_the_automations_cs_ticket_is_linked_with_the_sites_own_relationship(books: dict[str, Playbook]) -> None:
    pb = books["everbright-onboarding"]
    done = _done("organization", "watchers", "reporter", "request_type", "needs_config")
    no_relates = _fields(linked_to=(), link=LinkChoice(LinkType("1", "Blocks", "is blocked by", "blocks"), True))
    step = steps(pb, _onboarding(), cs=_cs("To Do"), cs_fields=no_relates, cs_setup=SETUP, progress=done)["update_cs"]
    assert isinstance(step.op, ops.UpdateCs) and ops.CsChange("link", "", "blocks SS-1", "SS-1") in step.op.changes
    no_linking = _fields(linked_to=(), link=None, epic="Installer Onboardings", due=date(2026, 11, 19),
                         config_date=date(2026, 11, 19), qa_date=date(2026, 11, 19), qa_assignee=CHERISH)
    plan_ = steps(pb, _onboarding(), cs=_cs("To Do"), cs_fields=no_linking, cs_setup=SETUP, progress=done)["update_cs"]
    assert plan_.status == "met"  # a site without issue linking: nothing to link, nothing stuck


# -- every ordering the SOPs name ----------------------------------------------------------------
@pytest.mark.parametrize(("book", "step", "before", "cs_status"), [
    # channel-partner-request.txt
    ("channel-partner", "relate_1", ("case", "reply_1"), None),
    ("channel-partner", "no_outstanding", ("wait_cs_done",), "Done"),
    ("channel-partner", "reply_2", ("no_outstanding",), "Done"),
    ("channel-partner", "relate_2", ("reply_2",), "Done"),
    # everbright-partner-onboarding.txt
    ("everbright-onboarding", "cs_ticket", ("needs_config",), None),
    ("everbright-onboarding", "update_cs", ("cs_ticket",), None),
    ("everbright-onboarding", "ask_push_live", ("cs_to_do",), "On Hold"),
    ("everbright-onboarding", "close", ("live_note",), "Done"),
])
def test_a_step_waits_for_the_steps_the_sop_puts_before_it(books: dict[str, Playbook], book: str, step: str,
                                                            before: tuple[str, ...], cs_status: str | None) -> None:
    pb = books[book]
    assert pb.step(step) is not None and set(before) <= set(pb.step(step).after)  # type: ignore[union-attr]
    every = tuple(s.id for s in pb.steps if s.id not in before and s.id != step)
    t = _onboarding() if book == "everbright-onboarding" else ticket(summary="A New Channel Partner Request for X")
    cs = _cs(cs_status) if cs_status else None
    held = steps(pb, t, cs=cs, progress=_done(*every))[step]
    assert held.status == "waiting" and "after" in held.change


def test_apply_all_takes_a_dependent_step_right_after_the_step_it_waits_for(books: dict[str, Playbook]) -> None:
    pb = books["everbright-onboarding"]
    earlier = tuple(s.id for s in pb.steps if s.id not in ("live_note", "close", "comms_needed"))
    plans = {p.step.id: p for p in plan(pb, ctx(_onboarding(), people=PEOPLE, cs=_cs("Done"), progress=_done(*earlier)))}
    note, close = plans["live_note"], plans["close"]
    assert note.status == "todo" and close.status == "waiting" and close.held_by == ("live_note",)
    assert [p.step.id for p in apply_list([note, close]).steps] == ["live_note", "close"]  # in one G, in order
    assert apply_list([close]).steps == () and apply_list([close]).stop is close  # never on its own


def test_a_playbook_names_unknown_choice_answers_as_errors() -> None:
    text = (PACK / "non-platform.toml").read_text().replace('when = "chose:attention:supervisor"',
                                                             'when = "chose:attention:maybe"')
    with pytest.raises(ValueError, match="unknown condition 'chose:attention:maybe'"):
        parse_playbook(text, "non-platform.toml")


def test_routes_need_a_request_type() -> None:
    text = '''id = "x"\nname = "X"\n[[steps]]\nid = "a"\nkind = "manual"\n[[routes]]\nid = "r"\nkind = "manual"\n'''
    with pytest.raises(ValueError, match="'type' is required"):
        parse_playbook(text, "x.toml")


# -- facts a playbook declares ---------------------------------------------------------------
def test_on_an_everbright_onboarding_the_eb_label_is_a_plain_to_do_with_its_reason(books: dict[str, Playbook]) -> None:
    from queue_tui.core.playbook import choose
    t = _onboarding()  # its form names no loan: read as text, the label would only be a question
    pb, _ = choose(books, t)  # type: ignore[misc]
    eb = steps(pb, t, cs=_cs())["eb_label"]
    assert eb.status == "todo" and eb.op == ops.AddLabel("SS-1", "EB")
    assert "an EverBright partner onboarding is about EverBright financing" in eb.change
    assert apply_list(plan(pb, ctx(t, people=PEOPLE))).stop != eb  # G does not stop at it
    triage = steps(books["triage"], ticket(description="Can we offer the EB loan in Texas?"))["eb_label"]
    assert triage.status == "suggested" and triage.evidence is not None  # a judgement everywhere else


def test_a_fact_names_a_condition_the_engine_reads_from_text() -> None:
    from queue_tui.core.playbook import PlaybookError
    text = ('id = "x"\nname = "X"\n[facts]\ncs_exists = "always"\n'
            '[[steps]]\nid = "a"\nkind = "manual"\n')
    with pytest.raises(PlaybookError, match="facts: 'cs_exists' is not a condition read from text"):
        parse_playbook(text, "x.toml")


def test_the_initial_reply_is_done_by_a_public_reply_of_ours_only(books: dict[str, Playbook]) -> None:
    """queue-triage-and-request-types.txt: "Send an initial reply to the customer": a reply the customer got from us."""
    at = NOW - timedelta(minutes=5)
    outside = Person("me-1", "Alex Rivera", "alex@contractor.example")  # me, from an address not among staff_domains

    def first(*comments: Comment, reporter: Person = DANA, me: Person = ME) -> str:
        return str(steps(books["triage"], ticket(reporter=reporter, comments=tuple(comments)), me=me)["first_reply"].status)

    assert first(Comment("1", DANA, "Any news on this?", True, at)) == "manual"  # the customer's own words
    assert first(Comment("3", SAM, "Hi Dana, we are looking into it.", True, at)) == "done"  # a colleague's reply
    # A staff member who forwarded the message is its reporter: their own words are not our reply.
    assert first(Comment("5", SAM, "Forwarding from the customer.", True, at), reporter=SAM) == "manual"
    # My reply counts whatever my address: the desk may not list every staff domain.
    assert first(Comment("6", outside, "Hi Dana, we are looking into it.", True, at), me=outside) == "done"
