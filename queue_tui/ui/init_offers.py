"""`queue-tui init`: what the chosen service desk offers, put into the form with the existing
config's choices kept: its queues, the organizations and Priority names for priority service, the
aliases for request types that read like an SOP's, and for each role the people who fit it."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import Select, SelectionList, Static

from queue_tui.config import Config
from queue_tui.core.roles import ROLES, offer, roster_ref
from queue_tui.service.setup_discovery import DeskFacts, SiteFacts


def show_desk(app: App[Any], site: SiteFacts, facts: DeskFacts, existing: Config) -> None:
    """Every offer of the desk in its field of the form (init_form.py), preselected as before."""
    e = existing
    ql = app.query_one("#queues", SelectionList)
    ql.clear_options()
    for q in facts.queues:
        ql.add_option((q.name, q.name, q.name in e.desk.queues))
    chosen_orgs = {o.lower() for o in (e.monitor.priority_installers or facts.priority_orgs)}
    inst = app.query_one("#installers", SelectionList)
    inst.clear_options()
    for o in site.organizations:
        inst.add_option((o.name, o.name, o.name.lower() in chosen_orgs))
    configured = "priority_names" in e.monitor.model_fields_set
    chosen_names = {n.lower() for n in (e.monitor.priority_names if configured else facts.priority_names)}
    pn = app.query_one("#priority-names", SelectionList)
    pn.clear_options()
    for p in site.priorities:
        pn.add_option((p, p, p.lower() in chosen_names))
    why = "as in your config" if configured else facts.priority_names_why
    app.query_one("#priority-why", Static).update(f"Preselected: {why}." if why else "")
    al = app.query_one("#aliases", SelectionList)
    al.clear_options()
    for desk_type, sop in facts.alias_offers(e.request_type_aliases):
        al.add_option((f"{desk_type} → {sop}", f"{desk_type}\t{sop}", True))
    kept = len(facts.request_types) - al.option_count
    app.query_one("#types-note", Static).update(
        f"{kept} of the desk's {len(facts.request_types)} request types need no alias (same name as the SOP's, "
        "already mapped, or like none of the nine)." + (" Could not read: " + "; ".join(facts.problems)
                                                        if facts.problems else ""))
    offer_people(app, facts, e.roster)


def offer_people(app: App[Any], facts: DeskFacts, roster: dict[str, str]) -> None:
    """Each role's picker: the people the desk has (the anonymous customer too), the config's choice
    first when the site does not list it, preselected as configured (or Anonymous for its role)."""
    for role in ROLES:
        people = offer(role, facts.agents, [facts.anonymous] if facts.anonymous else [])
        refs = [(p.name + (f"  <{p.email}>" if p.email else ""), roster_ref(p, people)) for p in people]
        current = roster.get(role.name, "")
        if current and current not in (v for _, v in refs):
            refs.insert(0, (f"{current}  (from your config)", current))
        sel = app.query_one(f"#role-{role.name}", Select)
        sel.set_options(refs)
        sel.prompt = "not set"
        if current:
            sel.value = current
        elif role.name == "anonymous_reporter" and facts.anonymous is not None:
            sel.value = roster_ref(facts.anonymous, people)  # the SOP's "Reporter: Anonymous"
