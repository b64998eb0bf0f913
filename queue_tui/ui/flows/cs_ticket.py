"""Create the CS ticket (`c`, or a playbook's create step), as cs-ticket-creation.txt asks.

From the queue the ticket is read in full and a playbook with its own CS step (the channel partner
request) gives its rules. CS tickets already filed come first (every one linked to the ticket, and
open ones for the same customer: link one instead), then the filled-in form,
then the ticket is created, linked and noted on the SS ticket. When a part failed the agent sees
what exists and what does not, and may finish the remaining steps without creating a second one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from queue_tui.core.cs_ticket import CsDraft, draft, form_description
from queue_tui.core.link_types import choices as link_choices
from queue_tui.core.models import Ticket
from queue_tui.core.ops import CsRules
from queue_tui.service.cs_create import CsOutcome, with_cs_link
from queue_tui.service.errors import JiraError
from queue_tui.ui.errors import FlowError
from queue_tui.ui.flows import run, show
from queue_tui.ui.screens.cs_form import CsFormScreen, ExistingCsScreen
from queue_tui.ui.screens.modals import ConfirmScreen

if TYPE_CHECKING:
    from queue_tui.core.playbook import Playbook
    from queue_tui.ui.app import QueueApp


def create_cs(app: QueueApp, t: Ticket, playbook: Playbook | None = None, rules: CsRules | None = None) -> None:
    """A playbook's create step passes its own issue type, epic, priority, summary, description and due rule."""
    run(app, _create(app, t, playbook, rules or CsRules()), f"CS ticket for {t.key}", group="cs", exclusive=True)


async def _create(app: QueueApp, t: Ticket, playbook: Playbook | None, rules: CsRules) -> None:
    s = app.services
    creator, cfg = s.cs_creator(), s.config
    try:
        if playbook is None:  # from the queue: the ticket in full, and the rules of the SOP it falls under
            t, playbook, rules = await _rules_of(app, t)
        existing = await creator.existing(t, rules.customer)
        components = await creator.components()
        epics = await creator.epics()
        link_types = tuple(await s.gateway.link_types())
    except JiraError as exc:
        raise FlowError(f"Cannot prepare the CS ticket: {exc.short()}") from exc
    looked = " or ".join(dict.fromkeys([o.name for o in t.organizations] + ([rules.customer] if rules.customer else [])))
    checked = f"{len(existing)} seen first" if existing else "none"
    checked += f": linked to {t.key}" + (f", or open for {looked}" if looked else "")
    if existing:
        choice = await app.push_screen_wait(ExistingCsScreen(t.key, existing))
        if choice is None:
            return
        if choice != "new":
            await _finish(app, t, await creator.link_existing(t.key, choice), None)
            return
    d = draft(t, now=app.clock(), cal=creator.cal, components=components, priority_rule=cfg.priority_rule(),
              roster=cfg.roster, browse_url=s.browse_url(t.key), rules=cfg.due_rules(), project=cfg.cs.project,
              playbook_rule=rules.due or (playbook.due_rule if playbook else None), issue_type=rules.issue_type or None,
              epic=rules.epic or None, summary=t.summary if rules.summary_from_ticket else None,
              description=form_description(t) if rules.description_from_form else None,
              customer=rules.customer or None, priority=rules.priority or None, link_types=link_types,
              qa=rules.qa or None)
    edited = await app.push_screen_wait(CsFormScreen(d, creator.cal, components, list(epics), rules.assignee_sop,
                                                     link_choices(link_types), checked))
    if edited is None:
        return
    app.notify(f"Creating the CS ticket for {t.key}…", timeout=3)
    await _finish(app, t, await creator.create(edited, known=[c.key for c in existing]), edited)


async def _rules_of(app: QueueApp, row: Ticket) -> tuple[Ticket, Playbook | None, CsRules]:
    """The full ticket (the queue row has no description) and, when a playbook with its own CS step
    matches it (channel partner: High, the SS title, 3/2/3 business days), that playbook and its rules."""
    from queue_tui.core.plan_steps import cs_rules
    from queue_tui.core.playbook import choose

    full = await app.services.gateway.issue(row.key)
    hit = choose(app.services.playbooks, full)
    spec = hit[0].cs_step() if hit else None
    if hit is None or spec is None:
        return full, None, CsRules()
    return full, hit[0], cs_rules(spec, full)


async def _finish(app: QueueApp, t: Ticket, outcome: CsOutcome, d: CsDraft | None) -> None:
    creator = app.services.cs_creator()
    while True:
        if outcome.cs_key and outcome.linked:
            t = with_cs_link(t, outcome.cs_key, d.summary if d else "", d.link if d and d.link_to == t.key else None)
        show(app, t)  # the SS row shows its CS ticket; the SOP panel reads the ticket again
        if outcome.complete:
            app.services.last_cs = outcome
            app.notify(outcome.summary(), title="CS ticket", timeout=8, markup=False)
            return
        app.notify(outcome.summary(), title="CS ticket incomplete", severity="error", timeout=15, markup=False)
        retry = await app.push_screen_wait(ConfirmScreen(Text(outcome.summary() + "\n\nFinish the remaining steps now?"),
                                                         yes="Finish"))
        if not retry:
            app.services.last_cs = outcome
            return
        outcome = await (creator.create(d, outcome) if d is not None else
                         creator.link_existing(outcome.ss_key, outcome.cs_key or "", outcome))
