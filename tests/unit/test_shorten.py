"""Shortened text reads as shortened: it ends with an ellipsis, at a word boundary where one is near,
and a summary keeps the customer's bracketed organization."""

from queue_tui.core.shorten import shorten, shorten_summary


def test_text_that_fits_is_left_whole() -> None:
    assert shorten("Request: proposal", 40) == "Request: proposal"


def test_cut_text_ends_with_an_ellipsis_at_a_word_boundary() -> None:
    out = shorten("internal comment on SS-43: Request: proposal for the new roof", 36)
    assert out == "internal comment on SS-43: Request…"
    assert len(out) <= 36


def test_one_long_word_is_cut_where_it_must() -> None:
    assert shorten("Supercalifragilisticexpialidocious", 10) == "Supercali…"


def test_summary_keeps_its_bracketed_organization() -> None:
    out = shorten_summary("Question about site design for the new building (Apex Roofing & Solar)", 44)
    assert out.endswith("(Apex Roofing & Solar)")
    assert "…" in out and len(out) <= 44


def test_summary_with_no_room_for_the_bracket_is_shortened_whole() -> None:
    out = shorten_summary("Question about site design (Apex Roofing & Solar Incorporated)", 20)
    assert out.endswith("…") and len(out) <= 20

