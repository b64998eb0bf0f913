"""Sending a reply composed by the agent, and the SOP's status move that follows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from queue_tui.core.reply_rules import status_after

if TYPE_CHECKING:
    from queue_tui.service.gateway import Gateway


async def send_reply(gateway: Gateway, key: str, body: str, *, public: bool, kind: str) -> str | None:
    """Add the comment, then move the status when the SOP says so; returns the status moved to.
    JiraError passes through (the comment may then be in Jira while the move is not)."""
    await gateway.add_comment(key, body, public=public)
    after = status_after(kind, public)
    if after is not None:
        await gateway.transition(key, after)
    return after
