"""What `t` offers on a desk with its own request type names."""

from __future__ import annotations

from datetime import UTC, datetime

from queue_tui.core.models import RequestType, Ticket
from queue_tui.core.type_menu import OTHER, sop_guide_for, type_menu

DESK = [RequestType("31", "Ask a question", "How do I...? Where is...?"),
        RequestType("32", "Something is broken", "Errors, pages that do not load, integrations that fail."),
        RequestType("33", "Not for support", "Trade shows, CVs, sales pitches and other mail."),
        RequestType("34", "Technical Support", "Our own copy of the SOP's name."),
        RequestType("35", "Hardware loans", "Borrow a tablet for site surveys.")]


def _ticket(summary: str, description: str = "") -> Ticket:
    at = datetime(2026, 11, 18, tzinfo=UTC)
    return Ticket("SS-1", "1", summary, "Waiting for support", "new", "Medium", at, at, description=description)


def test_only_the_desks_types_are_offered_grouped_by_name_alias_or_resemblance() -> None:
    groups = type_menu(_ticket("Proposal PDF fails with error 500"), DESK, {"Something is broken": "Technical Support"})
    offered = [c.type.name for g in groups for c in g.choices]
    assert sorted(offered) == sorted(r.name for r in DESK)
    tech = next(g for g in groups if g.title == "Technical Support")
    assert [(c.type.name, c.sop) for c in tech.choices] == [("Something is broken", "Technical Support"),
                                                           ("Technical Support", "Technical Support")]
    junk = next(g for g in groups if g.title == "Non-Platform Request")
    assert junk.choices[0].sop is None and junk.choices[0].resembles == "Non-Platform Request"
    assert groups[-1].title == OTHER and [c.type.name for c in groups[-1].choices] == ["Hardware loans"]


def test_the_suggested_type_leads_and_says_why() -> None:
    groups = type_menu(_ticket("Boost your leads 300% with our SEO package", "Reply for a free audit."), DESK)
    first = groups[0].choices[0]
    assert first.suggested and first.type.name == "Not for support" and "free audit" in first.words
    assert sum(c.suggested for g in groups for c in g.choices) == 1


def test_typed_text_finds_a_type_by_the_desks_name_or_the_sops() -> None:
    groups = type_menu(_ticket("hello"), DESK)
    found = [c.type.name for g in groups for c in g.choices if c.matches("non-platform")]
    assert found == ["Not for support"]


def test_the_guidance_for_a_desk_type_says_how_it_was_found() -> None:
    g, how = sop_guide_for("Something is broken", {"Something is broken": "Technical Support"}, DESK)
    assert g is not None and g.name == "Technical Support" and how == ""
    g, how = sop_guide_for("Not for support", {}, DESK)
    assert g is not None and g.name == "Non-Platform Request" and how == "reads like the SOP's Non-Platform Request"
    assert sop_guide_for("Hardware loans", {}, DESK) == (None, "")
