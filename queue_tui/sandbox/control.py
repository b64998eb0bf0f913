"""The simulator's own control surface, `/__sim__/...`: no Jira has it, and it is not journalled.

For a simulator in another process (benchmarks, `queue-tui sandbox`):
- `GET /__sim__/stats`: request counts (total, by route), faults injected, early requests.
- `POST /__sim__/faults` `{"rates": {...}, "retry_after": s, "slow_seconds": s, ...}`: see `faults.py`.
- `POST /__sim__/clock` `{"advance": seconds}`: moves a `ManualClock`.
- `POST /__sim__/act` `{"action": name, ...}`: a team action (`team.actions`).
- `GET /__sim__/journal?method=POST&path_glob=...&since=N`: journal entries as JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from queue_tui.sandbox.render import date_dto

if TYPE_CHECKING:
    from queue_tui.sandbox.server import Sandbox


def control(sb: Sandbox, path: str, q: dict[str, str], body: dict[str, Any]) -> Any:
    """The answer to one control call; ValueError, TypeError or KeyError become a 400."""
    if path == "/__sim__/stats":
        with sb.world.lock:
            return {"requests": sb.rest_requests(), "by_route": dict(sb.route_counts),
                    "faults": dict(sb.faults.injected), "early_requests": sb.faults.early_requests,
                    "issues": len(sb.world.issues)}
    if path == "/__sim__/faults":
        sb.faults.configure(**{k: body[k] for k in body if k in sb.faults.CONFIGURABLE})
        return {"rates": sb.faults.rates}
    if path == "/__sim__/clock":
        clock = sb.world.clock
        advance = getattr(clock, "advance", None)
        if advance is not None:
            advance(float(body.get("advance", 0)))
        return {"now": date_dto(clock.now())}
    if path == "/__sim__/act":
        action = sb.team_actions.get(str(body.get("action")))
        if action is None:
            raise ValueError(f"unknown action {body.get('action')!r}; known: {sorted(sb.team_actions)}")
        with sb.world.lock:
            return action(body)
    if path == "/__sim__/journal":
        writes = {"true": True, "false": False}.get(q.get("writes", ""))
        return [e.as_dict() for e in sb.journal.requests(q.get("method"), q.get("path_glob"), writes=writes,
                                                         since=int(q.get("since") or 0))]
    raise ValueError("unknown control path")
