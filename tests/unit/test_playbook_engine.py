"""The playbook engine: loading (and refusing) files, matching, and the plan for each step kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from queue_tui.core import ops
from queue_tui.core.context import Context, StepProgress
from queue_tui.core.models import Comment, LinkedIssue, Organization, Person, RequestType, Ticket
from queue_tui.core.plan import plan, remaining
from queue_tui.core.playbook import PlaybookError, choose, parse_playbook
from queue_tui.service.playbooks import PACK, load_all, load_dir

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
ME = Person("me-1", "Alex Rivera", "alex.rivera@goeverbright.com")
SAM = Person("sam-1", "Sam Okafor", "sam.okafor@goeverbright.com")
DAVID = Person("david-1", "David Ellis", "david.ellis@goeverbright.com")
RACHEL = Person("rachel-1", "Rachel Kim", "rachel.kim@goeverbright.com")
DANA = Person("dana-1", "Dana Brooks", "dana@blueskyrenewables.com")


def ticket(**kw: object) -> Ticket:
    base: dict[str, object] = dict(key="SS-1", id="1", summary="Fwd: Customer can't see loan products", status="Waiting for support",
                                   status_category="new", priority="Medium", created=NOW - timedelta(minutes=20),
                                   updated=NOW, reporter=SAM, description="Our EverBright loan products are gone.")
    base.update(kw)
    return Ticket(**base)  # type: ignore[arg-type]


def ctx(t: Ticket, **kw: object) -> Context:
    base: dict[str, object] = dict(
        ticket=t, me=ME, now=NOW, people={"approver": DAVID, "onboarding_reporter": Person("ob", "EverBright Onboarding"),
                                          "anonymous_reporter": Person("anon", "Anonymous"), "qa_assignee": None},
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
    assert steps["eb_label"].status == "todo" and steps["eb_label"].op == ops.AddLabel("SS-1", "EB")
    assert steps["channel"].status == "todo"
    assert steps["staff_participants"].op == ops.MoveStaffToWatchers("SS-1", (RACHEL,))
    assert steps["watchers"].status == "manual"
    assert steps["request_type"].status == "todo"


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


def test_an_unmapped_role_says_so_instead_of_guessing(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems")
    c = ctx(t, people={"onboarding_reporter": None})
    steps = {p.step.id: p for p in plan(books["everbright-onboarding"], c)}
    assert steps["watchers"].status in ("todo", "blocked")
    assert "role 'approver' is not mapped" in steps["watchers"].problem
    assert steps["reporter"].status == "blocked" and "not found in Jira" in steps["reporter"].problem


def test_onboarding_takes_the_organization_from_the_form_and_holds_after_a_wait(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(summary="EverBright Partner Onboarding",
               description="Installer name: Redwood Power Systems\nInstaller contact email: ops@redwoodpower.com")
    steps = {p.step.id: p for p in plan(books["everbright-onboarding"], ctx(t))}
    assert steps["organization"].op == ops.SetOrganization("SS-1", 15, "Redwood Power Systems")
    assert steps["watchers"].op == ops.AddWatchers("SS-1", (RACHEL, DAVID))
    assert steps["cs_ticket"].status == "todo"
    assert steps["wait_cs_hold"].status == "waiting"
    assert steps["ask_approval"].status == "waiting"  # held until the configuration team is done


def test_onboarding_refuses_a_public_comment_with_the_sops_reason() -> None:
    text = (PACK / "everbright-onboarding.toml").read_text().replace('visibility = "internal"\ntemplate = "{approver}: the configuration',
                                                                     'visibility = "public"\ntemplate = "{approver}: the configuration')
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
    done = {p.step.id: p for p in plan(pb, ctx(answered, cs=cs, progress=asked))}
    assert done["wait_approval"].status == "met"
    assert done["remind"].status == "skip"
    assert done["cs_to_do"].op == ops.Transition("CS-30", "To Do", None)


def test_apply_all_stops_at_the_first_wait(books: dict) -> None:  # type: ignore[type-arg]
    t = ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems")
    kinds = [type(p.op) for p in remaining(plan(books["everbright-onboarding"], ctx(t)))]
    assert kinds == [ops.SetOrganization, ops.AddWatchers, ops.SetPerson, ops.SetRequestType, ops.SetNeedsConfig]


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
