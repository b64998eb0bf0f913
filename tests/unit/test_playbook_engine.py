"""The playbook engine: loading (and refusing) files, matching, and the plan for each step kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from queue_tui.core import ops
from queue_tui.core.context import Change, Context, StepProgress
from queue_tui.core.models import Comment, LinkedIssue, Organization, Person, RequestType, Ticket
from queue_tui.core.plan import apply_list, plan, remaining
from queue_tui.core.playbook import PlaybookError, choose, parse_playbook
from queue_tui.core.step_plan import StepPlan
from queue_tui.service.playbooks import PACK, load_all, load_dir

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
ME = Person("me-1", "Alex Rivera", "alex.rivera@goeverbright.com")
SAM = Person("sam-1", "Sam Okafor", "sam.okafor@goeverbright.com")
DAVID = Person("david-1", "David Ellis", "david.ellis@goeverbright.com")
RACHEL = Person("rachel-1", "Rachel Kim", "rachel.kim@goeverbright.com")
TOMAS = Person("tomas-1", "Tomas Berg", "tomas.berg@goeverbright.com")
DANA = Person("dana-1", "Dana Brooks", "dana@blueskyrenewables.com")
# The agent's answer to the non-platform SOP's first question: it does not need the Support Supervisor.
NOT_PLATFORM = {"attention": StepProgress("chosen", NOW, "Alex Rivera", "junk")}


def ticket(**kw: object) -> Ticket:
    base: dict[str, object] = dict(key="SS-1", id="1", summary="Fwd: Customer can't see loan products", status="Waiting for support",
                                   status_category="new", priority="Medium", created=NOW - timedelta(minutes=20),
                                   updated=NOW, reporter=SAM, description="Our EverBright loan products are gone.")
    base.update(kw)
    return Ticket(**base)  # type: ignore[arg-type]


def ctx(t: Ticket, **kw: object) -> Context:
    base: dict[str, object] = dict(
        ticket=t, me=ME, now=NOW, people={"approver": DAVID, "onboarding_reporter": Person("ob", "EverBright Onboarding"),
                                          "anonymous_reporter": Person("anon", "Anonymous"), "qa_assignee": None,
                                          "config_assignee": TOMAS},
        staff_domains=("goeverbright.com",),
        org_ids={"blue sky renewables": 10, "green light solar": 5, "hw solar": 4, "redwood power systems": 15,
                 "non-platform emails": 17},
        channel_managers={"hw solar": "Green Light Solar"}, account_managers={"redwood power systems": RACHEL},
        request_types={"general inquiry": "1", "technical support": "2", "company-specific data change": "4",
                       "non-platform request": "9"})
    base.update(kw)
    return Context(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def books() -> dict:  # type: ignore[type-arg]
    found, problems = load_all([PACK])
    assert problems == []
    return found


def test_the_default_pack_has_one_playbook_per_sop(books: dict) -> None:  # type: ignore[type-arg]
    assert {pb.sop for pb in books.values()} >= {"queue-triage-and-request-types.txt", "everbright-partner-onboarding.txt",
                                                 "channel-partner-request.txt"}


def test_matching_picks_the_specific_sop_over_triage(books: dict) -> None:  # type: ignore[type-arg]
    assert choose(books, ticket(summary="EverBright Partner Onboarding"))[0].id == "everbright-onboarding"  # type: ignore[index]
    assert choose(books, ticket(summary="A New Channel Partner Request for Coastal Sun Co"))[0].id == "channel-partner"  # type: ignore[index]
    assert choose(books, ticket(summary="Proposal PDF fails"))[0].id == "triage"  # type: ignore[index]


def test_triage_plan_on_a_messy_ticket_lists_every_unmet_essential_field(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(participants=(RACHEL, DANA))
    steps = {p.step.id: p for p in plan(books["triage"], ctx(t))}
    assert steps["assignee"].status == "todo" and "Alex Rivera" in steps["assignee"].change
    assert steps["reporter"].status == "todo"  # a staff member forwarded it
    assert steps["organization"].status == "blocked"  # nothing to go on: the agent picks one
    # Read from the text: shown with the words they rest on, applied only on the agent's confirm.
    eb = steps["eb_label"]
    assert eb.status == "suggested" and eb.op == ops.AddLabel("SS-1", "EB")
    assert eb.evidence is not None and "EverBright loan" in eb.evidence.sentence
    channel = steps["channel"]  # a forwarded email
    assert channel.status == "suggested" and channel.op == ops.SetChannel("SS-1", ("Email",))
    assert channel.evidence is not None and channel.evidence.sentence.startswith("Fwd:")
    assert steps["staff_participants"].op == ops.MoveStaffToWatchers("SS-1", (RACHEL,))
    assert steps["watchers"].status == "manual"
    assert steps["request_type"].status == "suggested" and isinstance(steps["request_type"].op, ops.SetRequestType)


def test_a_staff_participant_already_watching_is_only_removed_from_the_participants(books: dict) -> None:  # type: ignore[type-arg]
    # The move was half done before (watcher added, then the removal failed or the app was killed):
    # running it again does not add the watcher a second time.
    t = ticket(participants=(RACHEL, DANA), watchers=(RACHEL,))
    op = {p.step.id: p for p in plan(books["triage"], ctx(t))}["staff_participants"].op
    assert isinstance(op, ops.MoveStaffToWatchers) and op.people == (RACHEL,)
    assert op.to_add() == ()
    assert [w.what for w in op.writes("Rachel Kim, Dana Brooks")] == ["participants"]


def test_a_clean_ticket_has_nothing_to_do(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(summary="Where can I find the proposal history?", description="Question about history.", reporter=DANA,
               assignee=ME, organizations=(Organization(10, "Blue Sky Renewables"),), channel=("Email",),
               request_type=RequestType("1", "General Inquiry"))
    plans = plan(books["triage"], ctx(t))
    assert [p for p in plans if p.status == "todo"] == []
    assert remaining(plans) == []


def test_a_channel_partner_gets_the_channel_managers_organization(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(organizations=(Organization(4, "HW Solar"),))
    step = next(p for p in plan(books["triage"], ctx(t)) if p.step.id == "organization")
    assert step.op == ops.SetOrganization("SS-1", 5, "Green Light Solar")
    assert step.status == "decide"  # it replaces the organization the ticket has: the agent decides


def test_an_unmapped_role_says_so_instead_of_guessing(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems")
    c = ctx(t, people={"onboarding_reporter": None})
    steps = {p.step.id: p for p in plan(books["everbright-onboarding"], c)}
    assert steps["watchers"].status in ("todo", "blocked")
    assert 'role approver is not mapped: add approver = "Name or email" under [roster]' in steps["watchers"].problem
    assert steps["reporter"].status == "blocked" and "not found in Jira" in steps["reporter"].problem


def test_onboarding_takes_the_organization_from_the_form_and_holds_after_a_wait(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(summary="EverBright Partner Onboarding",
               description="Installer name: Redwood Power Systems\nInstaller contact email: ops@redwoodpower.com")
    steps = {p.step.id: p for p in plan(books["everbright-onboarding"], ctx(t))}
    assert steps["organization"].op == ops.SetOrganization("SS-1", 15, "Redwood Power Systems")
    assert steps["watchers"].op == ops.AddWatchers("SS-1", (RACHEL, DAVID))
    # The automation files the CS ticket once Needs Configuration? is set: filing one by hand first would make two.
    assert steps["cs_ticket"].status == "waiting" and "Needs Configuration?" in steps["cs_ticket"].change
    assert steps["wait_cs_hold"].status == "waiting"
    assert steps["ask_approval"].status == "waiting"  # held until the configuration team is done


def test_onboarding_refuses_a_public_comment_with_the_sops_reason() -> None:
    text = (PACK / "everbright-onboarding.toml").read_text().replace('visibility = "internal"\ntemplate = "{@approver}: the configuration',
                                                                     'visibility = "public"\ntemplate = "{@approver}: the configuration')
    pb = parse_playbook(text, "everbright-onboarding.toml")
    cs = ticket(key="CS-30", summary="cs", status="On Hold", status_category="indeterminate")
    t = ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems")
    step = next(p for p in plan(pb, ctx(t, cs=cs)) if p.step.id == "ask_approval")
    assert step.status == "blocked" and "customers are not copied" in step.problem.lower()


def test_waits_open_when_their_event_arrives(books: dict) -> None:  # type: ignore[type-arg]
    pb = books["everbright-onboarding"]
    t = ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems",
               organizations=(Organization(15, "Redwood Power Systems"),),
               links=(LinkedIssue("CS-30", "relates to", "x", "On Hold", "indeterminate", "Int Fin", "High", "Relates"),))
    cs = ticket(key="CS-30", summary="cs", status="On Hold", status_category="indeterminate")
    steps = {p.step.id: p for p in plan(pb, ctx(t, cs=cs))}
    assert steps["wait_cs_hold"].status == "met"
    assert steps["ask_approval"].status == "todo"
    assert steps["wait_approval"].status == "waiting"
    asked = {"ask_approval": StepProgress("done", NOW - timedelta(hours=25))}
    later = {p.step.id: p for p in plan(pb, ctx(t, cs=cs, progress=asked))}
    assert later["remind"].status == "manual"  # 24 h without an answer: the Slack reminder appears
    answered = ticket(summary=t.summary, description=t.description, organizations=t.organizations, links=t.links,
                      comments=(Comment("9", DAVID, "Approved to push live.", False, NOW),))
    read = {p.step.id: p for p in plan(pb, ctx(answered, cs=cs, progress=asked))}
    assert read["wait_approval"].status == "suggested"  # read as approved: the agent confirms before anything goes live
    assert read["wait_approval"].evidence is not None and read["wait_approval"].evidence.sentence == "Approved to push live."
    assert read["remind"].status == "skip"
    assert read["cs_to_do"].status == "waiting" and read["cs_to_do"].op is None
    confirmed = {**asked, "wait_approval": StepProgress("confirmed", NOW, "Alex Rivera", "Approved to push live.")}
    done = {p.step.id: p for p in plan(pb, ctx(answered, cs=cs, progress=confirmed))}
    assert done["wait_approval"].status == "met"
    assert done["cs_to_do"].op == ops.Transition("CS-30", "To Do", None)


def _onboarding_waiting_for_approval(comments: tuple[Comment, ...], asked_at: datetime) -> dict[str, StepPlan]:
    books, _ = load_all([PACK])
    t = ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems",
               organizations=(Organization(15, "Redwood Power Systems"),), comments=comments,
               links=(LinkedIssue("CS-30", "relates to", "x", "On Hold", "indeterminate", "Int Fin", "High", "Relates"),))
    cs = ticket(key="CS-30", summary="cs", status="On Hold", status_category="indeterminate")
    return {p.step.id: p for p in plan(books["everbright-onboarding"],
                                       ctx(t, cs=cs, progress={"ask_approval": StepProgress("done", asked_at)}))}


def test_not_approved_yet_never_opens_the_go_live_steps() -> None:
    steps = _onboarding_waiting_for_approval((Comment("9", DAVID, "Not approved yet, hold off until Monday.", False, NOW),),
                                             NOW - timedelta(hours=1))
    assert steps["wait_approval"].status == "waiting"
    assert steps["wait_approval"].evidence is not None and "hold off" in steps["wait_approval"].evidence.sentence
    assert steps["cs_to_do"].status == "waiting" and steps["ask_push_live"].status == "waiting"


def test_an_approval_is_compared_with_the_ask_as_a_moment_not_as_text() -> None:
    """Asked at 15:00 in UTC+1 (14:00 UTC), approved at 14:30 UTC: after the ask, whatever the offsets."""
    plus_one = timezone(timedelta(hours=1))
    asked = datetime(2026, 11, 18, 15, 0, tzinfo=plus_one)
    answer = Comment("9", DAVID, "Approved, go ahead.", False, datetime(2026, 11, 18, 14, 30, tzinfo=UTC))
    assert _onboarding_waiting_for_approval((answer,), asked)["wait_approval"].status == "suggested"
    before = Comment("8", DAVID, "Approved, go ahead.", False, datetime(2026, 11, 18, 13, 30, tzinfo=UTC))
    assert _onboarding_waiting_for_approval((before,), asked)["wait_approval"].status == "waiting"


def test_apply_all_never_replaces_what_the_form_sender_set(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems")
    listed = apply_list(plan(books["everbright-onboarding"], ctx(t)))
    assert [type(p.op) for p in listed.steps] == [ops.SetOrganization, ops.AddWatchers]
    assert listed.stop is not None and listed.stop.step.id == "reporter" and listed.stop.status == "decide"
    assert "Reporter" in listed.stop_reason() and "needs your decision" in listed.stop_reason()


def test_apply_all_stops_at_a_blocked_step_and_applies_nothing_after_it(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(summary="Fwd: something", description="No form here.")  # the onboarding chosen by hand on another ticket
    listed = apply_list(plan(books["everbright-onboarding"], ctx(t)))
    assert listed.steps == () and listed.stop is not None and listed.stop.step.id == "organization"
    assert "Installer name" in listed.stop_reason()


def test_a_colleagues_assignment_and_request_type_are_theirs(books: dict) -> None:  # type: ignore[type-arg]
    priya = Person("priya-1", "Priya Nair", "priya.nair@goeverbright.com")
    t = ticket(assignee=priya, request_type=RequestType("4", "Company-specific Data Change"), reporter=DANA,
               summary="Proposal PDF fails", description="Error when generating the PDF.")
    set_at = NOW - timedelta(hours=2)
    history = {"request_type": Change(priya, set_at, "Company-specific Data Change")}
    steps = {p.step.id: p for p in plan(books["triage"], ctx(t, history=history))}
    assert steps["assignee"].status == "decide" and steps["assignee"].colleague == priya
    assert "Priya Nair's value" in steps["assignee"].whose()
    rt = steps["request_type"]
    assert rt.status == "met" and rt.op is None  # already set: the suggestion is shown, not applied
    assert "Technical Support" in rt.change
    assert all(not isinstance(p.op, ops.SetPerson | ops.SetRequestType) for p in apply_list(plan(books["triage"], ctx(t))).steps)
    non_platform = {p.step.id: p for p in plan(books["non-platform"], ctx(t, history=history, progress=NOT_PLATFORM))}
    assert non_platform["request_type"].status == "decide"
    assert non_platform["request_type"].whose() == f"Priya Nair's value, set {set_at:%Y-%m-%d %H:%M}"
    reporter = non_platform["reporter"]  # nobody changed it since the ticket came in: the changelog says so
    assert reporter.status == "todo" and "replaces Dana Brooks, the value the ticket came with" in reporter.change


def test_a_value_the_ticket_came_with_is_set_as_the_sop_says_but_a_colleagues_is_theirs(books: dict) -> None:  # type: ignore[type-arg]
    priya = Person("priya-1", "Priya Nair", "priya.nair@goeverbright.com")
    t = ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems", reporter=priya)
    came = {p.step.id: p for p in plan(books["everbright-onboarding"], ctx(t, history={}))}["reporter"]
    assert came.status == "todo" and came.op == ops.SetPerson("SS-1", "reporter", Person("ob", "EverBright Onboarding"))
    assert [w.line() for w in came.writes()] == ["SS-1  reporter: Priya Nair → EverBright Onboarding"]
    set_by = {"reporter": Change(SAM, NOW - timedelta(hours=1), "Priya Nair")}
    theirs = {p.step.id: p for p in plan(books["everbright-onboarding"], ctx(t, history=set_by))}["reporter"]
    assert theirs.status == "decide" and theirs.colleague == SAM
    unknown = {p.step.id: p for p in plan(books["everbright-onboarding"], ctx(t))}["reporter"]
    assert unknown.status == "decide"  # Jira told nothing of the field's history: the agent decides


def test_a_value_i_set_myself_is_mine_to_change(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(request_type=RequestType("1", "General Inquiry"))
    steps = {p.step.id: p for p in plan(books["non-platform"], ctx(t, history={"request_type": Change(ME, NOW)},
                                                                  progress=NOT_PLATFORM))}
    assert steps["request_type"].status == "todo"


@pytest.mark.parametrize(("text", "status", "verdict"), [
    ("Can we offer the EB loan to our customers in Texas?", "suggested", "EverBright financing"),
    ("Can we offer EverBright's loan in Florida now?", "suggested", "EverBright financing"),
    ("Join our EverBright financing webinar next week, register today.", "suggested", "mentions EverBright"),
    ("Our Mosaic loans stopped showing in the EverBright platform.", "suggested", "mentions EverBright"),
    ("The utility rate for PG&E looks outdated on proposals.", "skip", "not EverBright financing"),
])
def test_the_eb_label_is_skipped_only_when_the_ticket_never_names_everbright(books: dict, text: str, status: str,  # type: ignore[type-arg]
                                                                             verdict: str) -> None:
    step = next(p for p in plan(books["triage"], ctx(ticket(description=text))) if p.step.id == "eb_label")
    assert step.status == status
    assert step.evidence is not None and step.evidence.verdict == verdict
    assert (step.evidence.sentence == text) == (status == "suggested")


def test_the_agent_answers_the_eb_question_and_apply_all_waits_for_the_answer(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(description="The homeowner said it was declined. We use the EverBright platform.", assignee=ME, reporter=DANA,
               organizations=(Organization(10, "Blue Sky Renewables"),), channel=("Email",))
    asked = next(p for p in plan(books["triage"], ctx(t)) if p.step.id == "eb_label")
    assert asked.status == "suggested" and "e to answer" in asked.change
    assert apply_list(plan(books["triage"], ctx(t))).stop == asked
    said_no = {"eb_label": StepProgress("chosen", NOW, "Alex Rivera", "no")}
    no = next(p for p in plan(books["triage"], ctx(t, progress=said_no)) if p.step.id == "eb_label")
    assert no.status == "skip" and "Alex Rivera" in no.change
    said_yes = {"eb_label": StepProgress("chosen", NOW, "Alex Rivera", "yes")}
    yes = next(p for p in plan(books["triage"], ctx(t, progress=said_yes)) if p.step.id == "eb_label")
    assert yes.status == "todo" and yes.op is not None


def test_the_channel_is_suggested_with_its_evidence_never_assumed(books: dict) -> None:  # type: ignore[type-arg]
    by_phone = ticket(summary="Proposal question", description="Customer called the support line about the proposal.")
    step = next(p for p in plan(books["triage"], ctx(by_phone)) if p.step.id == "channel")
    assert step.status == "suggested" and step.op == ops.SetChannel("SS-1", ("Phone",))
    assert step.evidence is not None and "called" in step.evidence.sentence
    unknown = ticket(summary="Proposal question", description="The proposal total looks off.")
    step = next(p for p in plan(books["triage"], ctx(unknown)) if p.step.id == "channel")
    assert step.status == "blocked" and step.op is None and "press e" in step.problem  # never Email by default


def test_a_ticked_manual_step_is_done(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket()
    c = ctx(t, progress={"watchers": StepProgress("ticked", by="Sam Okafor")})
    step = next(p for p in plan(books["triage"], c) if p.step.id == "watchers")
    assert step.status == "done" and "Sam Okafor" in step.current


def test_channel_partner_manual_steps_show_values_ready_to_copy(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(summary="A New Channel Partner Request for Coastal Sun Co",
               description="| Field | Value |\n|---|---|\n| 1. Contact | Rosa Ito (rosa@coastalsun.co) |\n| 2. Company Name | Green Light Solar |")
    steps = {p.step.id: p for p in plan(books["channel-partner"], ctx(t, account_managers={"green light solar": RACHEL}))}
    assert "Organization: Green Light Solar" in steps["case"].change
    assert "Account manager: Rachel Kim" in steps["case"].change  # of the company named in the form
    assert "To: Rosa Ito (rosa@coastalsun.co)" in steps["reply_1"].change and "New Channel Req 1" in steps["reply_1"].change
    assert books["channel-partner"].due_rule is not None and books["channel-partner"].due_rule.config == "2bd"
    assert "assignee: the assignee SOP /wiki/spaces/SS/pages/2768011447" in steps["cs_ticket"].change


@pytest.mark.parametrize(("text", "problem"), [
    ("name = 'x'\n[[steps]]\nkind='manual'", "'id' is required"),
    ("id='x'\nname='x'\n[[steps]]\nkind = 'explode'\n", "line 4: step 1: kind 'explode' is not one of"),
    ("id='x'\nname='x'\n[[steps]]\nkind='set_field'\nfield='colour'\nvalue='red'", "line 3: step 1 (step1): field 'colour'"),
    ("id='x'\nname='x'\n[[steps]]\nkind='wait'\nuntil='pigs_fly'", "'until' must be a known condition"),
    ("id='x'\nname='x'\n[[steps]]\nkind='manual'\nwhen='full_moon'", "unknown condition 'full_moon'"),
    ("id='x'\nname='x'\n[match]\nsubject=['(unclosed']\n[[steps]]\nkind='manual'", "not a valid pattern"),
    ("id='x'\nname='x'\nsteps = 3", "at least one [[steps]]"),
    ("id = 'x\nname='x'", "bad.toml: "),
    ("id='x'\nname='x'\ncolour='blue'\n[[steps]]\nkind='manual'", "line 3: unknown setting 'colour'"),
    ("id='x'\nname='x'\n[[steps]]\nid='a'\nkind='manual'\n[[steps]]\nid='a'\nkind='manual'", "line 7: step 2: id 'a' is used twice"),
    ("id='x'\nname='x'\n[[steps]]\nkind='comment'\ntemplate='hi'\nvisibilty='public'",
     "line 6: step 1 (step1): unknown setting 'visibilty' for a comment step"),
    ("id='x'\nname='x'\n[[steps]]\nkind='comment'\ntemplate='hi'\nvisibility='loud'", "'visibility' must be one of internal, public"),
    ("id='x'\nname='x'\n[[steps]]\nkind='transition'\nto='Closed'\non='elsewhere'", "'on' must be one of ticket, cs, related"),
    ("id='x'\nname='x'\n[[steps]]\nid='b'\nkind='manual'\nafter=['a']", "'after' must list ids of earlier steps"),
])
def test_a_malformed_playbook_is_refused_naming_file_line_and_problem(text: str, problem: str) -> None:
    with pytest.raises(PlaybookError) as err:
        parse_playbook(text, "/somewhere/bad.toml")
    assert str(err.value).startswith("bad.toml")
    assert problem in str(err.value)


def test_one_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text("id='good'\nname='Good'\n[[steps]]\nkind='manual'\n")
    (tmp_path / "bad.toml").write_text("id='bad'\nname='Bad'\n[[steps]]\nkind='nope'\n")
    found, problems = load_dir(tmp_path)
    assert [pb.id for pb in found] == ["good"]
    assert len(problems) == 1 and problems[0].startswith("bad.toml, line 4")


def test_a_team_directory_overrides_the_pack_by_id(tmp_path: Path) -> None:
    (tmp_path / "triage.toml").write_text("id='triage'\nname='Our triage'\n[match]\nfallback=true\n[[steps]]\nkind='manual'\n")
    found, _ = load_all([PACK, tmp_path])
    assert found["triage"].name == "Our triage"
    assert "everbright-onboarding" in found


def test_the_channel_partner_final_reply_waits_for_the_cs_ticket_and_the_outstanding_check(books: dict) -> None:  # type: ignore[type-arg]
    pb = books["channel-partner"]
    t = ticket(summary="A New Channel Partner Request for Coastal Sun Co",
               links=(LinkedIssue("CS-40", "relates to", "x", "In Progress", "indeterminate", "Task", "High", "Relates"),))
    open_cs = ticket(key="CS-40", summary="cs", status="In Progress", status_category="indeterminate")
    steps = {p.step.id: p for p in plan(pb, ctx(t, cs=open_cs))}
    assert steps["wait_cs_done"].status == "waiting"
    assert steps["no_outstanding"].status == "waiting" and steps["reply_2"].status == "waiting"  # cannot be ticked yet
    closed = ticket(key="CS-40", summary="cs", status="Done", status_category="done")
    steps = {p.step.id: p for p in plan(pb, ctx(t, cs=closed))}
    assert steps["no_outstanding"].status == "manual"
    assert steps["reply_2"].status == "waiting" and "no outstanding issues" in steps["reply_2"].change
    ticked = {"no_outstanding": StepProgress("ticked", NOW, "Alex Rivera")}
    steps = {p.step.id: p for p in plan(pb, ctx(t, cs=closed, progress=ticked))}
    assert steps["reply_2"].status == "manual" and steps["relate_2"].status == "waiting"


def test_an_unmapped_reporter_role_uses_the_desks_anonymous_customer_and_says_so(books: dict) -> None:  # type: ignore[type-arg]
    anonymous = Person("qm:anonymous", "Anonymous", "anonymous@example.com")
    t = ticket(summary="Boost your leads 300%")
    c = ctx(t, people={}, anonymous=anonymous, progress=NOT_PLATFORM)
    steps = {p.step.id: p for p in plan(books["non-platform"], c)}
    assert steps["reporter"].op == ops.SetPerson("SS-1", "reporter", anonymous)
    assert "the desk's anonymous customer" in steps["reporter"].change
    assert "the desk's anonymous customer" in steps["reporter"].stand_in  # what the confirm and the preview name
    alone = {p.step.id: p for p in plan(books["non-platform"], ctx(t, people={}, progress=NOT_PLATFORM))}
    assert alone["reporter"].status == "blocked"
    assert "no anonymous customer" in alone["reporter"].problem and "under [roster]" in alone["reporter"].problem


def test_a_comment_naming_an_unmapped_role_is_blocked_not_sent_with_a_placeholder(books: dict) -> None:  # type: ignore[type-arg]
    from queue_tui.core.plan_steps import plan_step
    from queue_tui.core.playbook import CommentSpec, Step

    step = Step("ask", "Ask the approver", "", CommentSpec("{approver}: please approve {key}."))
    p = plan_step(step, ctx(ticket(), people={}), books["everbright-onboarding"])
    assert p.status == "blocked" and "add approver" in p.problem


def test_what_the_site_stands_in_with_is_named_where_the_agent_confirms_the_write(books: dict) -> None:  # type: ignore[type-arg]
    from queue_tui.core.models import RequestType
    from queue_tui.core.plan import ApplyList
    from queue_tui.ui.widgets.step_text import decide_question, preview_text

    anonymous = Person("qm:anonymous", "Anonymous", "anonymous@example.com")
    desk = (RequestType("31", "Not for support", "Trade shows, CVs, sales pitches and other mail."),)
    c = ctx(ticket(summary="Boost your leads 300%"), people={}, anonymous=anonymous, progress=NOT_PLATFORM,
            site_request_types=desk, request_types={"not for support": "31"})
    steps = {p.step.id: p for p in plan(books["non-platform"], c)}
    assert steps["reporter"].status == "decide"  # the sender is there: replacing them is the agent's call
    assert "the desk's anonymous customer" in decide_question("SS-1", steps["reporter"]).plain
    assert steps["request_type"].op == ops.SetRequestType("SS-1", "31", "Not for support")
    assert "reads like the SOP's Non-Platform Request" in preview_text("SS-1", ApplyList((steps["request_type"],))).plain
