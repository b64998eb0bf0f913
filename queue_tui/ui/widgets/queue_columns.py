"""The queue table's columns for the data at hand: which exist, how wide their content runs.

Some columns appear only when they say something: one per SLA goal when the desk has several
(headed by JSM's own names), Priority when the tickets carry more than one, Next and CS when a
ticket has one. Their widths follow the content (the SLA column is as wide as its longest
countdown), and `table_layout` decides what fits the table's width.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from queue_tui.core.models import Ticket
from queue_tui.ui.widgets.queue_cells import Cell, TimeCells, next_cell
from queue_tui.ui.widgets.table_layout import ColumnSpec, Placed, fit

if TYPE_CHECKING:  # the closing rules load with the first poll, not before the first paint
    from queue_tui.core.closing import ClosingState

# Lower ranks are kept first as the table narrows (0: never dropped).
RANKS = {"sla": 0, "key": 0, "pi": 1, "summary": 2, "flag": 3, "assignee": 4, "age": 5, "org": 6, "next": 7,
         "goals": 8, "status": 9, "rtype": 10, "priority": 11, "cs": 12}


def short_goal(name: str) -> str:
    """'Time to first response' -> 'First response', for a column too narrow for the full name."""
    rest = name[8:] if name.lower().startswith("time to ") else name
    return rest[:1].upper() + rest[1:]


def goal_initials(name: str) -> str:
    """'Time to first response' -> 'TTFR', as JSM admins abbreviate SLA names."""
    return "".join(word[0] for word in name.split() if word[:1].isalnum()).upper()


def cell_width(cell: Cell) -> int:
    if not cell.lead:
        return len(cell.text)
    return len(cell.lead) + (1 + len(cell.text) if cell.text else 0)


class Columns:
    """The columns the data calls for, and where they sit at the current width."""

    def __init__(self) -> None:
        self.goals: tuple[str, ...] = ()
        self.placed: tuple[Placed, ...] = ()
        self._content: dict[str, int] = {}
        self._goal_widths: tuple[int, ...] = ()
        self._placed_for: tuple[object, ...] | None = None

    def learn_goals(self, tickets: Mapping[str, Ticket]) -> None:
        """The SLA goals the tickets report, in the order first seen; none when there is only one."""
        names = dict.fromkeys(c.name for t in tickets.values() for c in t.slas if not c.computed)
        known = tuple(g for g in self.goals if g in names) + tuple(n for n in names if n not in self.goals)
        self.goals = known if len(known) >= 2 else ()

    def measure(self, tickets: Mapping[str, Ticket], keys: Iterable[str], time: Mapping[str, TimeCells],
                closing: Mapping[str, ClosingState]) -> None:
        shown = [tickets[k] for k in keys if k in tickets]
        rows = list(time.values())
        self._content = {
            "sla": max((cell_width(tc.sla) for tc in rows), default=3),
            "key": max((len(t.key) for t in shown), default=3),
            "priorities": len({t.priority for t in shown if t.priority}),
            "priority": max((len(t.priority) for t in shown), default=0),
            "next": max((len(next_cell(closing.get(t.key)).text) for t in shown), default=0),
            "cs": max((len(lk.key) for t in shown for lk in t.links if lk.project == "CS"), default=0),
        }
        self._goal_widths = tuple(max((cell_width(tc.goals[i]) for tc in rows if len(tc.goals) > i), default=1)
                                  for i in range(len(self.goals)))

    def specs(self) -> list[ColumnSpec]:
        c = self._content
        sla = max(3, c.get("sla", 3))
        key = max(3, c.get("key", 3))
        # A goal column is worth its room only with a header that names it: at least the short name.
        goals = tuple(ColumnSpec(f"goal:{g}", (g, short_goal(g), goal_initials(g)), max(w, len(short_goal(g))),
                                 max(w, len(short_goal(g))), RANKS["goals"], "right", generous=max(w, len(g)), content=w)
                      for g, w in zip(self.goals, self._goal_widths, strict=True))
        out = [ColumnSpec("sla", ("SLA",), sla, sla, RANKS["sla"], "right", expands_to=goals, expand_rank=RANKS["goals"]),
               ColumnSpec("flag", ("",), 3, 3, RANKS["flag"]),
               ColumnSpec("key", ("Key",), key, key, RANKS["key"]),
               ColumnSpec("pi", ("★",), 1, 1, RANKS["pi"])]
        if c.get("priorities", 0) > 1:
            width = max(4, c["priority"])
            out.append(ColumnSpec("priority", ("Priority", "Prio"), width, width, RANKS["priority"]))
        out += [ColumnSpec("org", ("Organization", "Org"), 12, 24, RANKS["org"]),
                ColumnSpec("summary", ("Summary",), 24, 40, RANKS["summary"], grow=True, squeeze=10),
                ColumnSpec("rtype", ("Request type", "Type"), 12, 26, RANKS["rtype"]),
                ColumnSpec("status", ("Status",), 12, 22, RANKS["status"]),
                ColumnSpec("assignee", ("Assignee", "Who"), 8, 16, RANKS["assignee"]),
                ColumnSpec("age", ("Age",), 4, 4, RANKS["age"])]
        if c.get("next"):
            out.append(ColumnSpec("next", ("Next",), c["next"], c["next"], RANKS["next"]))
        if c.get("cs"):
            out.append(ColumnSpec("cs", ("CS",), c["cs"], c["cs"], RANKS["cs"]))
        return out

    def _signature(self, width: int) -> tuple[object, ...]:
        return (width, tuple(self.specs()))

    def changed(self, width: int) -> bool:
        """Whether the columns would sit differently from how they were last placed."""
        return self._signature(width) != self._placed_for

    def place(self, width: int) -> None:
        placed = fit(self.specs(), width)
        goals = [p for p in placed if p.id.startswith("goal:")]
        if goals:
            # The goal columns word their headers alike: all full names, all short, or all initials.
            wordings = {f"goal:{g}": (g, short_goal(g), goal_initials(g)) for g in self.goals}
            level = next((n for n in range(3) if all(len(wordings[p.id][n]) <= p.width for p in goals)), 2)
            placed = tuple(replace(p, header=wordings[p.id][level]) if p.id in wordings else p for p in placed)
        self.placed = placed
        self._placed_for = self._signature(width)

    def outgrown(self, tc: TimeCells) -> bool:
        """A countdown grew wider than its column (e.g. '-59m' becoming '-1h 00m')."""
        grew = False
        if cell_width(tc.sla) > self._content.get("sla", 0):
            self._content["sla"] = cell_width(tc.sla)
            grew = True
        widths = list(self._goal_widths)
        for i, cell in enumerate(tc.goals[: len(widths)]):
            if cell_width(cell) > widths[i]:
                widths[i] = cell_width(cell)
                grew = True
        self._goal_widths = tuple(widths)
        return grew
