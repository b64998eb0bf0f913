"""Themes: Textual's own plus the `.toml` theme files of `themes/` (shipped) and the user's config dir.

A broken theme file is skipped with a message naming the file; it never stops the app.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.theme import Theme

COLOUR_KEYS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
               "success", "warning", "error", "boost")


def theme_dirs() -> list[Path]:
    from queue_tui.config import config_dir

    here = Path(__file__).resolve()
    return [here.parents[2] / "themes", here.parents[1] / "_themes", config_dir() / "themes"]


def load_theme_file(path: Path) -> Theme:
    """A Theme from a TOML file; ValueError with a clear message when it is not one."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path.name}: not valid TOML: {exc}") from exc
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{path.name}: 'name' is required")
    if not isinstance(data.get("primary"), str):
        raise ValueError(f"{path.name}: 'primary' colour is required")
    unknown = set(data) - set(COLOUR_KEYS) - {"name", "dark", "variables", "marks"}
    if unknown:
        raise ValueError(f"{path.name}: unknown keys {sorted(unknown)}")
    from textual.color import Color, ColorParseError

    for key in COLOUR_KEYS:
        if key in data:
            try:
                Color.parse(str(data[key]))
            except ColorParseError as exc:
                raise ValueError(f"{path.name}: {key}: '{data[key]}' is not a colour") from exc
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise ValueError(f"{path.name}: 'variables' must be a table")
    from queue_tui.ui.queue_colours import THEME_VARIABLES

    for key in THEME_VARIABLES:
        if key in variables:
            try:
                Color.parse(str(variables[key]))
            except ColorParseError as exc:
                raise ValueError(f"{path.name}: variables.{key}: '{variables[key]}' is not a colour") from exc
    variables = {str(k): str(v) for k, v in variables.items()} | _mark_variables(path, data.get("marks"))
    return Theme(name=name.strip(), dark=bool(data.get("dark", True)), variables=variables,
                 **{k: str(data[k]) for k in COLOUR_KEYS if k in data})


def _mark_variables(path: Path, marks: object) -> dict[str, str]:
    """The queue's SLA marks a theme file sets under `[marks]` (e.g. `paused = "||"`), as theme
    variables. Textual reads every variable as CSS, where `||` is no value: each goes in as a
    quoted string."""
    from queue_tui.ui.queue_colours import MARKS

    if marks is None:
        return {}
    if not isinstance(marks, dict):
        raise ValueError(f"{path.name}: 'marks' must be a table")
    out = {}
    for name, mark in marks.items():
        if name not in MARKS:
            raise ValueError(f"{path.name}: marks.{name}: no such mark (one of {', '.join(sorted(MARKS))})")
        if not isinstance(mark, str) or not mark.isprintable() or '"' in mark or not 0 < len(mark) <= 4:
            raise ValueError(f"{path.name}: marks.{name}: a mark is one to four printable characters, no quotes")
        out[f"sla-mark-{name}"] = f'"{mark}"'
    return out


def load_themes() -> tuple[list[Theme], list[str]]:
    themes, problems = [], []
    seen: set[Path] = set()
    for d in theme_dirs():
        if not d.is_dir():
            continue
        for path in sorted(d.glob("*.toml")):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            try:
                themes.append(load_theme_file(path))
            except (ValueError, OSError) as exc:
                problems.append(f"Theme skipped: {exc}")
    return themes, problems
