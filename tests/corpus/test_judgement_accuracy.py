"""The text judgements and the request-type suggester meet their targets on the labelled corpora.

A false yes is what harms an agent (products pushed live, a ticket closed, a label written on a
guess), so each judgement must keep at least 95% precision on its yes and 80% recall, on the
part of the corpus it was tuned on and on the held-out part. The suggester must put the right
request type first for at least 80% of tickets, with the SOP's names and with another site's.
`make bench` prints the same figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from queue_tui.core.models import Ticket
from queue_tui.core.replies import read_approver_reply, read_customer_reply, read_staff_reply
from queue_tui.core.request_types import rank_request_types
from queue_tui.core.ticket_cues import eb_financing, suggest_channel
from tests.corpus import judgement_corpus as jc

T = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def ticket(c: jc.Case) -> Ticket:
    return Ticket("SS-1", "1", c.summary, "Waiting for support", "indeterminate", "Medium", T, T, description=c.description)


# corpus, the label that means yes, and the reader's yes for a case
JUDGEMENTS: dict[str, tuple[str, str, Callable[[jc.Case], bool]]] = {
    "approval": ("approver_replies", "approved", lambda c: read_approver_reply(c.text).yes),
    "customer confirmed": ("customer_replies", "resolved", lambda c: read_customer_reply(c.text).yes),
    "confirmation asked": ("staff_replies", "confirmation_attempt", lambda c: read_staff_reply(c.text).yes),
    "EverBright financing": ("eb_financing", "eb", lambda c: eb_financing(ticket(c)).yes),
}


@pytest.mark.parametrize("held", [False, True], ids=["tuned", "held-out"])
@pytest.mark.parametrize("judgement", list(JUDGEMENTS))
def test_each_judgement_keeps_its_yes_precise_and_finds_most_of_them(judgement: str, held: bool) -> None:
    corpus, yes, says_yes = JUDGEMENTS[judgement]
    cases = jc.split(jc.load(corpus), held)
    f = jc.yes_figures(cases, lambda c: yes if says_yes(c) else "no", yes)
    assert f.precision >= jc.PRECISION_TARGET, [c.text or c.summary for c in f.false_yes]
    assert f.recall >= jc.RECALL_TARGET, [c.text or c.summary for c in f.missed]


def test_corpora_are_as_large_as_promised() -> None:
    sizes = {name: len(jc.load(name)) for name in ("approver_replies", "customer_replies", "staff_replies", "request_types")}
    assert sizes["approver_replies"] >= 40 and sizes["customer_replies"] >= 60 and sizes["staff_replies"] >= 40
    assert sizes["request_types"] >= 60
    for name in (*sizes, "eb_financing", "channels"):
        cases = jc.load(name)
        assert len(jc.split(cases, True)) >= len(cases) // 5, f"{name}: the held-out part is too small"


@pytest.mark.parametrize("held", [False, True], ids=["tuned", "held-out"])
def test_a_suggested_channel_is_right(held: bool) -> None:
    cases = jc.split(jc.load("channels"), held)
    said = [(c, str(suggest_channel(ticket(c), c.source).verdict).lower()) for c in cases]
    made = [(c, s) for c, s in said if s != "unknown"]
    right = sum(c.label == s for c, s in made)
    assert right / len(made) >= jc.PRECISION_TARGET, [(c.summary, s) for c, s in made if c.label != s]


@pytest.mark.parametrize("held", [False, True], ids=["tuned", "held-out"])
@pytest.mark.parametrize("site", ["SOP names", "another site's names"])
def test_the_right_request_type_comes_first_for_most_tickets(site: str, held: bool) -> None:
    cases = jc.split(jc.load("request_types"), held)
    if site == "SOP names":
        def rank(c: jc.Case) -> list[str]:
            return [r.name for r in rank_request_types(c.summary, c.description)]
    else:
        def rank(c: jc.Case) -> list[str]:
            ranked = rank_request_types(c.summary, c.description, jc.OTHER_SITE_TYPES, jc.OTHER_SITE_ALIASES)
            assert {r.type_id for r in ranked} == {t.id for t in jc.OTHER_SITE_TYPES}  # only the site's own types
            return [r.sop or r.name for r in ranked]
    f = jc.rank_figures(cases, rank)
    assert f.top1 >= jc.TOP1_TARGET, [(c.summary, names) for c, names in f.wrong]
