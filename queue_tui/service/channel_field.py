"""The channel field of one ticket as Jira has it now, and the agent's answer at close written to it.

The options are the site's own: the field's allowed values in the ticket's edit metadata
(`GET /rest/api/2/issue/{key}/editmeta`), with the operations the field takes. Who set each value
comes from the changelog (`field_changes.value_setters`). The write re-reads the field right
before it is sent and sends only the difference (`close_channel.change`) as add/remove, so a
value a colleague set stays, running it twice sends nothing the second time, and a lost answer
is retried by the gateway as the idempotent edit it is. It goes through the playbook runner's
writer (`StepWriter`), which logs it to the audit log like every field edit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from queue_tui.core import ops
from queue_tui.core.close_channel import ChannelAnswer, change
from queue_tui.core.context import Change
from queue_tui.core.models import Ticket
from queue_tui.service.field_changes import value_setters
from queue_tui.service.gateway import Gateway


@dataclass(frozen=True)
class ChannelField:
    """`found`: the site has a channel field; `editable`: it is on this ticket's edit screen."""

    found: bool
    editable: bool = False
    options: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    setters: dict[str, Change] | None = field(default_factory=dict)  # None: Jira sent no changelog
    merges: bool = True  # the field takes add/remove (else the whole field is sent)


async def read(gw: Gateway, key: str) -> tuple[ChannelField, Ticket]:
    """The channel field of `key` now, and the ticket with its comments (for the hints)."""
    fid = gw.fields.get("channel")
    full = await gw.ticket_detail(key)
    if not fid:
        return ChannelField(False), full
    meta = (await gw.edit_fields(key)).get(fid)
    raw = await gw.get(f"/rest/api/2/issue/{key}", {"fields": fid, "expand": "changelog"})
    setters = value_setters(raw, gw.fields, "channel")
    if meta is None or meta.options is None:  # not on this ticket's edit screen
        return ChannelField(True, False, full.channel, full.channel, setters), full
    options = meta.options + tuple(v for v in full.channel if v not in meta.options)  # a retired option still set shows
    return ChannelField(True, True, options, full.channel, setters, merges={"add", "remove"} <= meta.operations), full


async def current(gw: Gateway, key: str) -> tuple[str, ...]:
    """The channel field of `key` as Jira has it now (read alone, parsed as every ticket is)."""
    fid = gw.fields.get("channel")
    return (await gw.issue(key, [fid])).channel if fid else ()


async def write(gw: Gateway, do: Callable[[ops.Op], Awaitable[Any]], key: str, answer: ChannelAnswer,
                merges: bool = True) -> str:
    """Make the field say what the agent answered, against its value right now; what was done."""
    if answer.skipped:
        return "no channel"
    now = await current(gw, key)
    add, remove = change(now, answer)
    if not add and not remove:
        return "channel " + (", ".join(now) or "—") + " (unchanged)"
    merged = () if merges else tuple(v for v in now if v not in remove) + add
    await do(ops.ChangeChannels(key, add, remove, merged))
    return "channel " + " ".join([f"+ {v}" for v in add] + [f"− {v}" for v in remove])


__all__ = ["ChannelField", "current", "read", "write"]
