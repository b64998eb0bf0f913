"""The queue table: one keyed row per ticket, updated in place from each poll's diff.

Never cleared on a poll or a tick: new rows are added, changed cells updated, gone rows
removed, and the cursor stays on its ticket. The one-second tick rewrites only the SLA cells of
the rows on screen whose text changed, from one text cache.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Self

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, Row, RowDoesNotExist, RowKey

from queue_tui.core.models import Ticket
from queue_tui.core.priority import PriorityRule
from queue_tui.core.sla import SECONDS_WITHIN, Stage, next_clock, remaining, sla_text, stage
from queue_tui.core.snapshot import Diff
from queue_tui.core.urgency import age_text, sort_key

if TYPE_CHECKING:  # the closing rules load with the first poll, not before the first paint
    from queue_tui.core.closing import ClosingState

COLUMNS: list[tuple[str, str, int]] = [
    ("sla", "SLA", 13), ("flag", "", 3), ("key", "Key", 8), ("pi", "★", 1), ("org", "Organization", 20),
    ("summary", "Summary", 42), ("rtype", "Request type", 22), ("status", "Status", 20),
    ("assignee", "Assignee", 14), ("age", "Age", 4), ("waiting", "Waiting", 8), ("next", "Next", 9), ("cs", "CS", 7),
]

DARK_STYLES = {Stage.BREACHED: "bold white on red", Stage.UNDER_30M: "bold #ff8c00", Stage.UNDER_1H: "bold yellow",
               Stage.PLENTY: "green", Stage.PAUSED: "italic #8fa3bf", Stage.NONE: "dim"}
LIGHT_STYLES = {Stage.BREACHED: "bold white on #c00000", Stage.UNDER_30M: "bold #b35900", Stage.UNDER_1H: "bold #806000",
                Stage.PLENTY: "#006b00", Stage.PAUSED: "italic #3a5a85", Stage.NONE: "dim"}

_ROW_KEY = attrgetter("key")


def matches(t: Ticket, needle: str, closing: dict[str, ClosingState] | None = None) -> bool:
    """Every word of the filter appears; `is:ready` and `is:followup` select by closing state."""
    if not needle:
        return True
    words = needle.lower().split()
    state = (closing or {}).get(t.key)
    if "is:ready" in words and not (state and state.ready):
        return False
    if "is:followup" in words and not (state and state.follow_up_due):
        return False
    needle = " ".join(w for w in words if not w.startswith("is:"))
    hay = " ".join([t.key, t.summary, t.organization_name, t.status, t.assignee.name if t.assignee else "unassigned",
                    t.request_type.name if t.request_type else "", t.reporter.name if t.reporter else ""]).lower()
    return all(word in hay for word in needle.lower().split())


class QueueTable(DataTable[Text]):
    """Rows keyed by ticket key; cells are rich Text (never parsed as markup)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        # Before DataTable's own __init__, which already reads the row order.
        self._layout_version = 0
        self._ordered: tuple[object, list[Row], list[tuple[RowKey, int]] | None] = (None, [], None)
        self._cell_cache: LRUCache[tuple[object, ...], tuple[object, list[list[Segment]]]] = LRUCache(4000)
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.tickets: dict[str, Ticket] = {}
        self.flags: dict[str, str] = {}  # key -> "new" | "upd"
        self.me_id: str | None = None
        self.priority = PriorityRule()
        self.sort_name = "urgency"
        self.needle = ""
        self.light = False
        self._sla_cache: dict[str, tuple[str, Stage]] = {}
        self.sla_updates = 0  # cells rewritten by ticks (for tests and benchmarks)
        self.closing: dict[str, ClosingState] = {}
        self._last_minute: datetime | None = None

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    # -- cheap redraws ----------------------------------------------------------------------
    # DataTable keys all its render caches on one counter that every cell update bumps, and
    # redraws the whole visible table for any update: one countdown changing re-rendered every
    # visible cell and rebuilt two lists the length of the queue. The overrides below keep
    # DataTable's behaviour and cut that cost: a cell is re-rendered only when its value (the
    # object) or its place changed, row order lists are rebuilt only when rows come, go or move,
    # an updated cell redraws its row only, and new rows are not measured, because every column
    # has a fixed width and every row one line. They rely on Textual 8.2's DataTable
    # internals (pinned in pyproject.toml); tests/ui and the snapshots cover them.

    def _bump_layout(self) -> None:
        self._layout_version += 1

    def add_row(self, *cells: Text, height: int | None = 1, key: str | None = None,  # type: ignore[override]
                label: object = None) -> RowKey:
        self._bump_layout()
        return super().add_row(*cells, height=height, key=key, label=label)  # type: ignore[arg-type]

    def remove_row(self, row_key: RowKey | str) -> None:
        self._bump_layout()
        super().remove_row(row_key)

    def sort(self, *columns: ColumnKey | str, key: Callable[[Any], Any] | None = None, reverse: bool = False) -> Self:
        self._bump_layout()
        return super().sort(*columns, key=key, reverse=reverse)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._bump_layout()
        self._cell_cache.clear()

    def notify_style_update(self) -> None:
        self._cell_cache.clear()
        super().notify_style_update()

    @property
    def ordered_rows(self) -> list[Row]:
        version = (self.row_count, self._layout_version)
        if self._ordered[0] != version:
            get_key = self._row_locations.get_key
            rows = self.rows
            self._ordered = (version, [rows[get_key(i)] for i in range(self.row_count)], None)  # type: ignore[index]
        return self._ordered[1]

    @property
    def _y_offsets(self) -> list[tuple[RowKey, int]]:
        ordered = self.ordered_rows
        if self._ordered[2] is None:
            self._ordered = (self._ordered[0], ordered, [(row.key, y) for row in ordered for y in range(row.height)])
        return self._ordered[2]  # type: ignore[return-value]

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> list[list[Segment]]:
        if row_index < 0 or column_index < 0:  # the header and row labels: rare, left to DataTable
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        value = self._data[row_key].get(column_key)  # type: ignore[index]
        cache_key = (row_key, column_key, row_index, base_style, width, cursor, hover, self._show_hover_cursor,
                     self._pseudo_class_state)
        hit = self._cell_cache.get(cache_key)
        if hit is not None and hit[0] is value:
            return hit[1]
        lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        self._cell_cache.set(cache_key, (value, lines))
        return lines

    def set_cell(self, row_key: str, column_key: str, value: Text) -> None:
        """`update_cell` that redraws only the row it changed."""
        rk, ck = RowKey(row_key), ColumnKey(column_key)
        if rk not in self._row_locations or ck not in self._column_locations:
            raise CellDoesNotExist(f"No cell {row_key!r}/{column_key!r}")
        self._data[rk][ck] = value
        self._update_count += 1
        self.refresh_row(self._row_locations.get(rk))  # type: ignore[arg-type]

    def _update_dimensions(self, new_rows: object) -> None:
        super()._update_dimensions(())  # type: ignore[arg-type]

    # -- rendering -------------------------------------------------------------------------
    @property
    def styles_for(self) -> dict[Stage, str]:
        return LIGHT_STYLES if self.light else DARK_STYLES

    def _sla_cell(self, t: Ticket, now: datetime) -> tuple[Text, tuple[str, Stage]]:
        clock = next_clock(t, now)
        st = stage(clock, now)
        text = sla_text(clock, now)
        if clock is not None and clock.computed:
            text += "*"
        return Text(text, style=self.styles_for[st], justify="right"), (text, st)

    def _cells(self, t: Ticket, now: datetime) -> dict[str, Text]:
        pi = self.priority.applies(t)
        base = "bold" if pi else ""
        flag = self.flags.get(t.key, "")
        assignee = t.assignee.name if t.assignee else "—"
        if t.assignee and self.me_id and t.assignee.id == self.me_id:
            assignee = "me"
        cs = next((lk.key for lk in t.links if lk.project == "CS"), "")
        sla, cache = self._sla_cell(t, now)
        self._sla_cache[t.key] = cache
        return {
            "sla": sla,
            "flag": Text(flag, style="bold reverse green" if flag == "new" else "bold cyan"),
            "key": Text(t.key, style="bold magenta" if pi else "bold"),
            "pi": Text("★" if pi else "", style="bold magenta"),
            "org": Text(t.organization_name or "—", style=("bold magenta" if pi else "") or ("dim" if not t.organizations else "")),
            "summary": Text(_one_line(t.summary), style=base, overflow="ellipsis", no_wrap=True),
            "rtype": Text(t.request_type.name if t.request_type else "— untyped", style="" if t.request_type else "dim italic"),
            "status": Text(t.status),
            "assignee": Text(assignee, style="bold yellow" if t.assignee is None else ("bold" if assignee == "me" else "")),
            "age": Text(age_text(t.created, now)),
            "waiting": Text(t.waiting_on, style="bold" if t.waiting_on == "support" else "dim"),
            "next": self._next_cell(t.key),
            "cs": Text(cs, style="cyan"),
        }

    def _next_cell(self, key: str) -> Text:
        state = self.closing.get(key)
        if state is None:
            return Text("")
        if state.ready:
            return Text("close ✓", style="bold green")
        if state.follow_up_due:
            return Text("follow up", style="bold yellow")
        return Text("")

    def set_closing(self, states: dict[str, ClosingState]) -> None:
        """New closing states: rewrite the Next cell of rows whose state changed."""
        for key, state in states.items():
            if self.closing.get(key) == state:
                continue
            self.closing[key] = state
            try:
                self.set_cell(key, "next", self._next_cell(key))
            except Exception:  # noqa: BLE001 - the row is filtered out or gone
                pass

    # -- updates ---------------------------------------------------------------------------
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except Exception:  # noqa: BLE001 - an empty or shrinking table has no current row
            return None

    def current_ticket(self) -> Ticket | None:
        key = self.current_key()
        return self.tickets.get(key) if key else None

    def sync(self, tickets: dict[str, Ticket], diff: Diff | None, now: datetime) -> None:
        """Bring the rows in line with `tickets` (and the filter), touching only what changed."""
        keep = self.current_key()
        if diff is not None and not diff.first:
            for k in diff.added:
                self.flags[k] = "new"
            for k in diff.changed:
                self.flags.setdefault(k, "upd")
        changed = set(diff.changed) if diff is not None else set(tickets)
        before = self.tickets
        self.tickets = tickets
        wanted = [k for k, t in tickets.items() if matches(t, self.needle, self.closing)]
        wanted_set = set(wanted)
        present = {str(rk.value) for rk in self.rows}
        if not present:
            keep = None  # a fresh table starts on its most urgent ticket
        gone, new = present - wanted_set, [k for k in wanted if k not in present]
        touched = [k for k in wanted if k in present and k in changed]
        if not (gone or new or touched):
            return  # an unchanged poll costs no redraw at all
        with self.app.batch_update():
            for k in gone:
                self.remove_row(k)
                self._sla_cache.pop(k, None)
            for k in new:
                cells = self._cells(tickets[k], now)
                self.add_row(*[cells[c] for c, _, _ in COLUMNS], key=k)
            for k in touched:
                self.refresh_ticket(k, now)
            keyfn = sort_key(self.sort_name, now, self.priority)
            # Re-sort only when the order can have changed: rows came or went, or a changed
            # ticket's sort key moved (a new summary alone leaves the order as it is).
            if new or gone or any(k in before and keyfn(before[k]) != keyfn(tickets[k]) for k in touched):
                self.resort(now)
            if keep is None:
                self.move_cursor(row=0, animate=False)
            else:
                self.keep_cursor(keep)

    def refresh_ticket(self, key: str, now: datetime) -> None:
        t = self.tickets.get(key)
        if t is None:
            return
        try:
            current = self.get_row(key)
        except RowDoesNotExist:
            return
        cells = self._cells(t, now)
        for idx, (col, _, _) in enumerate(COLUMNS):
            if current[idx] != cells[col]:
                self.set_cell(key, col, cells[col])

    def set_ticket(self, t: Ticket, now: datetime) -> None:
        """Replace one ticket (an optimistic or confirmed write) and redraw its row."""
        self.tickets = {**self.tickets, t.key: t}
        self.refresh_ticket(t.key, now)

    def mark_seen(self, key: str) -> None:
        if self.flags.pop(key, None) is not None:
            try:
                self.set_cell(key, "flag", Text(""))
            except Exception:  # noqa: BLE001 - the row may have gone with the last poll
                pass

    def keep_cursor(self, key: str | None) -> None:
        if key is None:
            return
        try:
            idx = self.get_row_index(key)
        except RowDoesNotExist:
            return
        if idx != self.cursor_row:
            self.move_cursor(row=idx, animate=False)

    def resort(self, now: datetime) -> None:
        if not self.row_count:
            return
        keyfn: Callable[[Ticket], object] = sort_key(self.sort_name, now, self.priority)
        keep = self.current_key()
        self.sort("key", key=lambda cell: keyfn(self.tickets[cell.plain]))
        if keep is not None:
            self.keep_cursor(keep)

    def reorder(self, keys: list[str], now: datetime) -> bool:
        """Put tickets that changed colour stage back in their place; True when any row moved.

        Between polls only a stage crossing changes a ticket's urgency relative to the others (all
        running countdowns fall at the same pace), so the rows that did not cross are still in
        order: each crossed row is checked against its neighbours and, when out of place, taken
        out and put back by binary search. The cost does not grow with the queue's length the way
        a full sort does, and the result is the order a full sort gives (keys are unique).
        """
        if self.sort_name != "urgency" or not self.row_count:
            return False
        keyfn = sort_key(self.sort_name, now, self.priority)
        locations, last = self._row_locations, self.row_count - 1
        crossed = {k for k in keys if k in self.tickets and locations.get(RowKey(k)) is not None}

        def key_at(idx: int) -> Any:
            return keyfn(self.tickets[str(locations.get_key(idx).value)])  # type: ignore[union-attr]

        def in_place(k: str) -> bool:
            idx, mine = locations.get(RowKey(k)), keyfn(self.tickets[k])
            assert idx is not None
            return (idx == 0 or key_at(idx - 1) <= mine) and (idx == last or mine <= key_at(idx + 1))  # type: ignore[operator]

        def move(k: str) -> None:
            """Take the row out and put it back where a binary search over the others says."""
            idx = locations.get(RowKey(k))
            assert idx is not None
            mine, lo, hi = keyfn(self.tickets[k]), 0, last
            while lo < hi:
                mid = (lo + hi) // 2
                if key_at(mid if mid < idx else mid + 1) < mine:  # type: ignore[operator]
                    lo = mid + 1
                else:
                    hi = mid
            self._move_row(idx, lo)

        # Rows that did not cross keep their order among themselves, so once no crossed row is
        # out of place against its neighbours the whole table is sorted. Moving the misplaced
        # ones one by one gets there in a move or two; should it not, a full rebuild follows.
        moved = False
        for _ in range(2 * len(crossed) + 2):
            misplaced = [k for k in crossed if not in_place(k)]
            if not misplaced:
                return moved
            move(misplaced[0])
            moved = True
        self.resort(now)
        return True

    def _move_row(self, src: int, dst: int) -> None:
        """The row at position `src` goes to `dst`, the rows between shift by one; only their
        rows on screen are redrawn, and the cursor stays on its ticket. The shift is done by list
        and dict operations that run in C, so moving a row across thousands stays well under 1 ms."""
        keep = self.current_key()
        ordered, offsets = self.ordered_rows, self._y_offsets
        ordered.insert(dst, ordered.pop(src))
        start, end = min(src, dst), max(src, dst) + 1
        keys = list(map(_ROW_KEY, ordered[start:end]))
        positions = range(start, end)
        self._row_locations._forward.update(zip(keys, positions, strict=True))
        self._row_locations._reverse.update(zip(positions, keys, strict=True))
        offsets[start:end] = zip(keys, repeat(0, len(keys)), strict=True)
        self._update_count += 1
        self._bump_layout()
        self._ordered = ((self.row_count, self._layout_version), ordered, offsets)
        top = max(0, int(self.scroll_y))
        for i in range(max(start, top), min(end, top + self.size.height + 1)):
            self.refresh_row(i)
        self.keep_cursor(keep)

    def tick(self, now: datetime) -> int:
        """Rewrite the SLA cells of visible rows whose text changed; returns how many.

        Countdowns within ten minutes of their breach show seconds and are checked every tick;
        the others show minutes and are checked once per minute of the clock, so their updates
        land in one redraw instead of one redraw per row spread over the minute.
        """
        if not self.row_count:
            return 0
        minute = now.replace(second=0, microsecond=0)
        full = minute != self._last_minute
        self._last_minute = minute
        top = max(0, int(self.scroll_y))
        rows = self.ordered_rows[top: top + self.size.height + 2]
        n = 0
        for row in rows:
            key = str(row.key.value)
            t = self.tickets.get(key)
            if t is None:
                continue
            if not full:
                clock = next_clock(t, now)
                if clock is None or clock.paused or abs(remaining(clock, now)) >= SECONDS_WITHIN:
                    continue
            cell, cache = self._sla_cell(t, now)
            if self._sla_cache.get(key) != cache:
                self._sla_cache[key] = cache
                self.set_cell(key, "sla", cell)
                n += 1
        self.sla_updates += n
        return n

    def sla_text_of(self, key: str) -> str:
        return self._sla_cache.get(key, ("", Stage.NONE))[0]

    def stage_of(self, key: str) -> Stage:
        return self._sla_cache.get(key, ("", Stage.NONE))[1]

    def refilter(self, needle: str, now: datetime) -> None:
        self.needle = needle
        self.sync(self.tickets, Diff(), now)


def _one_line(text: str) -> str:
    return " ".join(text.split())
