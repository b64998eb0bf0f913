"""Apply playbook steps to Jira and keep their progress on the ticket.

The runner gathers what the engine needs (the ticket in full, people for roles, organizations,
request types, the linked CS ticket, separate approval tickets, stored progress), applies the
planned changes one step at a time, stops at the first failure and reports what was applied.
Progress, including manual ticks and waits seen to be over, is stored in issue properties (one
per step, service/step_progress.py) so any agent on any machine sees where the SOP stands.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from queue_tui.core import ops
from queue_tui.core.approval_ticket import link_type
from queue_tui.core.context import Context, StepProgress, form_value
from queue_tui.core.cs_fields import CsSetup
from queue_tui.core.models import Person, RequestType, Ticket
from queue_tui.core.plan import after_batch, plan, remaining, sop_run
from queue_tui.core.playbook import LinkSpec, Playbook, SetFieldSpec, TransitionSpec, UpdateCsSpec, WaitSpec
from queue_tui.core.readiness import fallback_roles
from queue_tui.core.roles import anonymous_customer
from queue_tui.core.step_plan import StepPlan, StepStatus
from queue_tui.service import parse
from queue_tui.service.claims import Claims, Outcome, Sleep
from queue_tui.service.cs_fields_io import CsFieldsIO
from queue_tui.service.errors import ConflictError, JiraError, UnavailableError
from queue_tui.service.field_changes import latest_changes
from queue_tui.service.gateway import Gateway
from queue_tui.service.jql import jql_text, quoted
from queue_tui.service.step_progress import progress_of, properties_of, read_progress, save_step
from queue_tui.service.step_writes import StepWriter


@dataclass
class RunResult:
    applied: list[str] = field(default_factory=list)  # step titles written now
    already: list[str] = field(default_factory=list)  # found done in Jira: nothing sent
    not_applied: list[str] = field(default_factory=list)  # previewed, not applied (the run stopped first)
    failed: str | None = None
    error: JiraError | None = None

    def summary(self) -> str:
        text = f"Applied: {', '.join(self.applied) or 'nothing'}."
        if self.already:
            text += f" Already done in Jira: {', '.join(self.already)}."
        if self.error is not None:
            text += f" Stopped at {self.failed}: {self.error.short()}"
        if self.not_applied:
            text += f" Not applied: {', '.join(self.not_applied)}."
        return text


class PlaybookRunner:
    def __init__(self, gateway: Gateway, roster: dict[str, str], staff_domains: list[str],
                 channel_partners: dict[str, str], account_managers: dict[str, str],
                 clock: Callable[[], datetime], request_type_aliases: Mapping[str, str] | None = None,
                 cs_project: str = "CS", settle: Sleep | None = None, cs_setup: CsSetup | None = None,
                 config_where: str = "in the config file") -> None:
        self.gw = gateway
        self.roster = roster
        self.staff_domains = tuple(staff_domains)
        self.channel_partners = {k.lower(): v for k, v in channel_partners.items()}
        self.account_manager_refs = {k.lower(): v for k, v in account_managers.items()}
        self.clock = clock
        self.request_type_aliases = dict(request_type_aliases or {})
        self.cs_project = cs_project
        self.cs_setup = cs_setup
        self.cs_io = CsFieldsIO(gateway, cs_project, cs_setup.cal) if cs_setup is not None else None
        self.writer = StepWriter(gateway, Claims(gateway, clock, settle or gateway.sleep), self.cs_io)
        self.config_where = config_where  # where a missing setting goes, for the problems that name it
        self._anonymous: dict[str, Person | None] = {}
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

    async def anonymous_customer(self, desk_id: str | None, pb: Playbook) -> Person | None:
        """The desk's anonymous customer, looked up (once per desk) only when `pb` has a role that
        nobody mapped and that it may stand in for; None when the account cannot see customers."""
        if not any(role not in self.roster for role in fallback_roles(pb)):
            return None
        desk = desk_id or "1"
        if desk not in self._anonymous:
            try:
                self._anonymous[desk] = anonymous_customer(await self.gw.customers(desk, "anonymous"))
            except JiraError:
                self._anonymous[desk] = None
        return self._anonymous[desk]

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
        """playbook id -> step id -> stored entry, as Jira has it now."""
        return await read_progress(self.gw, key)

    @staticmethod
    def _entries(progress: Mapping[str, Any], pb: Playbook) -> dict[str, StepProgress]:
        """This playbook's progress, each entry read (a hand-edited one is left out)."""
        raw = progress.get(pb.id)
        if not isinstance(raw, dict):
            return {}
        return {sid: p for sid, v in raw.items() if (p := StepProgress.read(v)) is not None}

    async def context(self, key: str, pb: Playbook, desk_id: str | None, inputs: Mapping[str, str] | None = None) -> Context:
        """The ticket as Jira has it now: its comments with their step markers, watchers, participants,
        who set its fields (the changelog), its CS ticket with that ticket's comments (and its
        configuration fields when a step updates them), and the progress. `inputs`: what the agent
        typed for steps that ask (a link to record)."""
        gw = self.gw
        raw = await gw.get(f"/rest/api/2/issue/{key}", {"expand": "changelog", "properties": "*all"})
        t = parse.ticket(raw, gw.fields, self.clock())
        if t is None:
            raise UnavailableError(f"Jira sent an unreadable issue for {key}")
        comments = tuple(await gw.step_comments(key))
        t = replace(t, comments=comments, watchers=tuple(await gw.watchers(key)), detail_loaded=True)
        try:
            t = replace(t, participants=tuple(await gw.participants(key)))
        except JiraError:
            pass  # not a customer request: no participants to read
        history = latest_changes(await self._whole_changelog(key, raw), gw.fields)
        cs = None
        cs_link = next((lk for lk in t.links if lk.project == self.cs_project), None)
        markers = {c.marker for c in comments if c.marker}
        if cs_link is not None:
            cs = await gw.issue(cs_link.key, ["summary", "status", "issuetype", "priority", "issuelinks", "assignee",
                                              "created"])
            cs_comments = tuple(await gw.step_comments(cs.key))
            cs = replace(cs, comments=cs_comments)
            markers |= {c.marker for c in cs_comments if c.marker}
        cs_fields = None
        if cs is not None and self.cs_io is not None and any(isinstance(s.spec, UpdateCsSpec) for s in pb.steps):
            cs_fields = await self.cs_io.read(cs.key)
        related: tuple[Ticket, ...] = ()
        if any(isinstance(s.spec, LinkSpec) for s in pb.steps):
            related = tuple(await self.approval_tickets(t))
        transitions = await self._transitions(pb, t, cs, related)
        options = await self._field_options(pb, t)
        me = gw.me or Person("?", "me")
        site_types = await self.site_request_types(desk_id)
        return Context(ticket=t, me=me, now=self.clock(), people=await self.people(), staff_domains=self.staff_domains,
                       org_ids=await self.org_ids(), channel_managers=self.channel_partners,
                       account_managers=await self.account_managers(),
                       request_types={r.name.lower(): r.id for r in site_types}, site_request_types=tuple(site_types),
                       request_type_aliases=self.request_type_aliases, cs=cs, related=related,
                       progress=self._entries(progress_of(await properties_of(gw, key, raw)), pb), history=history, markers=frozenset(markers),
                       mention_style="cloud" if gw.conn.cloud else "dc", inputs=dict(inputs or {}), cs_fields=cs_fields,
                       cs_setup=self.cs_setup, anonymous=await self.anonymous_customer(desk_id, pb),
                       config_where=self.config_where, transitions=transitions, field_options=options)

    async def _field_options(self, pb: Playbook, t: Ticket) -> dict[str, tuple[str, ...]]:
        """The options the site offers for the dropdowns a step sets (Needs Configuration?), from the
        ticket's edit screen; none when the field is not on it or Jira would not say."""
        fid = self.gw.fields.get("needs_config")
        if not fid or not any(isinstance(s.spec, SetFieldSpec) and s.spec.field == "needs_config" for s in pb.steps):
            return {}
        try:
            found = (await self.gw.edit_options(t.key)).get(fid)
        except JiraError:
            return {}
        return {"needs_config": found} if found else {}

    async def _transitions(self, pb: Playbook, t: Ticket, cs: Ticket | None,
                           related: tuple[Ticket, ...]) -> dict[str, tuple[tuple[str, str], ...]]:
        """The moves the site offers the tickets the playbook changes the status of, from where each
        stands: (transition name, status it leads to). Read only for tickets a step moves."""
        moved = {s.spec.on for s in pb.steps if isinstance(s.spec, TransitionSpec) and not s.spec.choices}
        if any(isinstance(s.spec, WaitSpec) and s.spec.until == "cs_on_hold" for s in pb.steps):
            moved.add("cs")  # the statuses the agent may pick as this site's on hold
        keys = [t.key] if "ticket" in moved else []
        keys += [cs.key] if cs is not None and "cs" in moved else []
        if "related" in moved:
            kind = link_type(pb)
            keys += [r.key for r in related if r.status_category != "done" and any(
                lk.key == t.key and lk.link_type.lower() == kind.lower() for lk in r.links)]
        out: dict[str, tuple[tuple[str, str], ...]] = {}
        for key in keys:
            out[key] = tuple((str(m.get("name") or ""), str((m.get("to") or {}).get("name") or ""))
                             for m in await self.gw.transitions(key))
        return out

    async def _whole_changelog(self, key: str, raw: Any) -> Any:
        """The issue with its latest changes: Cloud sends only the first 100 with `expand=changelog`,
        so a longer history is completed with its last page."""
        log = raw.get("changelog") if isinstance(raw, dict) else None
        if not isinstance(log, dict) or not isinstance(log.get("histories"), list):
            return raw
        total, have = log.get("total"), log["histories"]
        if not isinstance(total, int) or total <= len(have):
            return raw
        page = await self.gw.get(f"/rest/api/2/issue/{key}/changelog", {"startAt": max(0, total - 100), "maxResults": 100})
        more = page.get("values") if isinstance(page, dict) else None
        return {**raw, "changelog": {**log, "histories": have + (more if isinstance(more, list) else [])}}

    async def approval_tickets(self, t: Ticket) -> list[Ticket]:
        """Tickets that may be the approver's separate answer to this onboarding: his tickets since it came
        (whatever their subject says) and any whose subject names the installer. Which one is his answer
        is the agent's call: only the one they link counts (`conditions.approval_judgement`)."""
        installer = form_value(t, "Installer name") or (t.organizations[0].name if t.organizations else "")
        approver = (await self.people()).get("approver")
        who = [f"summary ~ {jql_text(installer)}"] if installer else []
        if approver is not None:
            who.append(f"reporter = {quoted(approver.id)}")
        if not who:
            return []
        found = await self.gw.search_tickets(f"project = {t.project} AND key != {t.key} AND ({' OR '.join(who)}) "
                                             "ORDER BY created DESC", ["description", "resolution"])

        def fits(r: Ticket) -> bool:  # his tickets from before this onboarding are about something else
            named = bool(installer) and installer.lower() in r.summary.lower()
            return named or r.created >= t.created or any(lk.key == t.key for lk in r.links)

        return [r for r in found if fits(r)]

    async def _save(self, key: str, pb: Playbook, step_id: str, state: str, evidence: str = "") -> None:
        """Record a step's progress in its own property: two saves at once never undo each other."""
        me = self.gw.me.name if self.gw.me else "?"
        await save_step(self.gw, key, pb.id, step_id, StepProgress(state, self.clock(), me, evidence).as_json())

    async def tick(self, key: str, pb: Playbook, step_id: str) -> None:
        await self._save(key, pb, step_id, "ticked")

    async def plan_answered(self, key: str, pb: Playbook, desk_id: str | None,
                            answers: Mapping[str, str]) -> list[StepPlan]:
        """The plan as it would be once the agent answers so (choice step id -> option), read
        without writing anything: what the configuration lacks is said before the answer is kept."""
        ctx = await self.context(key, pb, desk_id)
        chosen = {step_id: StepProgress("chosen", evidence=option) for step_id, option in answers.items()}
        return plan(pb, replace(ctx, progress={**ctx.progress, **chosen}))

    async def choose(self, key: str, pb: Playbook, step_id: str, option: str) -> None:
        """The agent's answer at a choice step (or how a transition with choices closes), kept on the ticket."""
        await self._save(key, pb, step_id, "chosen", option)

    async def note_waits(self, key: str, pb: Playbook, plans: list[StepPlan], ctx: Context) -> None:
        """Remember waits that are over, so a later change (e.g. CS back to To Do) does not reopen them."""
        for p in plans:
            if isinstance(p.step.spec, WaitSpec) and p.status == StepStatus.MET and not ctx.done(p.step.id):
                await self._save(key, pb, p.step.id, "met", p.current)  # the signal it saw, kept with it

    async def apply(self, key: str, pb: Playbook, steps: list[StepPlan], confirmed: Collection[str] = ()) -> RunResult:
        """Apply the steps in order and record each; stop at the first that fails.

        A to-do is applied; a step that needs the agent (a decision over a colleague's value, a
        suggestion read from text) only when its id is in `confirmed`, the agent's explicit answer."""
        result = RunResult()
        made: list[StepPlan] = []
        watching: set[str] = set()  # watchers added by this run: a later step does not add them again
        for n, p in enumerate(steps):
            agreed = p.step.id in confirmed and p.status in (StepStatus.DECIDE, StepStatus.SUGGESTED, StepStatus.OPTION)
            if not (p.actionable or agreed or after_batch(p, made)):  # never before the steps it comes after
                continue
            try:
                state, evidence = "done", (p.evidence.sentence if p.evidence is not None else "")
                op = ops.unless_watching(p.op, watching) if p.op is not None else None
                if p.op is None:
                    state = "confirmed"  # a wait or check read from text: the agent's word is the record
                elif op is not None and (await self.writer.do(op)).outcome == Outcome.ALREADY:
                    result.already.append(p.step.title)
                watching |= ops.watchers_added(op) if op is not None else frozenset()
                await self._save(key, pb, p.step.id, state, evidence)
            except JiraError as exc:
                result.failed, result.error = p.step.title, exc
                result.not_applied = [q.step.title for q in steps[n:]]
                return result
            made.append(p)
            if p.step.title not in result.already:
                result.applied.append(p.step.title)
        return result

    async def apply_previewed(self, key: str, pb: Playbook, previewed: list[StepPlan], desk_id: str | None,
                              confirmed: Collection[str] = (), inputs: Mapping[str, str] | None = None) -> RunResult:
        """Apply what the agent saw, after re-reading the ticket: a step someone else has changed
        meanwhile is not overwritten; the run stops there and says what changed and what was not applied."""
        _, fresh = await replan(self, key, pb, desk_id, inputs)
        by_id = {p.step.id: p for p in fresh}
        todo: list[StepPlan] = []
        for n, p in enumerate(previewed):
            now = by_id.get(p.step.id)
            if now is None or now.status.settled:
                continue
            if now.op != p.op or now.current != p.current or now.status != p.status:
                result = await self.apply(key, pb, todo, confirmed)
                if result.error is None:
                    result.failed = p.step.title
                    result.error = ConflictError(f"{key} changed since the preview ({p.step.title}: now "
                                                 f"{now.current or now.status}); review the panel and apply again")
                    result.not_applied = [q.step.title for q in previewed[n:]]
                return result
            todo.append(now)
        return await self.apply(key, pb, todo, confirmed)

    async def apply_all(self, key: str, pb: Playbook, desk_id: str | None, rounds: int = 4) -> RunResult:
        """Apply every to-do, re-planning after each round (a wait a step just satisfied opens the
        steps behind it); never a decision or a suggestion, never past a step that needs the agent."""
        total = RunResult()
        for _ in range(rounds):
            _, plans = await replan(self, key, pb, desk_id)
            steps = remaining(plans)
            if not steps:
                break
            result = await self.apply(key, pb, steps)
            total.applied += result.applied
            total.already += result.already
            if result.error is not None:
                total.failed, total.error, total.not_applied = result.failed, result.error, result.not_applied
                break
        return total

    async def apply_confirmed_sop(self, key: str, pb: Playbook, desk_id: str | None) -> RunResult:
        """A whole SOP after one confirm that named its every change (`x`, and `x` on marked tickets):
        every to-do and every value it replaces, in order; never a suggestion read from text, never a form."""
        _, plans = await replan(self, key, pb, desk_id)
        todo = sop_run(plans)
        decided = {p.step.id for p in todo if p.status == StepStatus.DECIDE}
        return await self.apply_previewed(key, pb, todo, desk_id, decided)

    async def do(self, op: ops.Op) -> None:
        """One change the agent chose outside a plan (a picked reporter, organization, request type, channel)."""
        await self.writer.do(op)


async def replan(runner: PlaybookRunner, key: str, pb: Playbook, desk_id: str | None,
                 inputs: Mapping[str, str] | None = None) -> tuple[Context, list[StepPlan]]:
    ctx = await runner.context(key, pb, desk_id, inputs)
    plans = plan(pb, ctx)
    await runner.note_waits(key, pb, plans, ctx)
    return ctx, plans
