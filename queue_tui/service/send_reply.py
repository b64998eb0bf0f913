"""Sending a reply composed by the agent, and the SOP's status move that follows it.

A reply is a comment: Jira would post it twice if it were sent twice. When a send of the same
draft began before and the app never heard how it ended (it was killed, or the answer was lost),
`already_sent` asks Jira first whether the agent's comment with that text is there."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from queue_tui.core.models import Comment
from queue_tui.core.reply_rules import status_after

if TYPE_CHECKING:
    from queue_tui.service.gateway import Gateway

# Jira stamps a comment with its own clock: a little slack for a computer's clock running ahead.
CLOCK_SLACK = timedelta(minutes=5)


async def already_sent(gateway: Gateway, key: str, body: str, *, public: bool, since: datetime) -> Comment | None:
    """The agent's own comment with this text and audience on the ticket, made since `since`."""
    mine = gateway.me.id if gateway.me else None
    for c in reversed(await gateway.request_comments(key)):
        if c.created < since - CLOCK_SLACK:
            continue
        if c.says(body) and c.public == public and (mine is None or (c.author is not None and c.author.id == mine)):
            return c
    return None


async def move_after(gateway: Gateway, key: str, *, public: bool, kind: str) -> str | None:
    """The SOP's status move after this kind of reply, if it has one; returns the status moved to."""
    after = status_after(kind, public)
    if after is not None:
        await gateway.transition(key, after)
    return after


async def send_reply(gateway: Gateway, key: str, body: str, *, public: bool, kind: str) -> str | None:
    """Add the comment, then move the status when the SOP says so; returns the status moved to.
    JiraError passes through (the comment may then be in Jira while the move is not)."""
    await gateway.add_comment(key, body, public=public)
    return await move_after(gateway, key, public=public, kind=kind)
