"""Apply playbook steps to Jira and keep their progress on the ticket.

The runner gathers what the engine needs (the ticket in full, people for roles, organizations,
request types, the linked CS ticket, separate approval tickets, stored progress), applies the
planned changes one step at a time, stops at the first failure and reports what was applied.
Progress, including manual ticks and waits seen to be over, is stored as an issue property so
any agent on any machine sees where the SOP stands.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, assert_never

from queue_tui.core import ops
from queue_tui.core.context import Context, StepProgress, form_value
from queue_tui.core.models import Person, RequestType, Ticket
from queue_tui.core.plan import plan, remaining
from queue_tui.core.playbook import LinkSpec, Playbook, WaitSpec
from queue_tui.core.step_plan import StepPlan, StepStatus
from queue_tui.service.cs_create import jql_text
from queue_tui.service.errors import ConflictError, JiraError, NotFoundError
from queue_tui.service.gateway import Gateway

PROGRESS_KEY = "queue-tui.progress"


@dataclass
class RunResult:
    applied: list[str] = field(default_factory=list)
    failed: str | None = None
    error: JiraError | None = None

    def summary(self) -> str:
        done = ", ".join(self.applied) or "nothing"
        if self.error is None:
            return f"Applied: {done}."
        return f"Applied: {done}. Stopped at {self.failed}: {self.error.short()}"


class PlaybookRunner:
    def __init__(self, gateway: Gateway, roster: dict[str, str], staff_domains: list[str],
                 channel_partners: dict[str, str], account_managers: dict[str, str],
                 clock: Callable[[], datetime], request_type_aliases: Mapping[str, str] | None = None) -> None:
        self.gw = gateway
        self.roster = roster
        self.staff_domains = tuple(staff_domains)
        self.channel_partners = {k.lower(): v for k, v in channel_partners.items()}
        self.account_manager_refs = {k.lower(): v for k, v in account_managers.items()}
        self.clock = clock
        self.request_type_aliases = dict(request_type_aliases or {})
        self._people: dict[str, Person | None] | None = None
        self._ams: dict[str, Person] | None = None
        self._orgs: dict[str, int] | None = None
        self._rts: dict[str, list[RequestType]] = {}

    async def _person(self, ref: str) -> Person | None:
        people = await self.gw.find_users(ref)
        low = ref.lower()
        exact = [p for p in people if low in (p.id.lower(), p.name.lower(), p.email.lower())]
        return exact[0] if exact else (people[0] if len(people) == 1 else None)

    async def people(self) -> dict[str, Person | None]:
        if self._people is None:
            self._people = {role: await self._person(ref) for role, ref in self.roster.items()}
        return self._people

    async def account_managers(self) -> dict[str, Person]:
        if self._ams is None:
            out: dict[str, Person] = {}
            for org, ref in self.account_manager_refs.items():
                p = await self._person(ref)
                if p:
                    out[org] = p
            self._ams = out
        return self._ams

    async def org_ids(self) -> dict[str, int]:
        if self._orgs is None:
            self._orgs = {o.name.lower(): o.id for o in await self.gw.organizations()}
        return self._orgs

    async def site_request_types(self, desk_id: str | None) -> list[RequestType]:
        """The desk's own request types, read once per desk (they change only when an admin edits the desk)."""
        desk = desk_id or "1"
        if desk not in self._rts:
            self._rts[desk] = await self.gw.request_types(desk)
        return self._rts[desk]

    async def request_types(self, desk_id: str | None) -> dict[str, str]:
        """The desk's request types, lower-case name -> id."""
        return {r.name.lower(): r.id for r in await self.site_request_types(desk_id)}

    async def progress(self, key: str) -> dict[str, Any]:
        value = await self.gw.get_property(key, PROGRESS_KEY)
        return value if isinstance(value, dict) else {}

    async def stored(self, key: str, pb: Playbook) -> dict[str, StepProgress]:
        """This playbook's progress on the ticket, each entry read (a hand-edited one is left out)."""
        raw = (await self.progress(key)).get(pb.id)
        if not isinstance(raw, dict):
            return {}
        return {sid: p for sid, v in raw.items() if (p := StepProgress.read(v)) is not None}

    async def context(self, key: str, pb: Playbook, desk_id: str | None) -> Context:
        t = await self.gw.ticket_detail(key)
        try:
            t = replace(t, participants=tuple(await self.gw.participants(key)))
        except (NotFoundError, JiraError):
            pass
        cs = None
        cs_link = next((lk for lk in t.links if lk.project == "CS"), None)
        if cs_link is not None:
            cs = await self.gw.issue(cs_link.key, ["summary", "status", "issuetype", "priority", "issuelinks"])
        related: tuple[Ticket, ...] = ()
        if any(isinstance(s.spec, LinkSpec) for s in pb.steps):
            related = tuple(await self.approval_tickets(t))
        me = self.gw.me or Person("?", "me")
        site_types = await self.site_request_types(desk_id)
        return Context(ticket=t, me=me, now=self.clock(), people=await self.people(), staff_domains=self.staff_domains,
                       org_ids=await self.org_ids(), channel_managers=self.channel_partners,
                       account_managers=await self.account_managers(),
                       request_types={r.name.lower(): r.id for r in site_types}, site_request_types=tuple(site_types),
                       request_type_aliases=self.request_type_aliases, cs=cs, related=related,
                       progress=await self.stored(key, pb))

    async def approval_tickets(self, t: Ticket) -> list[Ticket]:
        """Separate approval tickets for this onboarding: 'approved' and the installer's name in the subject."""
        installer = form_value(t, "Installer name") or (t.organizations[0].name if t.organizations else "")
        if not installer:
            return []
        jql = (f"project = {t.project} AND key != {t.key} AND summary ~ \"approved\" AND summary ~ {jql_text(installer)} "
               "ORDER BY created DESC")
        return await self.gw.search_tickets(jql)

    async def _save(self, key: str, pb: Playbook, step_id: str, state: str, evidence: str = "") -> None:
        me = self.gw.me.name if self.gw.me else "?"
        allp = await self.progress(key)
        raw = allp.get(pb.id)
        mine = dict(raw) if isinstance(raw, dict) else {}
        mine[step_id] = StepProgress(state, self.clock(), me, evidence).as_json()
        allp[pb.id] = mine
        await self.gw.set_property(key, PROGRESS_KEY, allp)

    async def tick(self, key: str, pb: Playbook, step_id: str) -> None:
        await self._save(key, pb, step_id, "ticked")

    async def note_waits(self, key: str, pb: Playbook, plans: list[StepPlan], ctx: Context) -> None:
        """Remember waits that are over, so a later change (e.g. CS back to To Do) does not reopen them."""
        for p in plans:
            if isinstance(p.step.spec, WaitSpec) and p.status == StepStatus.MET and not ctx.done(p.step.id):
                await self._save(key, pb, p.step.id, "met")

    async def apply(self, key: str, pb: Playbook, steps: list[StepPlan]) -> RunResult:
        result = RunResult()
        for p in steps:
            if not p.actionable or p.op is None:
                continue
            try:
                await self.do(p.op)
                await self._save(key, pb, p.step.id, "done")
            except JiraError as exc:
                result.failed, result.error = p.step.title, exc
                return result
            result.applied.append(p.step.title)
        return result

    async def apply_previewed(self, key: str, pb: Playbook, previewed: list[StepPlan], desk_id: str | None) -> RunResult:
        """Apply what the agent saw, after re-reading the ticket: a step someone else has changed
        meanwhile is not overwritten; the run stops and says what changed, for the agent to decide."""
        _, fresh = await replan(self, key, pb, desk_id)
        by_id = {p.step.id: p for p in fresh}
        todo: list[StepPlan] = []
        for p in previewed:
            now = by_id.get(p.step.id)
            if now is None or now.status in ("met", "done", "skip"):
                continue
            if now.op != p.op or now.current != p.current:
                result = await self.apply(key, pb, todo)
                result.failed = p.step.title
                result.error = ConflictError(f"{key} changed since the preview ({p.step.title}: now {now.current or '—'}); "
                                             "review the panel and apply again")
                return result
            todo.append(now)
        return await self.apply(key, pb, todo)

    async def apply_all(self, key: str, pb: Playbook, desk_id: str | None, rounds: int = 4) -> RunResult:
        """Apply every remaining step, re-planning after each round: a wait that a step just
        satisfied (e.g. a linked approval ticket) opens the steps behind it."""
        total = RunResult()
        for _ in range(rounds):
            _, plans = await replan(self, key, pb, desk_id)
            steps = remaining(plans)
            if not steps:
                break
            result = await self.apply(key, pb, steps)
            total.applied += result.applied
            if result.error is not None:
                total.failed, total.error = result.failed, result.error
                break
        return total

    async def do(self, op: ops.Op) -> None:
        """Make one change in Jira, by the operation's type."""
        gw, fm = self.gw, self.gw.fields
        match op:
            case ops.SetPerson(key=key, field="assignee", person=person):
                await gw.assign(key, person)
            case ops.SetPerson(key=key, person=person):
                await gw.edit(key, fields={"reporter": gw.user_ref(person)}, detail=f"reporter = {person.name}")
            case ops.SetOrganization():
                await gw.edit(op.key, fields={_need(fm.get("organizations"), "Organizations"): [op.org_id]},
                              detail=f"organization = {op.name}")
            case ops.SetRequestType():
                await gw.edit(op.key, fields={_need(fm.get("request_type"), "Request Type"): op.type_id},
                              detail=f"request type = {op.name}")
            case ops.AddLabel():
                await gw.edit(op.key, update={"labels": [{"add": op.label}]}, detail=f"label + {op.label}")
            case ops.SetChannel():
                await gw.edit(op.key, fields={_need(fm.get("channel"), "Channel"): [{"value": v} for v in op.values]},
                              detail="channel = " + ", ".join(op.values))
            case ops.SetNeedsConfig():
                await gw.edit(op.key, fields={_need(fm.get("needs_config"), "Needs Configuration?"): {"value": op.value}},
                              detail=f"Needs Configuration? = {op.value}")
            case ops.SetPriority():
                await gw.edit(op.key, fields={"priority": {"name": op.value}}, detail=f"priority = {op.value}")
            case ops.AddWatchers():
                for p in op.people:
                    await gw.add_watcher(op.key, p)
            case ops.RemoveWatchers():
                for p in op.people:
                    await gw.remove_watcher(op.key, p)
            case ops.MoveStaffToWatchers():
                for p in op.people:
                    await gw.add_watcher(op.key, p)
                await gw.remove_participants(op.key, list(op.people))
            case ops.RemoveParticipants():
                await gw.remove_participants(op.key, list(op.people))
            case ops.PostComment():
                # The platform API for every ticket, the CS ticket included: its comment properties carry the
                # visibility and, later, the step's marker.
                await gw.add_comment(op.key, op.body, public=op.public, service_desk=False)
            case ops.Transition():
                await gw.transition(op.key, op.to, op.resolution)
            case ops.TransitionMany():
                for k in op.keys:
                    await gw.transition(k, op.to, op.resolution)
            case ops.Link():
                for k in op.others:
                    await gw.link(op.link_type, op.key, k)
            case ops.CreateCs():
                raise JiraError("the CS ticket is created through its form (c), not applied here")
            case _:
                assert_never(op)


def _need(fid: str | None, name: str) -> str:
    if not fid:
        raise JiraError(f"the '{name}' field was not found on this Jira (set its id under [fields] in the config)")
    return fid


async def replan(runner: PlaybookRunner, key: str, pb: Playbook, desk_id: str | None) -> tuple[Context, list[StepPlan]]:
    ctx = await runner.context(key, pb, desk_id)
    plans = plan(pb, ctx)
    await runner.note_waits(key, pb, plans, ctx)
    return ctx, plans
