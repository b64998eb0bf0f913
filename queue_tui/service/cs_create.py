"""Create (or link) the CS ticket for an SS ticket, in resumable steps.

Steps: create the CS issue, link it as the form chose (the site's own link types, "relates to" the
SS ticket by default; the link's direction as the agent reads it: "this CS ticket blocks SS-12"),
copy the customer's attachments to it (channel-partner-request.txt: "Be sure to include any
attachments that you receive from the customer"; downloaded from the SS ticket, uploaded to the
CS ticket, a file with the same name and size already there is not sent again), add an internal
comment on the SS ticket naming it. Each step is done at most once; a failure part way says
exactly what exists, and `finish` picks up where it stopped.

Creating and linking are one claimed step (`Claims.once` on the SS ticket): before it, Jira is asked
whether a CS ticket the agent did not see in the "already filed" list is now linked to the SS ticket
(or was filed with the same summary in the last 15 minutes), so two agents pressing `c` at once file
one. The note is claimed the same way, and carries its marker, so it is never posted twice.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from queue_tui.core.calendar import BusinessCalendar
from queue_tui.core.cs_ticket import CsDraft
from queue_tui.core.due_rules import field_value
from queue_tui.core.link_types import LinkChoice, choices, default_choice
from queue_tui.core.models import LinkedIssue, Person, Ticket
from queue_tui.service.claims import Claims, Outcome, StepBusy
from queue_tui.service.cs_fields_io import epic_field, read_epics
from queue_tui.service.errors import BadRequestError, JiraError
from queue_tui.service.gateway import Gateway
from queue_tui.service.jql import jql_text


@dataclass
class CsOutcome:
    ss_key: str
    cs_key: str | None = None
    created: bool = False
    linked: bool = False
    attached: bool = False
    commented: bool = False
    reused: bool = False
    meanwhile: bool = False  # a colleague filed and linked it while the agent filled the form
    unset: list[str] = field(default_factory=list)  # people the form named that Jira does not know: left empty
    link_said: list[str] = field(default_factory=list)  # each link as it reads ("CS-4 is blocked by SS-12")
    error: JiraError | None = None
    steps: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.cs_key is not None and self.linked and self.attached and self.commented and self.error is None

    def summary(self) -> str:
        if self.complete and self.meanwhile:
            return f"{self.cs_key} was filed and linked to {self.ss_key} meanwhile by a colleague; nothing created"
        if self.complete:
            verb = "linked" if self.reused else "created and linked"
            files = [s for s in self.steps if s.startswith("attached ")]
            copied = f"; {len(files)} attachment(s) copied" if files else ""
            unset = f"; not set: {', '.join(self.unset)}" if self.unset else ""
            said = f" ({'; '.join(self.link_said)})" if self.link_said else ""
            return f"{self.cs_key} {verb} to {self.ss_key}{said}{copied}; internal note added{unset}"
        done = ", ".join(self.steps) or "nothing"
        todo = [s for s, ok in (("create the CS ticket", self.cs_key is not None), ("link it", self.linked),
                                ("copy the attachments", self.attached), ("add the internal note", self.commented))
                if not ok]
        why = self.error.short() if self.error else "stopped"
        return f"Done: {done}. Not done: {', '.join(todo)}. Reason: {why}"


class CsCreator:
    def __init__(self, gateway: Gateway, cal: BusinessCalendar, project: str = "CS", claims: Claims | None = None) -> None:
        self.gw = gateway
        self.cal = cal
        self.project = project
        self.claims = claims or Claims(gateway, gateway.clock, gateway.sleep)
        self._components: list[str] | None = None
        self._epics: dict[str, str] | None = None

    async def components(self) -> list[str]:
        if self._components is None:
            self._components = await self.gw.components(self.project)
        return self._components

    async def epics(self) -> dict[str, str]:
        """Epic name -> key in the CS project."""
        if self._epics is None:
            self._epics = await read_epics(self.gw, self.project)
        return self._epics

    async def existing(self, t: Ticket, customer: str = "") -> list[Ticket]:
        """CS tickets already filed: the SOP's "check if a ticket has already been filed". Every CS ticket
        linked to this one (read from the ticket itself, whatever its status: search can lag behind),
        then open ones for the same customer: the ticket's organizations, and `customer` where a playbook
        knows it better (the channel partner form's Company Name)."""
        linked = [lk.key for lk in (await self.gw.issue(t.key, ["issuelinks"])).links if lk.project == self.project]
        out = [await self.gw.issue(k, ["summary", "status", "issuetype", "priority", "components", "issuelinks"])
               for k in linked]
        clauses = [f"issue in linkedIssues({t.key})"]
        names = [o.name for o in t.organizations] + ([customer] if customer.strip() else [])
        for name in dict.fromkeys(n.strip() for n in names if n.strip()):
            comps = {c.lower() for c in await self.components()}
            if name.lower() in comps:
                clauses.append(f"component = {jql_text(name)}")
            clauses.append(f"summary ~ {jql_text(name)}")
        jql = f"project = {self.project} AND statusCategory != Done AND issuetype != Epic AND ({' OR '.join(clauses)}) ORDER BY created DESC"
        return out + [c for c in await self.gw.search_tickets(jql, ["components"]) if c.key not in linked]

    async def _filed_meanwhile(self, d: CsDraft, known: Collection[str]) -> str | None:
        """A CS ticket for this SS ticket that the agent did not see listed: linked now, or just filed."""
        for lk in (await self.gw.issue(d.ss_key, ["issuelinks"])).links:
            if lk.project == self.project and lk.key not in known:
                return lk.key
        hits = await self.gw.search(f"project = {d.project} AND summary ~ {jql_text(d.summary)} AND created >= -15m",
                                    ["summary"], page_size=5)
        ss_project = d.ss_key.rsplit("-", 1)[0]
        for h in hits:
            key = str(h.get("key"))
            if key in known:
                continue
            # Another request with the same summary (a channel partner's second request) has its own CS
            # ticket: one linked to another ticket of the desk is that ticket's, not this one's.
            links = (await self.gw.issue(key, ["issuelinks"])).links
            if not any(lk.project == ss_project and lk.key != d.ss_key for lk in links):
                return key
        return None

    async def person(self, ref: str) -> Person | None:
        if not ref:
            return None
        people = await self.gw.find_users(ref)
        low = ref.lower()
        exact = [p for p in people if low in (p.id.lower(), p.name.lower(), p.email.lower())]
        found = exact or people
        return found[0] if found else None

    async def fields(self, d: CsDraft, unset: list[str] | None = None) -> dict[str, Any]:
        """The create request's fields; a person the draft names whom Jira does not find is named in `unset`."""
        fm = self.gw.fields
        epics = await self.epics()
        epic_key = epics.get(d.epic)
        if epic_key is None:
            raise BadRequestError(f"Epic '{d.epic}' is not in the {self.project} project")
        f: dict[str, Any] = {
            "project": {"key": d.project}, "issuetype": {"name": d.issue_type}, "summary": d.summary,
            "description": d.description, "components": [{"name": d.component}], "priority": {"name": d.priority},
            "duedate": field_value(d.dates.due, "date", self.cal),
        }
        f.update(epic_field(self.gw, epic_key))
        for logical, moment in (("config_date", d.dates.config), ("qa_date", d.dates.qa)):
            fid = fm.get(logical)
            if fid:
                f[fid] = field_value(moment, fm.date_kind(fid), self.cal)
        missing = unset if unset is not None else []
        assignee = await self.person(d.assignee)
        if assignee:
            f["assignee"] = self.gw.user_ref(assignee)
        elif d.assignee.strip():
            missing.append(f"assignee '{d.assignee}' (not found in Jira)")
        qa = await self.person(d.qa_assignee)
        qa_id = fm.get("qa_assignee")
        if qa and qa_id:
            f[qa_id] = self.gw.user_ref(qa)
        elif d.qa_assignee.strip():
            missing.append(f"QA assignee '{d.qa_assignee}' " + ("(not found in Jira)" if qa_id else "(this site has no QA assignee field)"))
        return f

    def note(self, d: CsDraft, cs_key: str) -> str:
        cal = self.cal
        return (f"Created {cs_key} for the configuration team: {d.summary}\n"
                f"Due {cal.due_date(d.dates.due)}, configuration {cal.due_date(d.dates.config)}, "
                f"QA {cal.due_date(d.dates.qa)} ({d.dates.rule}).")

    async def create(self, d: CsDraft, outcome: CsOutcome | None = None, known: Collection[str] = ()) -> CsOutcome:
        """Run the remaining steps; never raises a JiraError (it is in the outcome). `known`: the CS
        tickets the agent saw already filed (and chose to file a new one anyway)."""
        out = outcome or CsOutcome(d.ss_key, attached=not d.attachments)  # nothing to copy: nothing owed
        out.error = None
        try:
            if out.cs_key is None:
                problems = d.problems()
                if problems:
                    raise BadRequestError("; ".join(problems))
                out.unset = []
                fields = await self.fields(d, out.unset)
                found: list[str] = []

                async def filed() -> bool:
                    hit = await self._filed_meanwhile(d, known)
                    found[:] = [hit] if hit else []
                    return hit is not None

                async def make() -> None:
                    out.cs_key = await self.gw.create_issue(
                        fields, find_jql=f"project = {d.project} AND summary ~ {jql_text(d.summary)} AND created >= -15m")
                    out.created = True
                    out.steps.append(f"created {out.cs_key}")
                    await self._link(out, d)

                claimed = await self.claims.once(d.ss_key, f"cs@{d.ss_key}", filed, make)
                if claimed.outcome == Outcome.BUSY:
                    raise StepBusy(f"{claimed.by or 'another agent'} is filing the CS ticket for {d.ss_key} right now")
                if claimed.outcome == Outcome.ALREADY:
                    out.cs_key, out.reused, out.meanwhile = found[0], True, True
                    out.linked = out.attached = out.commented = True
                    return out
            await self._link(out, d)
            await self._attach(out, d)
            await self._finish(out, self.note(d, out.cs_key or ""))
        except JiraError as exc:
            out.error = exc
        return out

    async def link_existing(self, ss_key: str, cs_key: str, outcome: CsOutcome | None = None) -> CsOutcome:
        out = outcome or CsOutcome(ss_key, cs_key=cs_key, reused=True, attached=True)
        out.error = None
        try:
            await self._finish(out, f"Linked the existing configuration ticket {cs_key} instead of filing a new one.")
        except JiraError as exc:
            out.error = exc
        return out

    async def link_choice(self) -> LinkChoice | None:
        """The site's default relationship: "relates to" where it has one, else its first type."""
        return default_choice(choices(await self.gw.link_types()))

    async def _link(self, out: CsOutcome, d: CsDraft | None = None) -> None:
        """The CS ticket linked as the form chose (cs-ticket-creation.txt's Linked Issues: the
        relationship and the Issue), and to the SS ticket where the chosen Issue is another one (the
        SS ticket finds its CS ticket by that link). A link a colleague already made between the
        two, of another type or direction, is left as it is and named in the outcome."""
        assert out.cs_key is not None
        if out.linked:
            return
        chosen = d.link if d is not None and d.link is not None else await self.link_choice()
        target = (d.link_to.strip() if d is not None else "") or out.ss_key
        if chosen is None:
            out.steps.append(f"not linked: this site offers no issue link types ({out.ss_key}'s note names {out.cs_key})")
            out.link_said.append(out.steps[-1])
        else:
            await self._link_one(out, out.cs_key, chosen, target)
            if target != out.ss_key:
                ss_choice = await self.link_choice()
                if ss_choice is not None:
                    await self._link_one(out, out.cs_key, ss_choice, out.ss_key)
        out.linked = True

    async def _link_one(self, out: CsOutcome, cs_key: str, chosen: LinkChoice, target: str) -> None:
        there = [lk for lk in (await self.gw.issue(cs_key, ["issuelinks"])).links if lk.key == target]
        wanted = chosen.type.name.lower()
        if any(lk.link_type.lower() == wanted and (chosen.type.symmetric or lk.relation.lower() == chosen.words.lower())
               for lk in there):
            out.steps.append(chosen.says(target).replace("this CS ticket", cs_key) + " (already)")
        elif there:
            out.steps.append(f"{cs_key} already {there[0].relation} {target} (a colleague's link, left as it is)")
        else:
            await self.gw.link(chosen.type, *chosen.ends(cs_key, target))
            out.steps.append("linked: " + chosen.says(target).replace("this CS ticket", cs_key))
        out.link_said.append(out.steps[-1].removeprefix("linked: "))

    async def _attach(self, out: CsOutcome, d: CsDraft) -> None:
        """The customer's files from the SS ticket onto the CS ticket; one already there (same name and
        size) is left alone, so a second run, or a resumed one, sends nothing twice."""
        assert out.cs_key is not None
        if out.attached:
            return
        if d.attachments:
            there = {(a.filename, a.size) for a in await self.gw.attachment_list(out.cs_key)}
            for a in d.attachments:
                if (a.filename, a.size) in there:
                    continue
                data = await self.gw.download(a)
                await self.gw.attach(out.cs_key, a.filename, data, a.mime_type or "application/octet-stream")
                there.add((a.filename, len(data)))
                out.steps.append(f"attached {a.filename}")
        out.attached = True

    async def _finish(self, out: CsOutcome, note: str) -> None:
        assert out.cs_key is not None
        await self._link(out)
        if not out.commented:
            marker = f"cs-note/{out.cs_key}@{out.ss_key}"

            async def noted() -> bool:
                return any(c.marker == marker for c in await self.gw.step_comments(out.ss_key))

            claimed = await self.claims.once(out.ss_key, marker, noted, lambda: self.gw.add_comment(
                out.ss_key, note, public=False, marker=marker))
            if claimed.outcome == Outcome.BUSY:
                raise StepBusy(f"{claimed.by or 'another agent'} is noting {out.cs_key} on {out.ss_key} right now")
            out.commented = True
            out.steps.append(f"internal note on {out.ss_key}")


def with_cs_link(t: Ticket, cs_key: str, summary: str, chosen: LinkChoice | None = None) -> Ticket:
    """The SS ticket as it is once linked, for the row to show the CS key at once (the SS ticket's
    side of the chosen link: the other end's words)."""
    from dataclasses import replace

    if any(lk.key == cs_key for lk in t.links):
        return t
    words = (chosen.type.inward if chosen.cs_is_source else chosen.type.outward) if chosen else "relates to"
    link = LinkedIssue(cs_key, words, summary, "To Do", "new", "Task", "", chosen.type.name if chosen else "Relates")
    return replace(t, links=(*t.links, link))
