"""When the configuration team has put the CS ticket on hold (everbright-partner-onboarding.txt, step 4).

"When complete (but not pushed live) - the config team will place their ticket on hold - and the SS
ticket will be moved to 'waiting on support'." A site's CS workflow names its statuses its own way
("On Hold", "Paused", "Blocked"), so the wait reads two signals, the first that can be read:

1. the CS ticket is in a status the site calls on hold: by its name ("On Hold", "on-hold"), or the
   status the agent picked as this site's on hold (`e` at the wait step, kept as its choice);
2. else the SS ticket was moved to waiting on support after the CS ticket was filed (its status
   change in Jira's changelog), the SOP's own second signal.

Pure: reads a `Context`.
"""

from __future__ import annotations

import re

from queue_tui.core.context import Context

HOLD = "hold:"  # prefix of the agent's pick of the CS status that means on hold, kept as the wait step's choice
WAITING_ON_SUPPORT = ("waiting on support", "waiting for support")  # the SOP's words, and JSM's own status
_ON_HOLD = re.compile(r"\bon[\s_-]*hold\b", re.IGNORECASE)


def picked(c: Context) -> tuple[str, str] | None:
    """(status, who picked it) the agent picked as the site's on-hold status of the CS ticket, if any."""
    for p in c.progress.values():
        if p.state == "chosen" and p.evidence.startswith(HOLD):
            return p.evidence.removeprefix(HOLD), p.by or "?"
    return None


def named_on_hold(status: str) -> bool:
    return bool(_ON_HOLD.search(status))


def hold_signal(c: Context) -> str | None:
    """What shows the CS ticket is on hold, in words for the agent; None while nothing does."""
    if c.cs is None:
        return None
    cs, t = c.cs, c.ticket
    pick = picked(c)
    if pick is not None and cs.status.lower() == pick[0].lower():
        return f"{cs.key} is {cs.status} (the status picked as on hold by {pick[1]})"
    if named_on_hold(cs.status):
        return f"{cs.key} is {cs.status}"
    moved = (c.history or {}).get("status")
    if (moved is not None and t.status.lower() in WAITING_ON_SUPPORT and moved.value.lower() == t.status.lower()
            and moved.at >= cs.created):
        who = f" by {moved.by.name}" if moved.by is not None else ""
        return (f"{t.key} moved to {t.status}{who} on {moved.at:%Y-%m-%d %H:%M}, after {cs.key} was filed "
                f"(the SOP's second signal; {cs.key} is {cs.status})")
    return None


def statuses(c: Context) -> tuple[str, ...]:
    """The CS ticket's statuses the agent can pick from: where it stands and where the site lets it go."""
    if c.cs is None:
        return ()
    found = [c.cs.status, *(to for _, to in c.transitions.get(c.cs.key, ()))]
    return tuple(dict.fromkeys(s for s in found if s))


def unreadable(c: Context) -> bool:
    """Neither signal can be read: no CS status named on hold (where it stands or can go) and no changelog."""
    return c.history is None and not any(named_on_hold(s) for s in statuses(c)) and picked(c) is None
