"""What `search/jql` sees: Jira Cloud's search index, eventually consistent with the issues.

With `World.search_lag` = 0 (the default) search sees every issue as it is. With a lag, an
issue created or changed (its `updated` moved) less than `search_lag` seconds ago (world
clock) is seen as it was when search last caught up with it (a new one not at all), unless
its id is in the request's `reconcileIssues`, Jira's read-after-write: those are read as they
are now. At most 50 ids, as the platform spec says.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from queue_tui.sandbox.errors import ApiError
from queue_tui.sandbox.state import Issue, World

MAX_RECONCILE = 50


def reconcile_ids(raw: Any) -> set[str]:
    """`reconcileIssues` from a POST body (a list of numbers) or GET parameters (repeated or comma-separated)."""
    if raw is None or raw == "" or raw == []:
        return set()
    items = raw if isinstance(raw, list) else [raw]
    out: set[str] = set()
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise ApiError(400, [f"reconcileIssues must hold issue ids (numbers), not '{part}'."])
            out.add(part)
    if len(out) > MAX_RECONCILE:
        raise ApiError(400, [f"reconcileIssues accepts at most {MAX_RECONCILE} issue ids."])
    return out


def visible(w: World, reconcile: set[str]) -> list[Issue]:
    """The issues as search sees them now."""
    if w.search_lag <= 0:
        return list(w.issues.values())
    settled_before = w.clock.now() - timedelta(seconds=w.search_lag)
    out: list[Issue] = []
    for key, live in w.issues.items():
        if live.id in reconcile:
            w.search_index[key] = copy.deepcopy(live)
            out.append(live)
            continue
        seen = w.search_index.get(key)
        if (seen is None or seen.updated != live.updated) and live.updated <= settled_before:
            seen = w.search_index[key] = copy.deepcopy(live)
        if seen is not None:
            out.append(seen)
    return out
