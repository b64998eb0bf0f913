"""Which columns the queue table shows at a given width, and how wide each is.

Columns are declared in display order, each with a rank (lower ranks are kept first), a minimum
and a natural width. The columns kept are those whose minimums fit, by rank; the room left grows
them toward their natural widths, in proportion, and what is still left goes to the columns that
grow (the summary). A column may also expand into several when there is room for them (the SLA
column into one column per SLA goal). Headers choose the longest of their wordings that fits.
"""

from __future__ import annotations

from dataclasses import dataclass

GAP = 1  # blank cells before each column


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    headers: tuple[str, ...]  # wordings, longest first; the first that fits is shown
    min: int
    natural: int
    rank: int  # lower ranks are kept first; rank 0 is never dropped
    justify: str = "left"
    grow: bool = False
    squeeze: int = 0  # a narrower minimum, used rather than dropping the column
    generous: int = 0  # a wider width, given only once every column has its natural one
    content: int = 0  # how wide the cells run, when the minimum is wider (for the header)
    expands_to: tuple[ColumnSpec, ...] = ()  # shown instead of this column when they fit ...
    expand_rank: int = 0  # ... judged at this rank


@dataclass(frozen=True)
class Placed:
    id: str
    header: str
    x: int  # where the text starts (after the gap)
    width: int
    justify: str
    inner: int = 0  # a right-justified column's content block, kept together at its right edge


def ellipsize(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _header(spec: ColumnSpec, width: int) -> str:
    for wording in spec.headers:
        if len(wording) <= width:
            return wording
    return ellipsize(spec.headers[-1] if spec.headers else "", width)


def _share(shown: list[ColumnSpec], widths: dict[str, int], wants: dict[str, int], spare: int) -> int:
    """Give `spare` cells to the columns that want them, in proportion; returns what is left."""
    total = sum(wants.values())
    if total <= spare:
        for s in shown:
            widths[s.id] += wants[s.id]
        return spare - total
    given = 0
    for s in shown:
        share = spare * wants[s.id] // total
        widths[s.id] += share
        given += share
    for s in sorted(shown, key=lambda s: s.rank):  # the rounding's leftovers, most important first
        if given < spare and wants[s.id] > 0:
            widths[s.id] += 1
            given += 1
    return 0


def fit(specs: list[ColumnSpec], width: int) -> tuple[Placed, ...]:
    """The columns shown at `width`, placed left to right."""
    steps: list[tuple[int, str, ColumnSpec]] = []
    for s in specs:
        steps.append((s.rank, "column", s))
        if s.expands_to:
            steps.append((s.expand_rank, "expand", s))
    kept: dict[str, int] = {}  # column id -> its width before the room left is shared out
    expanded: set[str] = set()
    used = 0
    for rank, kind, s in sorted(steps, key=lambda step: step[0]):
        if kind == "column":
            for least in (s.min, s.squeeze):
                if least and (rank == 0 or used + least + GAP <= width):
                    kept[s.id] = least
                    used += least + GAP
                    break
        elif s.id in kept:
            cost = sum(e.min + GAP for e in s.expands_to) - (s.min + GAP)
            if used + cost <= width:
                expanded.add(s.id)
                used += cost
    shown: list[ColumnSpec] = []
    for s in specs:
        if s.id in expanded:
            shown.extend(s.expands_to)
        elif s.id in kept:
            shown.append(s)
    widths = {s.id: kept.get(s.id, s.min) for s in shown}
    spare = max(0, width - used)
    # The room left: first toward every column's natural width, then toward the generous widths,
    # then to the columns that grow.
    for target in (lambda s: s.natural, lambda s: max(s.natural, s.generous)):
        spare = _share(shown, widths, {s.id: max(0, target(s) - widths[s.id]) for s in shown}, spare)
    growers = [s for s in shown if s.grow]
    for i, s in enumerate(growers):
        share = spare // (len(growers) - i)
        widths[s.id] += share
        spare -= share
    out, x = [], 0
    for s in shown:
        x += GAP
        inner = min(s.content or s.min, widths[s.id]) if s.justify == "right" else 0
        out.append(Placed(s.id, _header(s, widths[s.id]), x, widths[s.id], s.justify, inner))
        x += widths[s.id]
    return tuple(out)
