"""Text shortened to fit a width the way a reader expects: cut at a word boundary where one is
near, ending in "…", and a ticket summary keeps its bracketed organization at the end."""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, width: int) -> str:
    """`text` on one line in at most `width` characters; when cut, it ends with "…", at the last
    word boundary that keeps at least half the room (a single long word is cut where it must)."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    if width <= 1:
        return ELLIPSIS[:max(0, width)]
    room = width - 1
    cut = flat[:room]
    space = cut.rfind(" ")
    if flat[room] != " " and space >= room // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—(") + ELLIPSIS


def shorten_summary(summary: str, width: int) -> str:
    """A ticket summary in `width` characters: when it ends with a bracketed name (the customer's
    organization, as the portal writes it), the words before it are shortened and the name stays."""
    flat = " ".join(summary.split())
    if len(flat) <= width:
        return flat
    head, sep, tail = flat.rpartition(" (")
    if sep and tail.endswith(")") and head and len(tail) + 2 + 8 <= width:
        return f"{shorten(head, width - len(tail) - 2)} ({tail}"
    return shorten(flat, width)
