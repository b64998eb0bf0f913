"""What `queue-tui init` reads from the site to offer defaults, so a newcomer types nothing but
the site and the credentials.

Site-wide: the service desks, organizations and priorities. Per desk: its queues (a team's
"Priority installers" queue tells which Priority or organizations mean priority service), its
request types (which of them stand for the SOP's nine), the agents who can be assigned its
tickets and its anonymous customer account, for the roles. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from queue_tui.core.models import Organization, Person, Queue, RequestType
from queue_tui.core.priority import default_names, orgs_in_jql
from queue_tui.core.request_types import resembles, sop_type_of
from queue_tui.core.roles import anonymous_customer
from queue_tui.service.errors import JiraError
from queue_tui.service.gateway import Gateway


@dataclass
class SiteFacts:
    desks: list[dict[str, Any]]
    organizations: list[Organization]
    priorities: list[str]


@dataclass
class DeskFacts:
    id: str
    queues: list[Queue]
    request_types: list[RequestType]
    agents: list[Person]
    anonymous: Person | None
    priority_names: list[str] = field(default_factory=list)  # offered as priority service
    priority_names_why: str = ""
    priority_orgs: list[str] = field(default_factory=list)  # organizations a queue selects as priority
    problems: list[str] = field(default_factory=list)  # what could not be read (the rest still works)

    def alias_offers(self, aliases: dict[str, str]) -> list[tuple[str, str]]:
        """(desk type, SOP type) for each desk type that stands for an SOP type only by what it
        reads like: mapping it under [request_type_aliases] makes the playbooks find it."""
        out = []
        for rt in self.request_types:
            if sop_type_of(rt.name, aliases) is None and (like := resembles(rt)) is not None:
                out.append((rt.name, like))
        return out


async def site_facts(gw: Gateway) -> SiteFacts:
    return SiteFacts(await gw.service_desks(), await gw.organizations(), await gw.priorities())


async def desk_facts(gw: Gateway, desk_id: str, project: str, site_priorities: list[str]) -> DeskFacts:
    """What one desk offers; a part the account may not read (customers, say) is named in `problems`."""
    problems: list[str] = []

    async def part(what: str, read: Any, empty: Any) -> Any:
        try:
            return await read
        except JiraError as exc:
            problems.append(f"{what}: {exc.short()}")
            return empty

    queues: list[Queue] = await part("queues", gw.queues(desk_id, include_count=False), [])
    types: list[RequestType] = await part("request types", gw.request_types(desk_id), [])
    agents: list[Person] = await part("assignable people", gw.assignable_people(project), []) if project else []
    found: list[Person] = await part("customers", gw.customers(desk_id, "anonymous"), [])
    jqls = [q.jql for q in queues]
    names, why = default_names(site_priorities, jqls)
    orgs = list(dict.fromkeys(o for jql in jqls for o in orgs_in_jql(jql)))
    return DeskFacts(desk_id, queues, types, agents, anonymous_customer(found), names, why, orgs, problems)
