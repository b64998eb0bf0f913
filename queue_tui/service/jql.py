"""Building JQL: a poll's from a queue's own JQL, which the app cannot evaluate itself, and values
quoted for it (exact, or for text search).

A queue's JQL is Jira's business (it may use functions, custom fields, SLA conditions): the
app never interprets it, it only narrows it ("and only these keys") and keeps its ORDER BY.
"""

from __future__ import annotations

import re

_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)


def split_order(jql: str) -> tuple[str, str]:
    """The condition and the ORDER BY clause ("" when none) of a JQL query.

    ORDER BY can only come last and never inside a quoted string, so the last occurrence
    outside quotes is the one.
    """
    outside: list[tuple[int, int]] = []  # spans of jql outside quoted strings
    start, quote, i = 0, "", 0
    while i < len(jql):
        ch = jql[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote, start = "", i + 1
        elif ch in "\"'":
            outside.append((start, i))
            quote = ch
        i += 1
    if not quote:
        outside.append((start, len(jql)))
    cut = -1
    for lo, hi in outside:
        for m in _ORDER_BY.finditer(jql, lo, hi):
            cut = m.start()
    if cut < 0:
        return jql.strip(), ""
    return jql[:cut].strip(), jql[cut:].strip()


def narrow(jql: str, clause: str) -> str:
    """`jql` with `clause` added as one more condition, its ORDER BY kept."""
    where, order = split_order(jql)
    body = f"({where}) AND {clause}" if where else clause
    return f"{body} {order}".strip()


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def jql_text(value: str) -> str:
    """A value quoted for JQL's text search (`summary ~`), with the characters JQL reserves removed."""
    cleaned = "".join(ch if ch.isalnum() or ch in " -_.@&/" else " " for ch in value)
    return '"' + " ".join(cleaned.split()) + '"'


def key_in(keys: list[str]) -> str:
    return f"key in ({', '.join(quoted(k) for k in keys)})"


def projects_clause(projects: list[str]) -> str:
    if len(projects) == 1:
        return f"project = {quoted(projects[0])}"
    return f"project in ({', '.join(quoted(p) for p in projects)})"


def updated_within(minutes: int) -> str:
    """Tickets updated in the last `minutes`, by Jira's own clock: a relative date never depends
    on this computer's clock or time zone agreeing with the site's."""
    return f"updated >= -{max(1, minutes)}m"
