"""The queue table: one keyed row per ticket, updated in place from each poll's diff.

Never cleared on a poll or a tick: new rows are added, changed cells updated, gone rows
removed, and the cursor stays on its ticket. The one-second tick rewrites only the SLA cells of
the rows on screen whose text changed, from one text cache.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from queue_tui.core.closing import ClosingState
from queue_tui.core.models import Ticket
from queue_tui.core.sla import SECONDS_WITHIN, Stage, next_clock, remaining, sla_text, stage
from queue_tui.core.snapshot import Diff
from queue_tui.core.urgency import age_text, is_priority_installer, sort_key

COLUMNS: list[tuple[str, str, int]] = [
    ("sla", "SLA", 13), ("flag", "", 3), ("key", "Key", 8), ("pi", "★", 1), ("org", "Organization", 20),
    ("summary", "Summary", 42), ("rtype", "Request type", 22), ("status", "Status", 20),
    ("assignee", "Assignee", 14), ("age", "Age", 4), ("waiting", "Waiting", 8), ("next", "Next", 9), ("cs", "CS", 7),
]

DARK_STYLES = {Stage.BREACHED: "bold white on red", Stage.UNDER_30M: "bold #ff8c00", Stage.UNDER_1H: "bold yellow",
               Stage.PLENTY: "green", Stage.PAUSED: "italic #8fa3bf", Stage.NONE: "dim"}
LIGHT_STYLES = {Stage.BREACHED: "bold white on #c00000", Stage.UNDER_30M: "bold #b35900", Stage.UNDER_1H: "bold #806000",
                Stage.PLENTY: "#006b00", Stage.PAUSED: "italic #3a5a85", Stage.NONE: "dim"}


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
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.tickets: dict[str, Ticket] = {}
        self.flags: dict[str, str] = {}  # key -> "new" | "upd"
        self.me_id: str | None = None
        self.priority_orgs: frozenset[str] = frozenset()
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
        pi = is_priority_installer(t, self.priority_orgs)
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
                self.update_cell(key, "next", self._next_cell(key))
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
            keyfn = sort_key(self.sort_name, now, self.priority_orgs)
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
                self.update_cell(key, col, cells[col])

    def set_ticket(self, t: Ticket, now: datetime) -> None:
        """Replace one ticket (an optimistic or confirmed write) and redraw its row."""
        self.tickets = {**self.tickets, t.key: t}
        self.refresh_ticket(t.key, now)

    def mark_seen(self, key: str) -> None:
        if self.flags.pop(key, None) is not None:
            try:
                self.update_cell(key, "flag", Text(""))
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
        keyfn: Callable[[Ticket], object] = sort_key(self.sort_name, now, self.priority_orgs)
        keep = self.current_key()
        self.sort("key", key=lambda cell: keyfn(self.tickets[cell.plain]))
        if keep is not None:
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
                self.update_cell(key, "sla", cell)
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
