"""Planning a `set_field` step: assignee, reporter, organization, request type, label, channel,
Needs Configuration? and priority, each compared with what the ticket has now.

Never over a colleague: a value already there that someone else set (an assignee other than me,
a reporter, organization, request type, Needs Configuration? or priority set to something else)
is not replaced by apply-all; the step asks the agent to decide (`StepStatus.DECIDE`), naming
whose value it is when Jira says. A request type already set counts as met; the suggestion is
shown beside it. A value read from text (the suggested request type or channel) is a suggestion
(`StepStatus.SUGGESTED`) the agent confirms with one key. What the site stands in with for a
setting nobody made (its anonymous customer for a reporter role, its own request type for the
SOP's) is said with the change (`StepPlan.stand_in`), wherever the agent decides.
"""

from __future__ import annotations

from dataclasses import replace

from queue_tui.core import ops
from queue_tui.core.context import Context
from queue_tui.core.judgement import Channel
from queue_tui.core.playbook import SetFieldSpec, Step
from queue_tui.core.step_plan import StepPlan, StepStatus, replacing, resolve_person, stands_in
from queue_tui.core.ticket_cues import suggest_channel
from queue_tui.core.triage import suggest_request_type
from queue_tui.core.type_menu import desk_type_for

S = StepStatus


def plan_set_field(s: Step, spec: SetFieldSpec, c: Context) -> StepPlan:
    t = c.ticket
    match spec.field:
        case "assignee" | "reporter":
            return _person(s, spec, c)
        case "organization":
            return _organization(s, spec, c)
        case "request_type":
            return _request_type(s, spec, c)
        case "label":
            if spec.value in t.labels:
                return StepPlan(s, S.MET, ", ".join(t.labels))
            return StepPlan(s, S.TODO, ", ".join(t.labels) or "—", f"add label {spec.value}", ops.AddLabel(t.key, spec.value))
        case "channel":
            return _channel(s, spec, c)
        case "needs_config":
            want = spec.value
            options = c.field_options.get("needs_config")
            if options is not None:  # the site's own options: its spelling, or the agent's pick where it has none
                site = next((o for o in options if o.lower() == want.lower()), None)
                if site is None:
                    if t.needs_config in options:
                        return StepPlan(s, S.MET, f"{t.needs_config} (this site has no “{want}”)")
                    return StepPlan(s, S.BLOCKED, t.needs_config or "—", problem=(
                        f"this site's Needs Configuration? has no “{want}” (its options: {', '.join(options)}): "
                        "e to pick the one the SOP means"))
                want = site
            if t.needs_config == want:
                return StepPlan(s, S.MET, want)
            op = ops.SetNeedsConfig(t.key, want)
            change = f"Needs Configuration?: → {want}"
            if t.needs_config:
                return replacing(s, c, "needs_config", t.needs_config, change, op)
            return StepPlan(s, S.TODO, "—", change, op)
        case "priority":
            if t.priority == spec.value:
                return StepPlan(s, S.MET, spec.value)
            return replacing(s, c, "priority", t.priority, f"priority: → {spec.value}", ops.SetPriority(t.key, spec.value))


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
    op = ops.SetPerson(t.key, fld, person)
    # Said with the change, so the panel, the preview and x's confirm name it: the agent's choice, not a guess.
    note = f"the desk's anonymous customer; [roster] {spec.value} chooses another" if stands_in(spec.value, c) else ""
    change = f"{fld}: → {person.name}" + (f" ({note})" if note else "")
    if cur is None:
        return StepPlan(s, S.TODO, "—", change, op, stand_in=note)
    # An assignee is the colleague holding the ticket; a reporter is whoever Jira says set it.
    return replace(replacing(s, c, fld, cur.name, change, op, holder=cur if fld == "assignee" else None), stand_in=note)


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
    cur = ", ".join(o.name for o in t.organizations)
    if target is None:
        return StepPlan(s, S.BLOCKED, cur or "—", problem=why)
    if len(t.organizations) == 1 and t.organizations[0].name.lower() == target.lower():
        return StepPlan(s, S.MET, cur)
    oid = c.org_ids.get(target.lower())
    if oid is None:
        return StepPlan(s, S.BLOCKED, cur or "—", problem=f"organization '{target}' does not exist in Jira yet: add it "
                        "under Customers, then refresh")
    op = ops.SetOrganization(t.key, oid, target)
    change = f"organization: → {target}" + (f" ({why})" if why else "")
    if t.organizations:
        return replacing(s, c, "organization", cur, change, op)
    return StepPlan(s, S.TODO, "—", change, op)


def _request_type(s: Step, spec: SetFieldSpec, c: Context) -> StepPlan:
    t = c.ticket
    cur = t.request_type.name if t.request_type else None
    if spec.value == "suggested":
        sug = suggest_request_type(t, c.site_request_types, c.request_type_aliases)
        if cur:  # set already (by the customer's portal, the channel or a colleague): the agent's call
            other = "" if sug.name.lower() == cur.lower() else f"the text suggests {sug.name} ({sug.reason}); t to change it"
            return StepPlan(s, S.MET, cur, other)
        rid = c.request_types.get(sug.name.lower())
        if rid is None:
            return StepPlan(s, S.BLOCKED, "—", problem=f"request type '{sug.name}' does not exist on this service desk: t to pick")
        return StepPlan(s, S.SUGGESTED, "—", f"suggested: {sug.name} ({sug.reason}); g to set it, t to pick another",
                        ops.SetRequestType(t.key, rid, sug.name))
    value, note = spec.value, ""
    if c.site_request_types:  # the SOP's name: the desk's own type for it (same name, alias, or what it reads like)
        found = desk_type_for(value, c.site_request_types, c.request_type_aliases, c.config_where)
        if found.type is None:
            return StepPlan(s, S.BLOCKED, cur or "—", problem=found.problem)
        value, note = found.type.name, f"{found.how}; an alias under [request_type_aliases] makes it sure" if found.how else ""
    if cur and cur.lower() == value.lower():
        return StepPlan(s, S.MET, cur)
    rid = c.request_types.get(value.lower())
    if rid is None:
        return StepPlan(s, S.BLOCKED, cur or "—", problem=f"request type '{value}' does not exist on this service desk")
    op = ops.SetRequestType(t.key, rid, value)
    change = f"request type: → {value}" + (f" ({note})" if note else "")
    if cur:
        return replace(replacing(s, c, "request_type", cur, change, op), stand_in=note)
    return StepPlan(s, S.TODO, "—", change, op, stand_in=note)


def _channel(s: Step, spec: SetFieldSpec, c: Context) -> StepPlan:
    t = c.ticket
    if t.channel:
        return StepPlan(s, S.MET, ", ".join(t.channel))
    if spec.value != "suggested":
        return StepPlan(s, S.TODO, "—", f"channel: → {spec.value}", ops.SetChannel(t.key, (spec.value,)))
    j = suggest_channel(t, c.source)
    if j.verdict == Channel.UNKNOWN:
        return StepPlan(s, S.BLOCKED, "—", problem=f"{j.reason}: press e (phone, email, chat, or several)", evidence=j)
    return StepPlan(s, S.SUGGESTED, "—", f"suggested: {j.verdict} ({j.reason}); g to set it, e to pick (several if you "
                    "used more than one)", ops.SetChannel(t.key, (str(j.verdict),)), evidence=j)
