"""The queue table's rows, without the drawing: which tickets show, in which order, what each cell
says, and which rows a poll, a tick or a write changed.

The table that draws them is told through two callbacks: a row's cells read differently (redraw
that row), a row moved from one place to another (redraw the rows between). Everything here is
keyed by ticket; positions exist only in the sorted `RowOrder`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from queue_tui.core.models import Ticket
from queue_tui.core.priority import PriorityRule
from queue_tui.core.snapshot import Diff
from queue_tui.core.stage_index import StageIndex
from queue_tui.core.urgency import lasting_sort_key
from queue_tui.ui.queue_colours import MARKS
from queue_tui.ui.widgets.queue_cells import (
    Cell,
    Context,
    TimeCells,
    matches,
    next_cell,
    static_cells,
    time_cells,
)
from queue_tui.ui.widgets.queue_columns import Columns
from queue_tui.ui.widgets.row_order import Entry, RowOrder

if TYPE_CHECKING:  # the closing rules load with the first poll, not before the first paint
    from queue_tui.core.closing import ClosingState

T = TypeVar("T")


class Forward(Generic[T]):
    """An attribute of the table that lives in its `rows` (tickets, flags, the sort...)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: type | None = None) -> T:
        return getattr(obj.rows, self.name)  # type: ignore[no-any-return]

    def __set__(self, obj: Any, value: T) -> None:
        setattr(obj.rows, self.name, value)


class QueueRows:
    """Keyed rows of tickets in sort order, their cells computed when first needed."""

    def __init__(self, changed: Callable[[str], None], moved: Callable[[int, int], None]) -> None:
        self.tickets: dict[str, Ticket] = {}
        self.flags: dict[str, str] = {}  # key -> "new" | "upd"
        self.marked: set[str] = set()  # rows marked for one action on all of them
        self.closing: dict[str, ClosingState] = {}
        self.me_id: str | None = None
        self.priority = PriorityRule()
        self.sort_name = "urgency"
        self.needle = ""
        self.order = RowOrder()
        self.columns = Columns()
        self.columns_dirty = False  # the columns' content changed width: place them again
        self.now: datetime | None = None
        self.marks = dict(MARKS)
        self.stages = StageIndex()  # every ticket of the tab, shown by the filter or not
        self._written: set[str] = set()  # tickets the agent's writes replaced since the last sync
        self._time: dict[str, TimeCells] = {}
        self._static: dict[str, dict[str, Cell]] = {}
        self._changed = changed
        self._moved = moved

    def __contains__(self, key: object) -> bool:
        """Whether `key`'s row is shown."""
        return key in self.order

    def __len__(self) -> int:
        return len(self.order)

    # -- cells -----------------------------------------------------------------------------
    def cells(self, key: str) -> dict[str, Cell]:
        """Every cell of the row, by column id, as of `now`."""
        tc = self.time(key)
        return {**self.static(key), "sla": tc.sla, "age": tc.age,
                **{f"goal:{g}": c for g, c in zip(self.columns.goals, tc.goals, strict=True)}}

    def static(self, key: str) -> dict[str, Cell]:
        cells = self._static.get(key)
        if cells is None:
            ctx = Context(self.priority, self.me_id, self.flags, self.closing, self.marked)
            cells = self._static[key] = static_cells(self.tickets[key], ctx)
        return cells

    def time(self, key: str) -> TimeCells:
        """The row's countdowns and age as of `now`, brought up to date when they may read differently."""
        tc = self._time[key]
        if self.now is None or not tc.stale(self.now):
            return tc
        new = self._time[key] = self._compute_time(key, self.now)
        if (new.sla, new.goals, new.age) != (tc.sla, tc.goals, tc.age):
            if self.columns.outgrown(new):
                self.columns_dirty = True
            self._changed(key)
        return new

    def has_time(self, key: str) -> bool:
        return key in self._time

    def _compute_time(self, key: str, now: datetime) -> TimeCells:
        return time_cells(self.tickets[key], now, self.columns.goals, self.marks)

    def set_marks(self, marks: dict[str, str]) -> None:
        """Other marks (another theme): every countdown reads differently."""
        if marks != self.marks:
            self.marks = dict(marks)
            if self.now is not None:
                for k in self._time:
                    self._time[k] = self._compute_time(k, self.now)

    def _restatic(self, key: str) -> None:
        old = self._static.pop(key, None)
        if old is not None and key in self.tickets and self.static(key) != old:
            self._changed(key)

    def _measure(self) -> None:
        self.columns.measure(self.tickets, self.order, self._time, self.closing)
        self.columns_dirty = True

    # -- changes ---------------------------------------------------------------------------
    def clear(self) -> None:
        self.order.clear()
        self._time.clear()
        self._static.clear()
        self.tickets = {}
        self.stages.reset(())
        self._written.clear()

    def sync(self, tickets: dict[str, Ticket], diff: Diff | None, now: datetime) -> tuple[list[str], list[str]] | None:
        """Bring the rows in line with `tickets` (and the filter), touching only what changed.
        Returns the keys of the rows that went and came, or None when nothing changed."""
        self.now = now
        if diff is not None and not diff.first:
            for k in diff.added:
                self.flags[k] = "new"
            for k in diff.changed:
                self.flags.setdefault(k, "upd")
        # A ticket the agent wrote since the last sync may come back as Jira had it before the
        # write (a poll that was under way): its row and counts follow what `tickets` says.
        written, self._written = self._written, set()
        changed = set(diff.changed) | written if diff is not None else set(tickets)
        self._follow(tickets, diff, written)
        self.tickets = tickets
        order = self.order
        fresh = not len(order)
        wanted = {k for k, t in tickets.items() if matches(t, self.needle, self.closing)} if self.needle else tickets
        gone = [k for k in order if k not in wanted]
        new = [k for k in wanted if k not in order]
        touched = [k for k in changed if k in order and k in wanted]
        if not (gone or new or touched):
            return None  # an unchanged poll costs nothing
        keyfn = lasting_sort_key(self.sort_name, now, self.priority)
        for k in gone:
            order.remove(k)
            self._time.pop(k, None)
            self._static.pop(k, None)
        goals = self.columns.goals
        self.columns.learn_goals(tickets)
        if self.columns.goals != goals:  # every goal column reads differently
            for k in self._time:
                self._time[k] = self._compute_time(k, now)
                self._changed(k)
        for k in new:
            self._time[k] = self._compute_time(k, now)
        if fresh:
            order.rebuild(keyfn(tickets[k]) for k in new)
        else:
            for k in new:
                order.place(k, keyfn(tickets[k]))
        for k in touched:
            self._retouch(k, now, keyfn(tickets[k]))
        self._measure()
        return gone, new

    def _follow(self, tickets: dict[str, Ticket], diff: Diff | None, written: set[str]) -> None:
        """The stage index follows the tickets by the poll's diff (and the agent's writes), as the
        rows do."""
        stages = self.stages
        if diff is None or diff.first or not len(stages):
            stages.reset(tickets.values())
            return
        for k in diff.removed:
            stages.drop(k)
        for k in (*diff.added, *diff.changed, *written):
            t = tickets.get(k)
            if t is not None:
                stages.put(t)
            else:
                stages.drop(k)
        if len(stages) != len(tickets):  # a diff taken against other rows than these
            stages.reset(tickets.values())

    def _retouch(self, key: str, now: datetime, entry: Entry) -> None:
        """A ticket that changed: its cells compared one by one, its row moved if its place did."""
        old_static, old_time = self._static.pop(key, None), self._time.get(key)
        new_time = self._time[key] = self._compute_time(key, now)
        differs = old_time is None or (old_time.sla, old_time.goals, old_time.age) != (new_time.sla, new_time.goals, new_time.age)
        if differs or (old_static is not None and self.static(key) != old_static):
            self._changed(key)
        if self.order.entry_of(key) != entry:
            self.move(key, entry)

    def move(self, key: str, entry: Entry) -> bool:
        was, now_at = self.order.place(key, entry)
        if was is None or was == now_at:
            return False
        self._moved(was, now_at)
        return True

    def set_ticket(self, t: Ticket, now: datetime) -> None:
        """Replace one ticket (an optimistic or confirmed write); its row follows."""
        self.tickets = {**self.tickets, t.key: t}
        self.stages.put(t)
        self._written.add(t.key)
        if t.key in self.order:
            self.now = now
            self._retouch(t.key, now, lasting_sort_key(self.sort_name, now, self.priority)(t))

    def mark_seen(self, key: str) -> None:
        if self.flags.pop(key, None) is not None:
            self._restatic(key)

    def set_marked(self, keys: set[str]) -> None:
        """Rows marked for a bulk action; those whose mark came or went are redrawn."""
        changed = self.marked ^ keys
        self.marked = set(keys)
        for key in changed:
            self._restatic(key)

    def set_closing(self, states: dict[str, ClosingState]) -> None:
        """New closing states: the rows whose Next cell reads differently change."""
        touched = False
        for key, state in states.items():
            if self.closing.get(key) == state:
                continue
            before = next_cell(self.closing.get(key))
            self.closing[key] = state
            if next_cell(state) != before:
                touched = True
                self._restatic(key)
        if touched:
            self._measure()

    def resort(self, now: datetime) -> None:
        """Every row placed again (another sort)."""
        self.now = now
        keyfn = lasting_sort_key(self.sort_name, now, self.priority)
        self.order.rebuild(keyfn(self.tickets[k]) for k in list(self.order))

    def reorder(self, keys: list[str], now: datetime) -> bool:
        """Put tickets that changed colour stage back in their place; True when any row moved.

        Between polls only a stage crossing changes a ticket's place: every other ticket's
        lasting sort key still holds. Each crossed ticket is re-placed by binary search.
        """
        if self.sort_name != "urgency" or not len(self.order):
            return False
        self.now = now
        keyfn = lasting_sort_key(self.sort_name, now, self.priority)
        moved = False
        for k in dict.fromkeys(keys):
            if k in self.order and k in self.tickets:
                moved = self.move(k, keyfn(self.tickets[k])) or moved
        return moved
