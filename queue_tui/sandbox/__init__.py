"""A loopback simulator of the Jira Cloud / Data Center and JSM REST APIs.

It imports nothing from the rest of the app: it must not share the SLA or due-date maths it is
there to check. `start_sandbox` is what tests, `--demo` and `queue-tui sandbox` call.
"""

from __future__ import annotations

from queue_tui.sandbox.auth import Credentials
from queue_tui.sandbox.clock import Clock, ManualClock
from queue_tui.sandbox.faults import Faults
from queue_tui.sandbox.journal import Journal
from queue_tui.sandbox.seed import seed_scale, seed_world
from queue_tui.sandbox.server import Sandbox
from queue_tui.sandbox.state import World
from queue_tui.sandbox.team import LiveActivity, OtherTeams, actions

__all__ = ["Clock", "Credentials", "Faults", "Journal", "LiveActivity", "ManualClock", "OtherTeams", "Sandbox", "World",
           "start_sandbox"]


def start_sandbox(mode: str = "cloud", seed: int = 7, clock: Clock | None = None, tickets: int | None = None,
                  port: int = 0, credentials: Credentials | None = None, *, request_type_names: str = "sop",
                  priority_automation: str | None = "High") -> Sandbox:
    """Build a seeded world (or N synthetic tickets) and serve it on 127.0.0.1.

    `request_type_names="site"` gives the desk another site's request types (other names and
    ids than the SOP's nine); `priority_automation` is the Priority the team's automation sets
    on priority installers' tickets (a new name joins the site's priority scheme; None: no rule).
    """
    if mode not in ("cloud", "dc"):
        raise ValueError("mode must be 'cloud' or 'dc'")
    world = World(clock or Clock(), mode)
    if tickets is None:
        seed_world(world, seed, request_type_names=request_type_names, priority_automation=priority_automation)
    else:
        seed_scale(world, tickets, seed, request_type_names=request_type_names, priority_automation=priority_automation)
    sb = Sandbox(world, credentials or Credentials(mode), port=port)
    sb.team_actions = actions(world)
    return sb.start()
