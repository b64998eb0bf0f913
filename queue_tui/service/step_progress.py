"""Where each playbook step stands on a ticket, kept in the ticket's own issue properties.

Each step has a property of its own (`queue-tui.progress.<playbook>.<step>`), written whole with one
PUT: Jira has no conditional writes, so one shared record read, changed and written back lost an
entry whenever two agents (or two of one agent's windows) saved at the same moment. With one
property per step, two saves at once touch different properties, and the same step saved twice
holds the later save, which says the same thing. Nothing is ever read back and merged.

The properties come with the issue itself (`properties=*all` on the issue read that the SOP panel
makes anyway); a server that leaves them out of the issue is asked for its property keys and each
step property in turn. The record of earlier versions (`queue-tui.progress`, every playbook's
steps in one property) is still read, under the per-step records.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from queue_tui.service.gateway import Gateway

LEGACY_KEY = "queue-tui.progress"
STEP_PREFIX = "queue-tui.progress."
_PLAIN = re.compile(r"[A-Za-z0-9_-]{1,80}")


def step_property(pb_id: str, step_id: str) -> str:
    """The property that holds one step's record (readable when the ids are plain words)."""
    if _PLAIN.fullmatch(pb_id) and _PLAIN.fullmatch(step_id):
        return f"{STEP_PREFIX}{pb_id}.{step_id}"
    return STEP_PREFIX + hashlib.sha256(f"{pb_id}\0{step_id}".encode()).hexdigest()[:32]


def record(pb_id: str, step_id: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """A step property's value: the entry, with the playbook and step it belongs to (read from the
    value, not the key, so any id round-trips)."""
    return {**entry, "playbook": pb_id, "step": step_id}


def progress_of(props: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """playbook id -> step id -> stored entry, from an issue's properties (key -> value)."""
    out: dict[str, dict[str, Any]] = {}
    legacy = props.get(LEGACY_KEY)
    if isinstance(legacy, dict):
        for pb, steps in legacy.items():
            if isinstance(steps, dict):
                out[str(pb)] = dict(steps)
    for k, v in props.items():
        if k.startswith(STEP_PREFIX) and isinstance(v, dict):
            pb, step = v.get("playbook"), v.get("step")
            if isinstance(pb, str) and isinstance(step, str):
                out.setdefault(pb, {})[step] = {n: x for n, x in v.items() if n not in ("playbook", "step")}
    return out


def wanted(k: str) -> bool:
    return k == LEGACY_KEY or k.startswith(STEP_PREFIX)


async def properties_of(gw: Gateway, key: str, issue: Any) -> dict[str, Any]:
    """The progress properties of an issue read with `properties=*all`; asked one by one when the
    server left them out of the issue."""
    props = issue.get("properties") if isinstance(issue, dict) else None
    if isinstance(props, dict):
        return {k: v for k, v in props.items() if wanted(str(k))}
    out: dict[str, Any] = {}
    for k in await gw.property_keys(key):
        if wanted(k):
            out[k] = await gw.get_property(key, k)
    return out


async def read_progress(gw: Gateway, key: str) -> dict[str, dict[str, Any]]:
    """Where every playbook stands on the ticket, in one request where Jira allows."""
    issue = await gw.get(f"/rest/api/2/issue/{key}", {"fields": "summary", "properties": "*all"})
    return progress_of(await properties_of(gw, key, issue))


async def save_step(gw: Gateway, key: str, pb_id: str, step_id: str, entry: Mapping[str, Any]) -> None:
    """One step's record, written whole: sent twice, it holds the same."""
    await gw.set_property(key, step_property(pb_id, step_id), record(pb_id, step_id, entry))
