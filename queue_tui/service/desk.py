"""Which service desk and queues the agent works: the configured ones, else what Jira shows.

The tabs are the desk's own JSM queues, plus "Unassigned" and "Mine" built from the project
when the desk has no queue of that kind, so every agent can find the tickets nobody holds and
their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from queue_tui.core.models import Queue
from queue_tui.service.errors import JiraError


class DeskReads(Protocol):
    async def service_desks(self) -> list[dict[str, Any]]: ...

    async def queues(self, desk_id: str, include_count: bool = True) -> list[Queue]: ...


@dataclass(frozen=True)
class Desk:
    """The desk found, its queues as tabs, and what the agent should know about the choice."""

    id: str
    project: str
    label: str
    queues: list[Queue]
    warnings: list[str] = field(default_factory=list)


def choose_desk(desks: Sequence[dict[str, Any]], desk_id: str = "", project: str = "") -> tuple[dict[str, Any], list[str]]:
    """The configured desk (by id, else by project key), else the only or first one, with a warning
    when several were there to choose from. JiraError when the configured one is not there."""
    if desk_id:
        chosen = next((d for d in desks if str(d.get("id")) == desk_id), None)
        if chosen is None:
            raise JiraError(f"Service desk {desk_id} (desk.id in config) was not found")
        return chosen, []
    if project:
        chosen = next((d for d in desks if str(d.get("projectKey", "")).upper() == project.upper()), None)
        if chosen is None:
            raise JiraError(f"No service desk for project {project} (desk.project in config)")
        return chosen, []
    if not desks:
        raise JiraError("No service desk found for this account")
    chosen = desks[0]
    warnings = []
    if len(desks) > 1:
        names = ", ".join(f"{d.get('projectKey')} (id {d.get('id')})" for d in desks)
        warnings.append(f"Several service desks: {names}. Showing {chosen.get('projectKey')}; set desk.project in config.")
    return chosen, warnings


def tab_queues(project: str, queues: list[Queue], wanted: Sequence[str] = ()) -> list[Queue]:
    """The queues shown as tabs: the wanted ones by name or id (all when none or none match), then
    Unassigned and Mine for the project when no queue already shows those."""
    if wanted:
        names = [w.lower() for w in wanted]
        queues = [q for q in queues if q.name.lower() in names or q.id in wanted] or queues
    queues = list(queues)
    base = f'project = "{project}" AND resolution = Unresolved'
    if not any("assignee is empty" in q.jql.lower() for q in queues):
        queues.append(Queue("unassigned", "Unassigned", f"{base} AND assignee is EMPTY ORDER BY created ASC", kind="unassigned"))
    if not any("currentuser()" in q.jql.lower() for q in queues):
        queues.append(Queue("mine", "Mine", f"{base} AND assignee = currentUser() ORDER BY created ASC", kind="mine"))
    return queues


async def discover_desk(reads: DeskReads, desk_id: str = "", project: str = "", wanted: Sequence[str] = ()) -> Desk:
    chosen, warnings = choose_desk(await reads.service_desks(), desk_id, project)
    found_id = str(chosen.get("id"))
    key = str(chosen.get("projectKey", ""))
    queues = tab_queues(key, await reads.queues(found_id), wanted)
    return Desk(found_id, key, f"{chosen.get('projectName', key)} ({key})", queues, warnings)
