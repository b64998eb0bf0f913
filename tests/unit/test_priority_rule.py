"""Who counts as priority service: the configured organizations or a Priority the site sets."""

from __future__ import annotations

from datetime import UTC, datetime

from queue_tui.config import config_from_dict
from queue_tui.core.models import Organization, Ticket
from queue_tui.core.priority import PriorityRule, default_names, names_in_jql, orgs_in_jql


def _ticket(org: str = "", priority: str = "Medium") -> Ticket:
    return Ticket(key="SS-1", id="1", summary="s", status="Waiting for support", status_category="new", priority=priority,
                  created=datetime(2026, 11, 18, tzinfo=UTC), updated=datetime(2026, 11, 18, tzinfo=UTC),
                  organizations=(Organization(1, org),) if org else ())


def test_a_listed_organization_or_a_named_priority_means_priority_service() -> None:
    rule = PriorityRule.of(["Helios Home Power"], ["High"])
    assert rule.applies(_ticket("helios home power")) and rule.reason(_ticket("Helios Home Power")) == "priority installer"
    assert rule.applies(_ticket(priority="high")) and rule.reason(_ticket(priority="High")) == "Priority High"
    assert not rule.applies(_ticket("Mesa Solar", "Medium")) and rule.reason(_ticket()) == ""


def test_the_configuration_says_whether_the_names_are_the_default() -> None:
    default = config_from_dict({}, "t").priority_rule()
    assert default.names == {"high"} and not default.names_configured
    assert "(default)" in default.describe(["High"])
    chosen = config_from_dict({"monitor": {"priority_names": ["Top tier"], "priority_installers": ["A"]}}, "t").priority_rule()
    assert chosen.names == {"top tier"} and chosen.names_configured
    assert chosen.describe(["Top tier"]) == "organization is one of 1 priority installer(s) or Priority is Top tier"
    assert config_from_dict({"monitor": {"priority_names": []}}, "t").priority_rule().names == frozenset()


def test_a_queues_jql_names_its_priorities_and_organizations() -> None:
    assert names_in_jql('project = SS AND priority = "High" ORDER BY created') == ["High"]
    assert names_in_jql("priority in (Highest, 'Top tier') AND priority != Low") == ["Highest", "Top tier"]
    assert orgs_in_jql('organizations in ("Helios Home Power", "Sunny Day Solar")') == ["Helios Home Power", "Sunny Day Solar"]
    assert names_in_jql("assignee is EMPTY") == []


def test_the_offered_names_come_from_a_queue_else_the_automations_default_else_none() -> None:
    site = ["Highest", "High", "Top tier", "Medium"]
    assert default_names(site, ['priority = "top tier"'])[0] == ["Top tier"]
    assert default_names(site, ["assignee is EMPTY"])[0] == ["High"]
    names, why = default_names(["Blocker", "Major"], [])
    assert names == [] and "no priority named High" in why
