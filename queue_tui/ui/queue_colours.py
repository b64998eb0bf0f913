"""The queue table's colours and marks, read from the theme and checked for contrast.

Every shipped theme declares the SLA stage colours as theme variables (`sla-breached`,
`sla-breached-background`, `sla-under-30m`, `sla-under-1h`, `sla-plenty`, `sla-paused`,
`priority-installer`). A theme that does not (Textual's built-in ones, a user's own) gets
defaults taken from its error, warning and success colours where those read apart, fixed hues
where they do not, each lightened or darkened until it reads at 4.5:1 on the table's background.

Colour is never the only cue: each stage also has a mark (and the breached one a filled cell,
the urgent one bold), for agents who do not tell red from green. The marks are plain characters
that common terminal fonts carry, with an ASCII set for terminals that cannot show them; a theme
may replace any mark: `[marks]` in its file (`paused = "||"`), which becomes the variable
`sla-mark-paused` holding the CSS string `"||"`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rich.style import Style
from textual.color import Color, ColorParseError, rgb_to_lab
from textual.theme import Theme

MIN_CONTRAST = 4.5  # WCAG AA for normal text
MIN_DISTANCE = 25.0  # CIE76 distance at which two colours read apart at a glance

THEME_VARIABLES = ("sla-breached", "sla-breached-background", "sla-under-30m", "sla-under-1h", "sla-plenty",
                   "sla-paused", "priority-installer")

MARKS = {"breached": "!", "under-30m": "▲", "under-1h": "△", "plenty": " ", "paused": "‖", "none": " ",
         "met": "✓", "missed": "✗"}
ASCII_MARKS = {"breached": "!", "under-30m": "^", "under-1h": "~", "plenty": " ", "paused": "|", "none": " ",
               "met": "ok", "missed": "late"}

# Hues for when a theme's own colours do not read apart: (on dark, on light).
_FALLBACK = {"breached": ("#c62828", "#b71c1c"), "under-30m": ("#ff9100", "#b34700"),
             "under-1h": ("#ffe14d", "#6e5c00"), "plenty": ("#5fd38a", "#1b6e33"),
             "priority-installer": ("#d59cff", "#8a2fc4"), "updated": ("#4dd0e1", "#00687a")}


def luminance(c: Color) -> float:
    """WCAG relative luminance."""
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = c.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def distance(a: Color, b: Color) -> float:
    """CIE76 colour difference: how far apart two colours look."""
    la, lb = rgb_to_lab(a), rgb_to_lab(b)
    return float(((la.L - lb.L) ** 2 + (la.a - lb.a) ** 2 + (la.b - lb.b) ** 2) ** 0.5)


def readable(fg: Color, bg: Color, ratio: float = MIN_CONTRAST) -> Color:
    """`fg`, moved toward white on a dark background (black on a light one) until it reads."""
    target = Color(255, 255, 255) if luminance(bg) < 0.18 else Color(0, 0, 0)
    out = fg
    for step in range(1, 21):
        if contrast(out, bg) >= ratio:
            return out
        out = fg.blend(target, step / 20)
    return out


def _text_on(bg: Color) -> Color:
    """White or near-black text, whichever reads better on a filled cell."""
    white, black = Color(255, 255, 255), Color(17, 17, 17)
    return white if contrast(white, bg) >= contrast(black, bg) else black


def _filled(bg: Color) -> tuple[Color, Color]:
    """A filled cell's (text, background): the background darkened or lightened until its text reads."""
    for step in range(21):
        fill = bg.darken(step / 40) if luminance(bg) > 0.05 else bg.lighten(step / 40)
        text = _text_on(fill)
        if contrast(text, fill) >= MIN_CONTRAST:
            return text, fill
    return _text_on(bg), bg


@dataclass(frozen=True)
class Palette:
    """Rich styles by role, the colour pairs behind them (for the contrast check) and the marks."""

    background: Color
    styles: dict[str, Style] = field(default_factory=dict)
    pairs: dict[str, tuple[Color, Color]] = field(default_factory=dict)
    marks: dict[str, str] = field(default_factory=dict)

    def style(self, role: str) -> Style:
        return self.styles.get(role) or Style()

    def stage_colour(self, stage: str) -> Color:
        """The colour that tells a stage apart: the fill for breached, the text for the others."""
        fg, bg = self.pairs[stage]
        return bg if stage == "breached" else fg


# The hue range (degrees) a theme's own colour must fall in to stand for a stage.
_HUES = {"breached": (340, 15), "under-30m": (12, 34), "under-1h": (42, 65), "plenty": (75, 170),
         "priority-installer": (180, 320), "updated": (170, 210)}


def _hue_fits(c: Color, hues: tuple[int, int]) -> bool:
    h = c.hsl.h * 360
    low, high = hues
    return (low <= h <= high) if low < high else (h >= low or h <= high)


def theme_colours(theme: Theme) -> dict[str, str]:
    """The theme's CSS variables as Textual generates them, with its own variables on top."""
    return {**theme.to_color_system().generate(), **theme.variables}


def _colour(variables: Mapping[str, str], name: str) -> Color | None:
    value = variables.get(name)
    if not value:
        return None
    try:
        return Color.parse(value.split()[0])
    except ColorParseError:
        return None


def palette_for(theme: Theme, ascii_marks: bool = False) -> Palette:
    """The table's palette for `theme`: declared colours as they are, missing ones derived."""
    v = theme_colours(theme)
    bg = _colour(v, "surface") or Color(0, 0, 0)
    fg = _colour(v, "foreground") or _text_on(bg)
    dark = luminance(bg) < 0.18
    chosen: dict[str, Color] = {}

    def pick(name: str, *candidates: str, apart_from: tuple[str, ...] = ()) -> Color:
        declared = _colour(v, name)
        if declared is not None:
            return declared
        key = name.removeprefix("sla-")
        options = [c for c in (_colour(v, n) for n in candidates) if c is not None and _hue_fits(c, _HUES[key])]
        options.append(Color.parse(_FALLBACK[key][0 if dark else 1]))
        for option in options:
            colour = readable(option, bg)
            if all(distance(colour, chosen[o]) >= MIN_DISTANCE for o in apart_from if o in chosen):
                return colour
        return readable(options[-1], bg)

    declared_fill = _colour(v, "sla-breached-background")
    if declared_fill is not None:
        breached_fg, breached_bg = _colour(v, "sla-breached") or _text_on(declared_fill), declared_fill
    else:
        error = _colour(v, "error")
        base = error if error is not None and _hue_fits(error, _HUES["breached"]) else Color.parse(_FALLBACK["breached"][0])
        breached_fg, breached_bg = _filled(base)
    chosen["breached"] = breached_bg
    chosen["under-1h"] = pick("sla-under-1h", apart_from=("breached",))
    chosen["under-30m"] = pick("sla-under-30m", "warning", apart_from=("breached", "under-1h"))
    chosen["plenty"] = pick("sla-plenty", "success", apart_from=("breached", "under-30m", "under-1h"))
    chosen["priority-installer"] = pick("priority-installer", apart_from=("breached", "under-30m", "under-1h", "plenty"))
    fg = readable(fg, bg)
    muted = readable(fg.blend(bg, 0.4), bg)
    paused = _colour(v, "sla-paused") or muted
    missed = readable(breached_bg, bg)
    updated = pick("updated", "primary")
    ok = readable(_colour(v, "success") or chosen["plenty"], bg)
    attention = readable(_colour(v, "warning") or chosen["under-30m"], bg)
    new_fg, new_fill = _filled(chosen["plenty"])

    pairs: dict[str, tuple[Color, Color]] = {
        "text": (fg, bg), "muted": (muted, bg), "breached": (breached_fg, breached_bg),
        "under-30m": (chosen["under-30m"], bg), "under-1h": (chosen["under-1h"], bg), "plenty": (chosen["plenty"], bg),
        "paused": (paused, bg), "priority-installer": (chosen["priority-installer"], bg), "met": (chosen["plenty"], bg),
        "missed": (missed, bg), "new": (new_fg, new_fill), "updated": (updated, bg), "ok": (ok, bg),
        "attention": (attention, bg),
    }

    def style(role: str, bold: bool = False, italic: bool = False) -> Style:
        text, fill = pairs[role]
        return Style(color=text.rich_color, bgcolor=fill.rich_color if fill is not bg else None,
                     bold=bold or None, italic=italic or None)

    styles = {
        "plain": Style(), "strong": Style(bold=True), "muted": style("muted"), "muted.italic": style("muted", italic=True),
        "sla.breached": style("breached", bold=True), "sla.under-30m": style("under-30m", bold=True),
        "sla.under-1h": style("under-1h"), "sla.plenty": style("plenty"), "sla.none": style("muted"),
        "sla.paused": style("paused", bold=True), "sla.met": style("met"), "sla.missed": style("missed", bold=True),
        "pi": style("priority-installer", bold=True), "new": style("new", bold=True), "updated": style("updated", bold=True),
        "ok": style("ok", bold=True), "attention": style("attention", bold=True),
    }
    for stage in ("breached", "under-30m", "under-1h", "plenty"):
        styles[f"sla.{stage}.paused"] = style(stage, italic=True)  # a paused clock keeps its stage's colour
    marks = dict(ASCII_MARKS if ascii_marks else MARKS)
    for name in marks:
        if (mark := theme.variables.get(f"sla-mark-{name}", "").strip().strip('"')):
            marks[name] = mark
    return Palette(bg, styles, pairs, marks)
