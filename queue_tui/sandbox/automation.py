"""The support team's Jira automation rules, run by the simulator after an edit as Jira would.

- Needs Configuration: setting "Needs Configuration?" on a service desk ticket creates a CS
  ticket linked to it (High for a priority installer, the organization as component), unless
  one is linked already.
"""

from __future__ import annotations

from queue_tui.sandbox.state import CF_NEEDS_CONFIG, Issue, World

_CS_TYPES = {"Integrated Finance": "Int Fin", "Configured Finance": "Config Finance", "Document": "Doc",
             "Onboarding": "Onboarding"}


def after_edit(w: World, i: Issue, changed: set[str]) -> None:
    """Run every rule whose trigger field is among `changed` (field ids of the edit)."""
    if CF_NEEDS_CONFIG in changed:
        needs_config(w, i)


def needs_config(w: World, i: Issue) -> Issue | None:
    """'Needs Configuration?' creates a linked CS ticket (High for priority installers)."""
    if not w.needs_config_automation or i.needs_config is None:
        return None
    if any(w.issues[k].project == "CS" for lk in w.links_of(i.key)
           for k in (lk.inward_key, lk.outward_key) if k != i.key and k in w.issues):
        return None
    now = w.clock.now()
    high = any(o in w.priority_installers for o in i.organizations)
    cs = Issue(w.next_id(), w.next_key("CS"), "CS", _CS_TYPES.get(i.needs_config, "Task"), i.summary, i.description,
               "To Do", "High" if high else "Medium", i.reporter, None, now, now,
               components=[w.organizations[o].name for o in i.organizations
                           if w.organizations[o].name in w.projects["CS"].components][:1] or ["other"])
    w.add_issue(cs)
    w.add_link("Relates", i.key, cs.key)
    return cs
