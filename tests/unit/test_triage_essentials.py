"""Every ticket's panel begins with the essential fields of queue-triage-and-request-types.txt
("First update the essential ticket fields"), whichever SOP's playbook matches it, except where
that SOP gives its own word on a field."""

from __future__ import annotations

import pytest

from queue_tui.core import ops
from queue_tui.core.models import Organization
from queue_tui.core.plan import apply_list, plan
from queue_tui.core.playbook import Playbook, choose, parse_playbook
from queue_tui.service.playbooks import PACK, load_all
from tests.unit.test_playbook_engine import ME, SAM, ctx, ticket

ESSENTIALS = ["assignee", "reporter", "organization", "eb_label", "channel", "staff_participants", "watchers"]


@pytest.fixture(scope="module")
def books() -> dict[str, Playbook]:
    found, problems = load_all([PACK])
    assert problems == []
    return found


def test_a_channel_partner_ticket_begins_with_every_essential_field_in_the_sops_order(
        books: dict[str, Playbook]) -> None:
    t = ticket(summary="A New Channel Partner Request for HW Solar", assignee=SAM,
               organizations=(Organization(4, "HW Solar"),), description="Company Name: HW Solar\nEverBright loan")
    hit = choose(books, t)
    assert hit is not None and hit[0].id == "channel-partner"
    plans = plan(hit[0], ctx(t))
    assert [p.step.id for p in plans][:len(ESSENTIALS)] == ESSENTIALS
    assert plans[len(ESSENTIALS)].step.id == "case"  # then the channel partner SOP's own steps
    by_id = {p.step.id: p for p in plans}
    # The channel manager's name as organization, over what the ticket has: the agent decides.
    assert by_id["organization"].op == ops.SetOrganization("SS-1", 5, "Green Light Solar")
    assert by_id["organization"].status == "decide"
    assert by_id["assignee"].status == "decide"  # a colleague's assignment stays theirs unless the agent says so
    assert by_id["eb_label"].status == "suggested"  # read from the text: only on the agent's confirm
    assert by_id["channel"].status in ("suggested", "blocked")
    assert by_id["assignee"].step.source == "queue-triage-and-request-types.txt"
    assert not any(p.step.id in ("assignee", "organization", "eb_label") for p in apply_list(plans).steps)


def test_onboarding_keeps_its_own_reporter_organization_and_watchers_and_gains_the_rest(
        books: dict[str, Playbook]) -> None:
    t = ticket(summary="EverBright Partner Onboarding", description="Installer name: Redwood Power Systems")
    hit = choose(books, t)
    assert hit is not None and hit[0].id == "everbright-onboarding"
    ids = [s.id for s in hit[0].steps]
    assert ids[:5] == ["assignee", "eb_label", "channel", "staff_participants", "organization"]
    assert ids.count("reporter") == ids.count("organization") == ids.count("watchers") == 1
    by_id = {p.step.id: p for p in plan(hit[0], ctx(t))}
    assert by_id["assignee"].op == ops.SetPerson("SS-1", "assignee", ME)
    assert by_id["reporter"].step.title == "Reporter = onboarding address"  # the onboarding SOP's word wins
    assert by_id["organization"].op == ops.SetOrganization("SS-1", 15, "Redwood Power Systems")


def test_the_triage_ticket_itself_and_a_playbook_covering_every_field_are_unchanged(books: dict[str, Playbook]) -> None:
    triage = choose(books, ticket(summary="Proposal PDF fails"))
    assert triage is not None and triage[0] is books["triage"]
    text = (PACK / "triage.toml").read_text()
    own = parse_playbook(text.replace('id = "triage"', 'id = "own"').replace("fallback = true", 'subject = ["^Own"]'),
                         "own.toml")
    hit = choose({**books, "own": own}, ticket(summary="Own ticket"))
    assert hit is not None and hit[0].steps == own.steps


def test_essentials_must_name_steps_of_the_playbook() -> None:
    from queue_tui.core.playbook import PlaybookError

    with pytest.raises(PlaybookError, match="'essentials' must list ids"):
        parse_playbook("id='x'\nname='X'\nessentials=['nope']\n[[steps]]\nid='a'\nkind='manual'\n", "x.toml")


def test_the_initial_reply_is_done_once_support_has_replied_publicly_not_by_an_internal_note(
        books: dict[str, Playbook]) -> None:
    from datetime import UTC, datetime

    from queue_tui.core.models import Comment, Person

    triage = books["triage"]
    customer = Person("c-1", "Quinn Evans", "quinn@redwoodpower.com")
    asked = ticket(summary="How do I add a second designer?", reporter=customer,
                   comments=(Comment("1", customer, "How do I add a second designer?", True, datetime(2026, 11, 18, tzinfo=UTC)),
                             Comment("2", SAM, "Checked the logs.", False, datetime(2026, 11, 18, 1, tzinfo=UTC))))
    first = next(p for p in plan(triage, ctx(asked)) if p.step.id == "first_reply")
    assert first.status == "manual"  # an internal note is not a reply to the customer
    answered = ticket(summary="How do I add a second designer?", reporter=customer,
                      comments=(*asked.comments, Comment("3", ME, "Hi Quinn, open Settings › Team.", True,
                                                         datetime(2026, 11, 18, 2, tzinfo=UTC))))
    first = next(p for p in plan(triage, ctx(answered)) if p.step.id == "first_reply")
    assert first.status == "done" and "public reply sent" in first.current


def test_loop_in_names_where_to_find_an_account_manager_nobody_listed(books: dict[str, Playbook]) -> None:
    triage = books["triage"]
    unlisted = ticket(organizations=(Organization(10, "Blue Sky Renewables"),))
    loop = next(p for p in plan(triage, ctx(unlisted)) if p.step.id == "watchers")
    assert "the account manager" not in loop.change
    assert "none listed for Blue Sky Renewables under [account_managers]" in loop.change and "QuickSight" in loop.change
    listed = ticket(organizations=(Organization(15, "Redwood Power Systems"),))
    loop = next(p for p in plan(triage, ctx(listed)) if p.step.id == "watchers")
    assert "Account manager: Rachel Kim" in loop.change
