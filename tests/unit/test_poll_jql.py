"""A queue's JQL is narrowed to some keys without being understood: its ORDER BY stays last."""

from __future__ import annotations

from queue_tui.service.jql import key_in, narrow, split_order, updated_within


def test_order_by_is_split_off_the_condition() -> None:
    assert split_order("project = SS AND resolution = Unresolved ORDER BY created DESC") == (
        "project = SS AND resolution = Unresolved", "ORDER BY created DESC")
    assert split_order("project = SS") == ("project = SS", "")
    assert split_order("order by priority") == ("", "order by priority")


def test_order_by_inside_a_quoted_value_is_part_of_the_condition() -> None:
    jql = 'summary ~ "sort order by date" AND labels = \'x order by\' ORDER BY key'
    assert split_order(jql) == ('summary ~ "sort order by date" AND labels = \'x order by\'', "ORDER BY key")
    assert split_order('summary ~ "say \\"order by\\" twice"') == ('summary ~ "say \\"order by\\" twice"', "")


def test_narrowing_keeps_the_queue_condition_whole_and_its_order_last() -> None:
    jql = "project = SS AND assignee is EMPTY OR priority = High ORDER BY created ASC"
    assert narrow(jql, key_in(["SS-1", "SS-2"])) == (
        '(project = SS AND assignee is EMPTY OR priority = High) AND key in ("SS-1", "SS-2") ORDER BY created ASC')
    assert narrow("ORDER BY created", 'key in ("SS-1")') == 'key in ("SS-1") ORDER BY created'


def test_the_window_is_relative_to_jiras_clock_and_at_least_a_minute() -> None:
    assert updated_within(3) == "updated >= -3m"
    assert updated_within(0) == "updated >= -1m"
