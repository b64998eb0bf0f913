"""Whom setup offers for a role, and which account is the site's anonymous customer."""

from __future__ import annotations

from queue_tui.core.models import Person
from queue_tui.core.roles import BY_NAME, anonymous_customer, is_anonymous, offer, roster_ref

ANON = Person("qm:1", "Anonymous", "anonymous@example.com")
AGENTS = [Person("a:2", "Sam Okafor", "sam@example.com"), Person("a:1", "David Ellis", "")]


def test_the_anonymous_account_is_found_by_name_or_address_and_only_when_it_is_one() -> None:
    assert is_anonymous(ANON) and is_anonymous(Person("x", "Helpdesk", "anonymous.user@example.com"))
    assert not is_anonymous(Person("y", "Anonymous Solar LLC", "info@anon.example"))
    assert anonymous_customer([ANON, *AGENTS]) == ANON
    assert anonymous_customer([ANON, Person("qm:2", "anonymous", "")]) is None  # two: no guess


def test_reporter_roles_offer_the_anonymous_customer_first_and_staff_roles_only_agents() -> None:
    assert offer(BY_NAME["anonymous_reporter"], AGENTS, [ANON])[0] == ANON
    assert [p.name for p in offer(BY_NAME["approver"], AGENTS, [ANON])] == ["David Ellis", "Sam Okafor"]


def test_the_config_names_a_person_by_display_name_unless_two_share_it() -> None:
    twin = Person("a:3", "Sam Okafor", "sam2@example.com")
    assert roster_ref(AGENTS[0], AGENTS) == "Sam Okafor"
    assert roster_ref(AGENTS[0], [*AGENTS, twin]) == "a:2"
