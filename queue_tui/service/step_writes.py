"""Make one typed playbook operation happen in Jira, dispatching on its type.

Field edits, watchers, participants and transitions are idempotent (sending one twice leaves the
same ticket), and the gateway checks a lost answer before repeating anything. A comment or a link
would repeat itself: those go through `Claims.once`, which asks Jira itself (the comment's step
marker, the link) on the ticket they target before sending, under a claim two agents cannot both
win. Every write lands in the audit log through the gateway.
"""

from __future__ import annotations

from typing import assert_never

from queue_tui.core import ops
from queue_tui.service.claims import Claimed, Claims, Outcome, StepBusy
from queue_tui.service.cs_fields_io import CsFieldsIO
from queue_tui.service.errors import JiraError
from queue_tui.service.gateway import Gateway


class StepWriter:
    def __init__(self, gateway: Gateway, claims: Claims, cs_io: CsFieldsIO | None = None) -> None:
        self.gw = gateway
        self.claims = claims
        self.cs_io = cs_io

    async def do(self, op: ops.Op) -> Claimed:
        """Make the change; `Outcome.ALREADY` when Jira showed it done. Raises StepBusy when another
        agent is making the same step right now, JiraError when Jira refused."""
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
            case ops.ChangeChannels():
                fid = _need(fm.get("channel"), "Channel")
                detail = "channel " + " ".join([f"+ {v}" for v in op.add] + [f"− {v}" for v in op.remove])
                if op.merged:  # the site's field takes no add/remove: the whole field, read just before
                    await gw.edit(op.key, fields={fid: [{"value": v} for v in op.merged]}, detail=detail)
                else:  # Jira merges: a value a colleague sets at the same moment stays
                    await gw.edit(op.key, update={fid: [{"add": {"value": v}} for v in op.add]
                                                  + [{"remove": {"value": v}} for v in op.remove]}, detail=detail)
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
                for p in op.to_add():
                    await gw.add_watcher(op.key, p)
                await gw.remove_participants(op.key, list(op.people))
            case ops.RemoveParticipants():
                await gw.remove_participants(op.key, list(op.people))
            case ops.PostComment():
                return _settled(await self.claims.once(op.key, op.marker, lambda: self._posted(op), lambda: gw.add_comment(
                    op.key, op.body, public=op.public, service_desk=False, marker=op.marker)))
            case ops.Transition():
                await gw.transition(op.key, op.to, op.resolution)
            case ops.TransitionMany():
                for k in op.keys:
                    await gw.transition(k, op.to, op.resolution)
            case ops.Link():
                return _settled(await self.claims.once(op.key, op.marker, lambda: self._linked(op), lambda: self._link(op)))
            case ops.CreateCs():
                raise JiraError("the CS ticket is created through its form (c), not applied here")
            case ops.UpdateCs():
                if self.cs_io is None:
                    raise JiraError("the CS rules (calendar, due rules) were not given to the playbook runner")
                await self.cs_io.write(op)
            case _:
                assert_never(op)
        return Claimed(Outcome.WROTE)

    async def _posted(self, op: ops.PostComment) -> bool:
        """Jira shows the step's comment on its ticket: by its marker, or (a site that drops comment
        properties, or a comment someone posted by hand) by the same text."""
        return any(c.marker == op.marker or c.says(op.body) for c in await self.gw.step_comments(op.key))

    async def _linked(self, op: ops.Link) -> bool:
        t = await self.gw.issue(op.key, ["issuelinks"])
        return all(any(lk.key == k for lk in t.links) for k in op.others)

    async def _link(self, op: ops.Link) -> None:
        for k in op.others:
            await self.gw.link(op.link_type, op.key, k)


def _settled(c: Claimed) -> Claimed:
    if c.outcome == Outcome.BUSY:
        raise StepBusy(f"{c.by or 'another agent'} is applying this step right now; it will show as done")
    return c


def _need(fid: str | None, name: str) -> str:
    if not fid:
        raise JiraError(f"the '{name}' field was not found on this Jira (set its id under [fields] in the config)")
    return fid


