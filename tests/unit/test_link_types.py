"""The CS ticket's Linked Issues: the site's own link types, read from the CS ticket's side."""

from __future__ import annotations

from queue_tui.core.link_types import LinkChoice, LinkType, choices, default_choice, find_type, is_link
from queue_tui.core.models import LinkedIssue

BLOCKS = LinkType("10000", "Blocks", "is blocked by", "blocks")
RELATES = LinkType("10003", "Relates", "relates to", "relates to")
CAUSES = LinkType("10004", "Problem/Incident", "is caused by", "causes")


def test_each_direction_of_a_type_is_a_choice_and_a_symmetric_type_is_one() -> None:
    offered = [c.words for c in choices([BLOCKS, RELATES, CAUSES])]
    assert offered == ["blocks", "is blocked by", "relates to", "causes", "is caused by"]


def test_the_choice_reads_as_the_sop_says_it_and_puts_the_right_ticket_first() -> None:
    blocks, blocked = choices([BLOCKS])
    assert blocks.says("SS-12") == "this CS ticket blocks SS-12" and blocks.ends("CS-4", "SS-12") == ("CS-4", "SS-12")
    assert blocked.says("SS-12") == "this CS ticket is blocked by SS-12" and blocked.ends("CS-4", "SS-12") == ("SS-12", "CS-4")


def test_relates_to_is_the_default_where_the_site_has_it_else_the_sites_first() -> None:
    assert default_choice(choices([BLOCKS, RELATES])) == LinkChoice(RELATES, True)
    assert default_choice(choices([CAUSES, BLOCKS])) == LinkChoice(CAUSES, True)
    assert default_choice(()) is None


def test_a_type_named_by_its_inward_words_swaps_the_ends() -> None:
    assert find_type([BLOCKS, RELATES], "is blocked by") == (BLOCKS, False)
    assert find_type([BLOCKS, RELATES], "blocks") == (BLOCKS, True)
    assert find_type([BLOCKS, RELATES], "Relates") == (RELATES, True)
    assert find_type([BLOCKS], "Duplicate") is None


def test_a_link_counts_only_in_the_direction_it_was_written() -> None:
    # Read on the source: the link it made lists the target with the outward words.
    made = LinkedIssue("SS-12", "blocks", "", "", "", "", "", "Blocks")
    reverse = LinkedIssue("SS-12", "is blocked by", "", "", "", "", "", "Blocks")
    assert is_link(made, BLOCKS, "SS-12") and not is_link(reverse, BLOCKS, "SS-12")
    assert not is_link(made, BLOCKS, "SS-13")
    assert is_link(LinkedIssue("SS-12", "relates to", "", "", "", "", "", "Relates"), RELATES, "SS-12")
