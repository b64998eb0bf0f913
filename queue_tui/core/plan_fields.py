"""Planning a `set_field` step: assignee, reporter, organization, request type, label, channel,
Needs Configuration? and priority, each compared with what the ticket has now.
"""

from __future__ import annotations

from queue_tui.core import ops
from queue_tui.core.context import Context
from queue_tui.core.playbook import SetFieldSpec, Step
from queue_tui.core.step_plan import StepPlan, StepStatus, resolve_person
from queue_tui.core.triage import suggest_request_type

S = StepStatus


def plan_set_field(s: Step, spec: SetFieldSpec, c: Context) -> StepPlan:
    match spec.field:
        case "assignee" | "reporter":
            return _person(s, spec, c)
        case "organization":
            return _organization(s, spec, c)
        case "request_type":
            return _request_type(s, spec, c)
        case "label":
            return _label(s, spec, c)
        case "channel":
            return _channel(s, spec, c)
        case "needs_config":
            t = c.ticket
            if t.needs_config == spec.value:
                return StepPlan(s, S.MET, spec.value)
            return StepPlan(s, S.TODO, t.needs_config or "—", f"Needs Configuration?: → {spec.value}",
                            ops.SetNeedsConfig(t.key, spec.value))
        case "priority":
            t = c.ticket
            if t.priority == spec.value:
                return StepPlan(s, S.MET, spec.value)
            return StepPlan(s, S.TODO, t.priority, f"priority: → {spec.value}", ops.SetPriority(t.key, spec.value))


def _person(s: Step, spec: SetFieldSpec, c: Context) -> StepPlan:
    t = c.ticket
    fld: ops.PersonField = "assignee" if spec.field == "assignee" else "reporter"
    cur = t.assignee if fld == "assignee" else t.reporter
    if spec.value == "customer":
        ok = cur is not None and not c.is_staff(cur)
        return StepPlan(s, S.MET if ok else S.TODO, cur.name if cur else "—",
                        "" if ok else "set the customer as reporter (a staff address is there, e.g. a forwarded message)",
                        problem="" if ok else "pick the customer: press e")
    person, why = resolve_person(spec.value, c)
    if person is None:
        return StepPlan(s, S.BLOCKED, cur.name if cur else "—", problem=why)
    if cur is not None and cur.id == person.id:
        return StepPlan(s, S.MET, cur.name)
    return StepPlan(s, S.TODO, cur.name if cur else "—", f"{fld}: → {person.name}", ops.SetPerson(t.key, fld, person))


def _org_target(value: str, c: Context) -> tuple[str | None, str]:
    if value == "channel_manager":
        cur = c.ticket_org()
        if cur and cur.lower() in c.channel_managers:
            return c.channel_managers[cur.lower()], f"{cur} is a channel partner: use the channel manager's organization"
        return cur, "" if cur else "no organization on the ticket: search and pick one (e)"
    if value.startswith("form:"):
        found = c.form_value(value[5:])
        return found, "" if found else f"the form in the ticket has no '{value[5:]}'"
    return value, ""


def _organization(s: Step, spec: SetFieldSpec, c: Context) -> StepPlan:
    t = c.ticket
    target, why = _org_target(spec.value, c)
    cur = c.ticket_org()
    if target is None:
        return StepPlan(s, S.BLOCKED, cur or "—", problem=why)
    if cur and cur.lower() == target.lower() and len(t.organizations) == 1:
        return StepPlan(s, S.MET, cur)
    oid = c.org_ids.get(target.lower())
    if oid is None:
        return StepPlan(s, S.BLOCKED, cur or "—", problem=f"organization '{target}' does not exist in Jira yet: add it "
                        "under Customers, then refresh")
    return StepPlan(s, S.TODO, cur or "—", f"organization: → {target}" + (f" ({why})" if why else ""),
                    ops.SetOrganization(t.key, oid, target))


def _request_type(s: Step, spec: SetFieldSpec, c: Context) -> StepPlan:
    t = c.ticket
    cur = t.request_type.name if t.request_type else None
    value = spec.value
    if value == "suggested":
        value = suggest_request_type(t, c.site_request_types, c.request_type_aliases).name
    if cur and cur.lower() == value.lower():
        return StepPlan(s, S.MET, cur)
    rid = c.request_types.get(value.lower())
    if rid is None:
        return StepPlan(s, S.BLOCKED, cur or "—", problem=f"request type '{value}' does not exist on this service desk")
    return StepPlan(s, S.TODO, cur or "—", f"request type: → {value}", ops.SetRequestType(t.key, rid, value))


def _label(s: Step, spec: SetFieldSpec, c: Context) -> StepPlan:
    t = c.ticket
    if spec.value in t.labels:
        return StepPlan(s, S.MET, ", ".join(t.labels))
    return StepPlan(s, S.TODO, ", ".join(t.labels) or "—", f"add label {spec.value}", ops.AddLabel(t.key, spec.value))


def _channel(s: Step, spec: SetFieldSpec, c: Context) -> StepPlan:
    t = c.ticket
    if t.channel:
        return StepPlan(s, S.MET, ", ".join(t.channel))
    return StepPlan(s, S.TODO, "—", f"channel: → {spec.value} (add phone/chat if you used them too)",
                    ops.SetChannel(t.key, (spec.value,)))
