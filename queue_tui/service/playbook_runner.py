"""Apply playbook steps to Jira and keep their progress on the ticket.

The runner gathers what the engine needs (the ticket in full, people for roles, organizations,
request types, the linked CS ticket, separate approval tickets, stored progress), applies the
planned changes one step at a time, stops at the first failure and reports what was applied.
Progress, including manual ticks and waits seen to be over, is stored as an issue property so
any agent on any machine sees where the SOP stands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from queue_tui.core.models import Person, Ticket
from queue_tui.core.playbook import Context, Playbook, StepPlan, plan
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
                 clock: Callable[[], datetime]) -> None:
        self.gw = gateway
        self.roster = roster
        self.staff_domains = tuple(staff_domains)
        self.channel_partners = {k.lower(): v for k, v in channel_partners.items()}
        self.account_manager_refs = {k.lower(): v for k, v in account_managers.items()}
        self.clock = clock
        self._people: dict[str, Person | None] | None = None
        self._ams: dict[str, Person] | None = None
        self._orgs: dict[str, int] | None = None
        self._rts: dict[str, str] | None = None

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
            out = {}
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

    async def request_types(self, desk_id: str | None) -> dict[str, str]:
        if self._rts is None:
            self._rts = {r.name.lower(): r.id for r in await self.gw.request_types(desk_id or "1")}
        return self._rts

    async def progress(self, key: str) -> dict[str, Any]:
        value = await self.gw.get_property(key, PROGRESS_KEY)
        return value if isinstance(value, dict) else {}

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
        if any(s.kind == "link" for s in pb.steps):
            related = tuple(await self.approval_tickets(t))
        stored = (await self.progress(key)).get(pb.id, {})
        me = self.gw.me or Person("?", "me")
        return Context(ticket=t, me=me, now=self.clock(), people=await self.people(), staff_domains=self.staff_domains,
                       org_ids=await self.org_ids(), channel_managers=self.channel_partners,
                       account_managers=await self.account_managers(), request_types=await self.request_types(desk_id),
                       cs=cs, related=related, progress=stored if isinstance(stored, dict) else {})

    async def approval_tickets(self, t: Ticket) -> list[Ticket]:
        """Separate approval tickets for this onboarding: 'approved' and the installer's name in the subject."""
        from queue_tui.core.playbook import Context as _C

        installer = _C(ticket=t, me=Person("", ""), now=self.clock()).form_value("Installer name") or (
            t.organizations[0].name if t.organizations else "")
        if not installer:
            return []
        jql = (f"project = {t.project} AND key != {t.key} AND summary ~ \"approved\" AND summary ~ {jql_text(installer)} "
               "ORDER BY created DESC")
        return await self.gw.search_tickets(jql)

    async def _save(self, key: str, pb: Playbook, step_id: str, state: str) -> None:
        me = self.gw.me.name if self.gw.me else "?"
        allp = await self.progress(key)
        mine = allp.get(pb.id) if isinstance(allp.get(pb.id), dict) else {}
        mine = dict(mine or {})
        mine[step_id] = {"state": state, "at": self.clock().isoformat(timespec="seconds"), "by": me}
        allp[pb.id] = mine
        await self.gw.set_property(key, PROGRESS_KEY, allp)

    async def tick(self, key: str, pb: Playbook, step_id: str) -> None:
        await self._save(key, pb, step_id, "ticked")

    async def note_waits(self, key: str, pb: Playbook, plans: list[StepPlan], ctx: Context) -> None:
        """Remember waits that are over, so a later change (e.g. CS back to To Do) does not reopen them."""
        for p in plans:
            if p.step.kind == "wait" and p.status == "met" and ctx.progress.get(p.step.id, {}).get("state") != "met":
                await self._save(key, pb, p.step.id, "met")

    async def apply(self, key: str, pb: Playbook, steps: list[StepPlan]) -> RunResult:
        result = RunResult()
        for p in steps:
            if not p.actionable or p.action is None:
                continue
            try:
                await self._do(key, p.action)
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
            if now.action != p.action or now.current != p.current:
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
        from queue_tui.core.playbook import remaining

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

    async def _do(self, key: str, a: dict[str, Any]) -> None:
        gw, fm = self.gw, self.gw.fields
        op = a["op"]
        if op == "set_person":
            if a["field"] == "assignee":
                await gw.assign(key, a["person"])
            else:
                await gw.edit(key, fields={"reporter": gw.user_ref(a["person"])}, detail=f"reporter = {a['person'].name}")
        elif op == "set_org":
            await gw.edit(key, fields={_need(fm.get("organizations"), "Organizations"): [a["org_id"]]},
                          detail=f"organization = {a['name']}")
        elif op == "set_request_type":
            await gw.edit(key, fields={_need(fm.get("request_type"), "Request Type"): a["id"]},
                          detail=f"request type = {a['name']}")
        elif op == "add_label":
            await gw.edit(key, update={"labels": [{"add": a["label"]}]}, detail=f"label + {a['label']}")
        elif op == "set_channel":
            await gw.edit(key, fields={_need(fm.get("channel"), "Channel"): [{"value": v} for v in a["values"]]},
                          detail="channel = " + ", ".join(a["values"]))
        elif op == "set_needs_config":
            await gw.edit(key, fields={_need(fm.get("needs_config"), "Needs Configuration?"): {"value": a["value"]}},
                          detail=f"Needs Configuration? = {a['value']}")
        elif op == "set_priority":
            await gw.edit(key, fields={"priority": {"name": a["value"]}}, detail=f"priority = {a['value']}")
        elif op == "add_watchers":
            for p in a["people"]:
                await gw.add_watcher(key, p)
        elif op == "remove_watchers":
            for p in a["people"]:
                await gw.remove_watcher(key, p)
        elif op == "move_to_watchers":
            for p in a["people"]:
                await gw.add_watcher(key, p)
            await gw.remove_participants(key, a["people"])
        elif op == "remove_participants":
            await gw.remove_participants(key, a["people"])
        elif op == "comment":
            await gw.add_comment(a.get("key", key), a["body"], public=a["public"], service_desk=a.get("service_desk", True))
        elif op == "transition":
            await gw.transition(a["key"], a["to"], a.get("resolution"))
        elif op == "transition_many":
            for k in a["keys"]:
                await gw.transition(k, a["to"], a.get("resolution"))
        elif op == "link":
            for k in a["keys"]:
                await gw.link(a["type"], key, k)
        else:
            raise JiraError(f"step operation '{op}' cannot be applied here")


def _need(fid: str | None, name: str) -> str:
    if not fid:
        raise JiraError(f"the '{name}' field was not found on this Jira (set its id under [fields] in the config)")
    return fid


async def replan(runner: PlaybookRunner, key: str, pb: Playbook, desk_id: str | None) -> tuple[Context, list[StepPlan]]:
    ctx = await runner.context(key, pb, desk_id)
    plans = plan(pb, ctx)
    await runner.note_waits(key, pb, plans, ctx)
    return ctx, plans
