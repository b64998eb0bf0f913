"""The header's first line, built from named pieces (desk, agent, freshness, sort, filter...).

Each piece has a priority; when the line does not fit its width the least important pieces take
their short forms first, then the least important go, so an 80-column terminal still shows the
filter and how fresh the data is instead of cutting them off at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

SEPARATOR = "  ·  "


@dataclass(frozen=True)
class Piece:
    text: Text
    priority: int  # higher stays longer
    short: Text | None = None  # what to show when the full text does not fit


class TopBar(Widget):
    DEFAULT_CSS = "TopBar { height: 1; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.pieces: dict[str, Piece] = {}
        self.order: list[str] = []

    def set(self, name: str, text: Text | str | None, priority: int = 50, short: Text | str | None = None) -> None:
        """Show `text` as piece `name` (None or empty removes it); pieces keep the order they came in."""
        if name not in self.order:
            self.order.append(name)
        if not text:
            if self.pieces.pop(name, None) is not None:
                self.refresh()
            return
        piece = Piece(Text(text) if isinstance(text, str) else text, priority,
                      Text(short) if isinstance(short, str) else short)
        if self.pieces.get(name) != piece:
            self.pieces[name] = piece
            self.refresh()

    @property
    def content(self) -> Text:
        """The whole line, as it reads with room enough."""
        return fit(self.ordered(), 10_000)

    def ordered(self) -> list[Piece]:
        return [self.pieces[n] for n in self.order if n in self.pieces]

    def render(self) -> Text:
        return fit(self.ordered(), self.size.width)


def _join(pieces: list[Text]) -> Text:
    out = Text(no_wrap=True, overflow="ellipsis")
    for i, p in enumerate(pieces):
        if i:
            out.append(SEPARATOR, style="dim")
        out.append_text(p)
    return out


def fit(pieces: list[Piece], width: int) -> Text:
    """The pieces joined; when too wide, the least important pieces take their short forms one by
    one, then the least important go, until the line fits (a piece is never cut to a stub)."""
    texts = [p.text for p in pieces]
    for i in sorted(range(len(pieces)), key=lambda i: (pieces[i].priority, -i)):
        if _join(texts).cell_len <= width:
            return _join(texts)
        short = pieces[i].short
        if short is not None:
            texts[i] = short
    keep = list(range(len(pieces)))
    while len(keep) > 1 and _join([texts[i] for i in keep]).cell_len > width:
        keep.remove(min(keep, key=lambda i: (pieces[i].priority, -i)))
    line = _join([texts[i] for i in keep])
    line.truncate(width, overflow="ellipsis")
    return line
