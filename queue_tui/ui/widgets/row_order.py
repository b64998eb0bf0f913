"""The queue table's row order: ticket keys kept sorted by a lasting sort key.

Every lookup is a binary search over one Python list: where a ticket's row is, where a moved row
goes, which ticket sits at a position. Inserting or removing shifts the list with one `memmove`
in C, well under a microsecond per thousand rows, so a row moving across a queue of thousands
costs O(log n) comparisons and nothing per row it passes.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator
from typing import Any

Entry = tuple[Any, ...]  # a lasting sort key; its last item is the ticket key, so no two tie


class RowOrder:
    """Ticket keys in the order of their sort keys."""

    def __init__(self) -> None:
        self._entries: list[Entry] = []
        self._entry_of: dict[str, Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entry_of

    def __iter__(self) -> Iterator[str]:
        return (e[-1] for e in self._entries)

    def key_at(self, index: int) -> str:
        return str(self._entries[index][-1])

    def keys(self, start: int = 0, stop: int | None = None) -> list[str]:
        return [str(e[-1]) for e in self._entries[start:stop]]

    def index_of(self, key: str) -> int | None:
        entry = self._entry_of.get(key)
        return None if entry is None else bisect_left(self._entries, entry)

    def entry_of(self, key: str) -> Entry | None:
        return self._entry_of.get(key)

    def place(self, key: str, entry: Entry) -> tuple[int | None, int]:
        """Put `key` where `entry` sorts (taking it out of its old place first); returns
        (old index or None, new index)."""
        if entry[-1] != key:
            raise ValueError(f"sort key of {key!r} must end with the ticket key")
        old = self._entry_of.get(key)
        if old == entry:
            index = bisect_left(self._entries, entry)
            return index, index
        was = None
        if old is not None:
            was = bisect_left(self._entries, old)
            del self._entries[was]
        self._entry_of[key] = entry
        insort(self._entries, entry)
        return was, bisect_left(self._entries, entry)

    def remove(self, key: str) -> int | None:
        """Take `key` out; returns the index it had (None when it was not there)."""
        entry = self._entry_of.pop(key, None)
        if entry is None:
            return None
        index = bisect_left(self._entries, entry)
        del self._entries[index]
        return index

    def rebuild(self, entries: Iterable[Entry]) -> None:
        """Every row at once (a new sort, a new queue): one sort instead of n insertions."""
        self._entries = sorted(entries)
        self._entry_of = {str(e[-1]): e for e in self._entries}

    def clear(self) -> None:
        self._entries.clear()
        self._entry_of.clear()
