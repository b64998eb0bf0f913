"""Read a CS ticket's configuration fields, and write the changes an `update_cs` step planned.

Reading: issue type, creation, epic (Cloud's `parent`, or Data Center's Epic Link field), the due
date, configuration and QA dates, QA assignee and links, in one request. Writing: one edit with
every field that changes (the epic by its key, dates in the form each field takes), then the link
to the SS ticket if it is missing, with the `c` form's default relationship (checked against Jira
before it is sent: a link of any type already between the two is left as it is).
Epics are read once per CS project (name <-> key); reading them and setting one serve the new CS
ticket of the `c` form too (`queue_tui.service.cs_create`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from queue_tui.core.calendar import BusinessCalendar
from queue_tui.core.cs_fields import CsFields
from queue_tui.core.due_rules import field_value
from queue_tui.core.link_types import choices, default_choice
from queue_tui.core.models import Person
from queue_tui.core.ops import UpdateCs
from queue_tui.service import parse
from queue_tui.service.errors import BadRequestError, UnavailableError
from queue_tui.service.gateway import Gateway


def _day(value: Any, cal: BusinessCalendar) -> date | None:
    """A date field's day: "2026-11-20", or a datetime read in the team's time zone."""
    if not isinstance(value, str) or not value:
        return None
    if len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    moment = parse.parse_time(value)
    return cal.due_date(moment) if moment is not None else None


async def read_epics(gw: Gateway, project: str) -> dict[str, str]:
    """The project's epics, name -> key (the `c` form names an epic; Jira sets it by its key)."""
    raw = await gw.search(f"project = {project} AND issuetype = Epic", ["summary"])
    return {str(r.get("fields", {}).get("summary")): str(r["key"]) for r in raw}


def epic_field(gw: Gateway, epic_key: str) -> dict[str, Any]:
    """The edit that puts a ticket under an epic: Cloud's `parent`, or Data Center's Epic Link field
    where the site has one (a Data Center site without it takes `parent` too)."""
    epic_link = gw.fields.get("epic_link")
    if gw.conn.cloud or not epic_link:
        return {"parent": {"key": epic_key}}
    return {epic_link: epic_key}


class CsFieldsIO:
    def __init__(self, gateway: Gateway, project: str, cal: BusinessCalendar) -> None:
        self.gw = gateway
        self.project = project
        self.cal = cal
        self._epics: dict[str, str] | None = None  # name -> key

    async def epics(self) -> dict[str, str]:
        if self._epics is None:
            self._epics = await read_epics(self.gw, self.project)
        return self._epics

    async def read(self, key: str) -> CsFields:
        fm = self.gw.fields
        ids = {k: fm.get(k) for k in ("epic_link", "config_date", "qa_date", "qa_assignee")}
        wanted = ["issuetype", "created", "duedate", "parent", "issuelinks", *[i for i in ids.values() if i]]
        raw = await self.gw.get(f"/rest/api/2/issue/{key}", {"fields": ",".join(wanted)})
        f = raw.get("fields") if isinstance(raw, dict) else None
        if not isinstance(f, dict):
            raise UnavailableError(f"Jira sent an unreadable issue for {key}")
        got = f.get("parent")
        parent: dict[str, Any] = got if isinstance(got, dict) else {}
        epic_key = str(parent.get("key") or "") or (str(f.get(ids["epic_link"] or "") or "") or None)
        epic = (parent.get("fields") or {}).get("summary") if parent else None
        if epic_key and not epic:
            epic = next((name for name, k in (await self.epics()).items() if k == epic_key), epic_key)
        qa = parse.person(f.get(ids["qa_assignee"] or "")) if ids["qa_assignee"] else None
        return CsFields(
            key=key, issue_type=str((f.get("issuetype") or {}).get("name") or ""),
            created=parse.parse_time(f.get("created")) or self.gw.clock(), epic=str(epic) if epic else None,
            epic_key=epic_key or None, due=_day(f.get("duedate"), self.cal),
            config_date=_day(f.get(ids["config_date"] or ""), self.cal) if ids["config_date"] else None,
            qa_date=_day(f.get(ids["qa_date"] or ""), self.cal) if ids["qa_date"] else None, qa_assignee=qa,
            linked_to=tuple(lk.key for lk in parse.linked_issues(f.get("issuelinks"))),
            has_config_date=bool(ids["config_date"]), has_qa_date=bool(ids["qa_date"]),
            has_qa_assignee=bool(ids["qa_assignee"]), link=default_choice(choices(await self.gw.link_types())))

    async def write(self, op: UpdateCs) -> None:
        fm = self.gw.fields
        fields: dict[str, Any] = {}
        link = False
        for ch in op.changes:
            v = ch.value
            match ch.field:
                case "issue_type":
                    fields["issuetype"] = {"name": str(v)}
                case "epic":
                    epic_key = (await self.epics()).get(str(v))
                    if epic_key is None:
                        raise BadRequestError(f"Epic '{v}' is not in the {self.project} project")
                    fields.update(epic_field(self.gw, epic_key))
                case "due" if isinstance(v, datetime):
                    fields["duedate"] = field_value(v, "date", self.cal)
                case "config_date" | "qa_date" if isinstance(v, datetime):
                    fid = fm.get(ch.field)
                    if fid:
                        fields[fid] = field_value(v, fm.date_kind(fid), self.cal)
                case "qa_assignee" if isinstance(v, Person):
                    fid = fm.get("qa_assignee")
                    if fid:
                        fields[fid] = self.gw.user_ref(v)
                case "link":
                    link = True
                case _:
                    raise BadRequestError(f"cannot write {ch.field} = {v!r} on {op.key}")
        if fields:
            await self.gw.edit(op.key, fields=fields,
                               detail="CS ticket up to the SOP: " + ", ".join(ch.field for ch in op.changes))
        if link:
            chosen = default_choice(choices(await self.gw.link_types()))
            there = (await self.gw.issue(op.key, ["issuelinks"])).links
            # A link a colleague made meanwhile, of any type, is the link the step asked for: not doubled.
            if chosen is not None and not any(lk.key == op.ss_key for lk in there):
                await self.gw.link(chosen.type, *chosen.ends(op.key, op.ss_key))
