"""Comments that name a person to notify, written so that Jira notifies them.

A playbook's template says `{@approver}` (any role, or `account_manager`, or `me`). In the body
sent to Jira that becomes a mention in the site's wiki markup, the form the servicedeskapi and
v2 comment bodies take: `[~accountid:<account id>]` on Cloud, `[~<username>]` on Data Center.
On screen (the panel, the preview) it reads `@Name`. A mention of a role nobody is mapped to is a
problem the step shows, never a comment that silently notifies no one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from queue_tui.core.context import Context
from queue_tui.core.models import Person
from queue_tui.core.step_plan import render_template, resolve_person

_MENTION = re.compile(r"\{@(\w+)\}")


def mention(p: Person, style: str) -> str:
    """How a comment body names `p` so that Jira notifies them (`none`: just the name)."""
    if style == "cloud":
        return f"[~accountid:{p.id}]"
    if style == "dc":
        return f"[~{p.id}]"
    return p.name


@dataclass(frozen=True, slots=True)
class Rendered:
    body: str  # as sent to Jira, with its mentions
    shown: str  # as the agent reads it: @Name for each mention
    problems: tuple[str, ...] = ()  # a role that could not be mentioned, and why


def render_comment(template: str, c: Context, values: dict[str, str] | None = None) -> Rendered:
    """A comment template with its mentions and placeholders filled; `values` fills `{input}` and the like."""
    by_ref: dict[str, Person] = {}
    problems: list[str] = []
    for ref in dict.fromkeys(_MENTION.findall(template)):
        p, why = resolve_person(ref, c)
        if p is None:
            problems.append(why)
        else:
            by_ref[ref] = p

    def fill(text: str, jira: bool) -> str:
        def sub(m: re.Match[str]) -> str:
            p = by_ref.get(m.group(1))
            if p is None:
                return f"[{m.group(1)}]"
            return mention(p, c.mention_style) if jira else f"@{p.name}"

        out = _MENTION.sub(sub, text)
        for name, value in (values or {}).items():
            out = out.replace("{" + name + "}", value)
        return render_template(out, c)

    return Rendered(fill(template, True), fill(template, False), tuple(problems))


def shown(template: str, c: Context) -> str:
    """A template as the agent reads it (a value to copy, a Slack message): mentions as plain names."""
    return render_comment(template.replace("{@", "{"), c).shown
