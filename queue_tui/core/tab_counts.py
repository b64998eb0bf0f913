"""What an agent's own write does to the queue tabs' counts, before the next poll says so.

Only what the write itself decides is predicted: a closed ticket leaves the queues of unresolved
tickets; an assigned one leaves the queues of unassigned tickets and enters the agent's own.
Anything else a queue's JQL asks (a request type, a component) is left to the next poll.
"""

from __future__ import annotations

from queue_tui.core.models import Queue, Ticket


def _jql(q: Queue) -> str:
    return " ".join(q.jql.lower().split())


def _unresolved_only(jql: str) -> bool:
    return "resolution = unresolved" in jql or "resolution is empty" in jql or "statuscategory != done" in jql


_ASSIGNEE_CLAUSES = (" and assignee is empty", " and assignee = currentuser()")


def rest_of(q: Queue) -> str:
    """The queue's JQL without its assignee clause and its order: what else a ticket must meet."""
    jql = _jql(q).split(" order by ")[0]
    for clause in _ASSIGNEE_CLAUSES:
        jql = jql.replace(clause, "")
    return jql


def still_in(q: Queue, after: Ticket, me_id: str | None, was_in: bool | None, rest_holds: bool = False) -> bool | None:
    """Whether `after` is in `q` once the write is done, given whether it was before (None: not
    known) and whether the rest of the queue's JQL is known to hold for it; None: cannot tell."""
    jql = _jql(q)
    done = after.status_category == "done"
    if done and (_unresolved_only(jql) or q.kind in ("unassigned", "mine")):
        return False
    known_rest = rest_holds or q.kind in ("unassigned", "mine")
    if "assignee is empty" in jql:
        if known_rest:
            return after.assignee is None and not done
        return after.assignee is None if was_in else None
    if "currentuser()" in jql and "assignee" in jql:
        mine = after.assignee is not None and after.assignee.id == me_id
        if known_rest:
            return mine and not done
        return mine if was_in else None
    return was_in


def was_in(q: Queue, before: Ticket, me_id: str | None) -> bool | None:
    """For the app's own tabs (which ask only that), membership follows from the ticket; else None."""
    if before.status_category == "done":
        return False
    if q.kind == "unassigned":
        return before.assignee is None
    if q.kind == "mine":
        return before.assignee is not None and before.assignee.id == me_id
    return None
