"""Which routes of the triage SOPs apply to a ticket: those of its request type.

Both triage SOPs say, per request type, who handles what and what to create
(queue-triage-and-request-types.txt wins where queue-triage-older-version.txt says otherwise).
A playbook lists them under `[[routes]]`; the panel shows the routes of the ticket's request type,
read through the desk's own names and `[request_type_aliases]`. While the ticket has no request
type yet the routes of the suggested one are shown, held until the type is set.
"""

from __future__ import annotations

import re
from enum import StrEnum

from queue_tui.core.context import Context
from queue_tui.core.playbook import (
    CommentSpec,
    CreateCsSpec,
    ManualSpec,
    Playbook,
    SetFieldSpec,
    Step,
    WaitSpec,
)
from queue_tui.core.triage import suggest_request_type
from queue_tui.core.type_menu import sop_guide_for


class Fit(StrEnum):
    SHOWN = "shown"  # a route of the ticket's request type
    HELD = "held"  # a route of the suggested type: shown, but held until the type is set
    HIDDEN = "hidden"  # another type's


def sop_type(c: Context) -> tuple[str | None, bool]:
    """The SOP request type the ticket stands for, and whether it is set (False: only suggested)."""
    t = c.ticket
    if t.request_type is not None:
        g, _ = sop_guide_for(t.request_type.name, c.request_type_aliases, c.site_request_types)
        return (g.name if g else None), True
    sug = suggest_request_type(t, c.site_request_types, c.request_type_aliases)
    return sug.sop, False


def fit(s: Step, c: Context, ticket_type: tuple[str | None, bool]) -> Fit:
    if not s.for_types:
        return Fit.SHOWN
    name, is_set = ticket_type
    if name is None or name.lower() not in (x.lower() for x in s.for_types):
        return Fit.HIDDEN
    return Fit.SHOWN if is_set else Fit.HELD


def action(s: Step) -> str:
    """What taking a route does, in a few words (the `t` menu shows it beside the SOP's words)."""
    spec = s.spec
    if isinstance(spec, SetFieldSpec) and spec.field == "assignee":
        return f"g assigns it to the {spec.value.replace('_', ' ')}"
    if isinstance(spec, CommentSpec):
        who = [m.replace("_", " ") for m in re.findall(r"\{@(\w+)\}", spec.template)]
        what = "an internal comment" if not spec.public else "a public reply"
        asks = f"g asks for {spec.ask[0].lower()}{spec.ask[1:]}, then posts " if spec.ask else "g posts "
        return asks + what + (f" mentioning the {' and the '.join(who)}" if who else "")
    if isinstance(spec, CreateCsSpec):
        return "g opens the CS ticket form" + (f" ({spec.issue_type or spec.epic})" if spec.issue_type or spec.epic else "")
    if isinstance(spec, WaitSpec):
        return f"the panel waits for {spec.waiting_for}"
    if isinstance(spec, ManualSpec):
        return "space ticks it once done"
    return "in the SOP panel"


def routes_by_type(books: dict[str, Playbook]) -> dict[str, tuple[Step, ...]]:
    """Every playbook's routes by the SOP request type they belong to (lower-case name)."""
    out: dict[str, list[Step]] = {}
    for pb in books.values():
        for s in pb.steps:
            for t in s.for_types:
                out.setdefault(t.lower(), []).append(s)
    return {k: tuple(v) for k, v in out.items()}
