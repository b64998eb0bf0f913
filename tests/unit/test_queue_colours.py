"""The queue's colours: every theme's SLA stages read at 4.5:1 and apart from each other, with marks."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

from queue_tui.ui.queue_colours import (
    ASCII_MARKS,
    MIN_CONTRAST,
    MIN_DISTANCE,
    THEME_VARIABLES,
    Palette,
    contrast,
    distance,
    palette_for,
)
from queue_tui.ui.themes import load_theme_file, theme_dirs

SHIPPED = sorted(theme_dirs()[0].glob("*.toml"))
# ANSI themes name the terminal's own sixteen colours, which only the terminal knows.
BUILTIN = sorted(name for name in BUILTIN_THEMES if not name.startswith("ansi"))
STAGES = ("breached", "under-30m", "under-1h", "plenty")


def problems(p: Palette) -> list[str]:
    """Every text/background pair under 4.5:1, and every two stages (or a stage and the priority
    installers' colour) that do not read apart."""
    out = [f"{role}: {contrast(fg, bg):.2f}:1" for role, (fg, bg) in p.pairs.items() if contrast(fg, bg) < MIN_CONTRAST]
    signature = {s: p.stage_colour(s) for s in STAGES} | {"priority-installer": p.pairs["priority-installer"][0]}
    names = list(signature)
    out += [f"{a} and {b} look alike ({distance(signature[a], signature[b]):.0f})"
            for i, a in enumerate(names) for b in names[i + 1:] if distance(signature[a], signature[b]) < MIN_DISTANCE]
    return out


def test_every_theme_is_shipped_with_its_sla_colours() -> None:
    assert SHIPPED, "themes/ holds the shipped themes"
    for path in SHIPPED:
        theme = load_theme_file(path)
        assert set(THEME_VARIABLES) <= set(theme.variables), f"{path.name} declares every SLA colour"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_themes_read_at_4_5_to_1_and_tell_the_stages_apart(path: object) -> None:
    assert problems(palette_for(load_theme_file(path))) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("name", BUILTIN)
def test_textual_themes_get_readable_distinct_defaults(name: str) -> None:
    assert problems(palette_for(BUILTIN_THEMES[name])) == []


def test_the_check_catches_a_colour_that_does_not_read() -> None:
    dim = Theme("dim-yellow", primary="#888888", surface="#101010", foreground="#ffffff",
                variables={"sla-under-1h": "#555500"})
    assert any(p.startswith("under-1h:") for p in problems(palette_for(dim)))
    alike = Theme("alike", primary="#888888", surface="#101010", foreground="#ffffff",
                  variables={"sla-under-30m": "#ffa000", "sla-under-1h": "#ffa810"})
    assert any("look alike" in p for p in problems(palette_for(alike)))


def test_declared_colours_are_used_as_declared() -> None:
    theme = load_theme_file(next(p for p in SHIPPED if p.stem == "desk-light"))
    p = palette_for(theme)
    assert p.pairs["under-1h"][0] == Color.parse(theme.variables["sla-under-1h"])
    assert p.stage_colour("breached") == Color.parse(theme.variables["sla-breached-background"])


def test_priority_installers_are_not_coloured_like_a_breach() -> None:
    for theme in [*(load_theme_file(p) for p in SHIPPED), *(BUILTIN_THEMES[n] for n in BUILTIN)]:
        p = palette_for(theme)
        assert distance(p.pairs["priority-installer"][0], p.stage_colour("breached")) >= MIN_DISTANCE, theme.name


@pytest.mark.parametrize("ascii_marks", [False, True])
def test_each_stage_has_its_own_mark_besides_its_colour(ascii_marks: bool) -> None:
    p = palette_for(BUILTIN_THEMES["textual-dark"], ascii_marks=ascii_marks)
    marks = [p.marks[s] for s in STAGES[:3]]
    assert len(set(marks)) == 3 and all(m.strip() for m in marks)
    assert p.styles["sla.breached"].bgcolor is not None, "a breach fills its cell"
    assert p.styles["sla.under-30m"].bold and not p.styles["sla.plenty"].bold
    assert "⏸" not in p.marks.values()  # renders as an empty box in common fonts
    if ascii_marks:
        assert all(m.isascii() for m in p.marks.values()) and p.marks == ASCII_MARKS


def test_a_paused_clock_keeps_its_stage_colour() -> None:
    p = palette_for(BUILTIN_THEMES["textual-dark"])
    for stage in STAGES:
        assert p.styles[f"sla.{stage}.paused"].color == p.styles[f"sla.{stage}"].color
        assert p.styles[f"sla.{stage}.paused"].italic


def test_a_theme_file_may_choose_its_own_marks_and_textual_still_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "plain.toml"
    path.write_text('name = "plain"\nprimary = "#4fc3f7"\n[marks]\npaused = "||"\nmet = "ok"\n')
    theme = load_theme_file(path)
    assert palette_for(theme).marks["paused"] == "||" and palette_for(theme).marks["met"] == "ok"

    class Themed(App[None]):
        def on_mount(self) -> None:
            self.register_theme(theme)
            self.theme = "plain"  # every variable is read as CSS: a bare `||` would stop the app here

    async def run() -> str:
        app = Themed()
        async with app.run_test() as pilot:
            await pilot.pause()
            return app.theme

    assert asyncio.run(run()) == "plain"


@pytest.mark.parametrize(("marks", "problem"), [("paused = 3", "printable"), ("pause = '|'", "no such mark"),
                                                ("paused = '\"'", "no quotes")])
def test_a_bad_mark_names_the_file_and_the_mark(tmp_path: Path, marks: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'name = "bad"\nprimary = "#4fc3f7"\n[marks]\n{marks}\n')
    with pytest.raises(ValueError, match=rf"bad.toml: marks\..*{problem}"):
        load_theme_file(path)
