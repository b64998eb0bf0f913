"""The channel at close (queue-triage-and-request-types.txt): hints from the ticket's words, never
from a question or a negation, and a change computed against the field as Jira has it at the write."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from queue_tui.core.close_channel import ChannelAnswer, change, hints, kind_of
from queue_tui.core.models import Comment, Person, Ticket

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
AGENT = Person("a", "Alex Rivera", "alex.rivera@goeverbright.com")
CUSTOMER = Person("c", "Dana Brooks", "dana@bluesky.com")
OPTIONS = ("Phone", "Email", "Chat")


def ticket(*comments: Comment, channel: tuple[str, ...] = ("Email",), description: str = "The proposal totals are off.") -> Ticket:
    return Ticket("SS-9", "9", "Proposal numbers look off", "Waiting for support", "indeterminate", "Medium",
                  NOW - timedelta(days=2), NOW, reporter=CUSTOMER, channel=channel, description=description,
                  comments=comments)


def note(body: str, hours_ago: float, public: bool = False, who: Person = AGENT) -> Comment:
    return Comment(str(hours_ago), who, body, public, NOW - timedelta(hours=hours_ago))


def test_an_internal_note_about_a_call_suggests_phone_with_its_sentence_author_and_time() -> None:
    found = hints(ticket(note("Called the customer and walked her through the export. All good now.", 3)), OPTIONS)
    assert [(h.option, h.sentence, h.author, h.where) for h in found] == [
        ("Phone", "Called the customer and walked her through the export.", AGENT, "internal comment")]
    assert found[0].at == NOW - timedelta(hours=3)


def test_per_our_chat_suggests_chat_and_a_set_channel_is_not_suggested_again() -> None:
    t = ticket(note("Per our chat, I reset the template.", 2, public=True))
    assert [h.option for h in hints(t, OPTIONS)] == ["Chat"]
    assert hints(replace(t, channel=("Email", "Chat")), OPTIONS) == []


def test_questions_negations_and_offers_are_no_evidence() -> None:
    t = ticket(note("Can we hop on a call tomorrow?", 5, public=True),
               note("I could not reach them by phone.", 4),
               note("Happy to chat if that helps.", 3, public=True))
    assert hints(t, OPTIONS) == []


def test_only_the_sites_own_options_are_suggested() -> None:
    t = ticket(note("Called the customer.", 3), note("Per our chat, done.", 2))
    assert [h.option for h in hints(t, ("Email", "Phone call", "Portal"))] == ["Phone call"]
    assert kind_of("Portal") is None and kind_of("E-mail") == "email" and kind_of("Live chat") == "chat"


def test_the_change_adds_what_the_agent_ticked_and_keeps_what_a_colleague_added_meanwhile() -> None:
    answer = ChannelAnswer(before=("Email",), chosen=("Email", "Chat"))
    # Meanwhile a colleague added Phone: it is neither removed nor sent again.
    assert change(("Email", "Phone"), answer) == (("Chat",), ())
    # Running it again once Chat is there sends nothing.
    assert change(("Email", "Phone", "Chat"), answer) == ((), ())
    # A colleague took Email out meanwhile: kept ticked is not a new choice, so it is not put back.
    assert change(("Phone",), answer) == (("Chat",), ())


def test_the_change_removes_only_what_the_agent_unticked() -> None:
    answer = ChannelAnswer(before=("Email", "Phone"), chosen=("Phone",))
    assert answer.removed == ("Email",)
    assert change(("Email", "Phone", "Chat"), answer) == ((), ("Email",))
    assert change(("Phone",), answer) == ((), ())  # already gone: nothing to send
