"""The support team's Jira automation rules, run by the simulator after an edit as Jira would.

- Priority installer: once the Organizations field holds an organization of the site's own
  priority installer list (`World.priority_installers`, seeded; never the app's config), the
  ticket's Priority is set to `World.priority_automation` (e.g. "High", "Highest" or a
  site's own "P1 - Priority Installer"); None switches the rule off. It runs on edits that
  set Organizations and on tickets created with one (a portal or e-mail request).
- Needs Configuration: setting "Needs Configuration?" on a service desk ticket creates a CS
  ticket linked to it (High for a priority installer, the organization as component), unless
  one is linked already.

Jira runs automation asynchronously ("you may need to refresh the ticket to see priority
change"): with `World.automation_delay` > 0 a rule runs that many seconds (world clock) after
the edit, when the next request arrives; with 0 it runs within the edit's own request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from queue_tui.sandbox import history
from queue_tui.sandbox.state import CF_NEEDS_CONFIG, CF_ORGANIZATIONS, Issue, World

_CS_TYPES = {"Integrated Finance": "Int Fin", "Configured Finance": "Config Finance", "Document": "Doc",
             "Onboarding": "Onboarding"}


def after_edit(w: World, i: Issue, changed: set[str]) -> None:
    """Run (or schedule) every rule whose trigger field is among `changed` (field ids of the edit)."""
    if CF_ORGANIZATIONS in changed:
        _schedule(w, lambda: priority_installer(w, i))
    if CF_NEEDS_CONFIG in changed:
        _schedule(w, lambda: needs_config(w, i))


def after_create(w: World, i: Issue) -> None:
    if i.organizations:
        _schedule(w, lambda: priority_installer(w, i))


def _schedule(w: World, rule: Callable[[], object]) -> None:
    if w.automation_delay <= 0:
        rule()
    else:
        w.pending.append((w.clock.now() + timedelta(seconds=w.automation_delay), rule))


def run_due(w: World) -> int:
    """Run the delayed rules whose time has come; returns how many ran. Call with the world locked."""
    if not w.pending:
        return 0
    now = w.clock.now()
    due = [rule for when, rule in w.pending if when <= now]
    w.pending = [(when, rule) for when, rule in w.pending if when > now]
    for rule in due:
        rule()
    return len(due)


def priority_installer(w: World, i: Issue) -> bool:
    """Set the automation's Priority on a priority installer's ticket; True when it changed."""
    name = w.priority_automation
    if not name or i.priority == name or not any(o in w.priority_installers for o in i.organizations):
        return False
    before = history.snapshot(w, i)
    i.priority = name
    if i.key in w.issues:  # a ticket being created records no history
        i.updated = w.clock.now()
        history.record(w, before, i, history.AUTOMATION, i.updated)
    return True


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
