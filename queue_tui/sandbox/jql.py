"""A small JQL evaluator for the simulator: the subset queues, the app and tests use.

Supports AND / OR / NOT, parentheses, `=`, `!=`, `~`, `!~`, `<`, `<=`, `>`, `>=`, `in`, `not in`,
`is [not] EMPTY`, functions `currentUser()`, `linkedIssues(KEY)`, `now()`, `startOfDay()`,
`endOfDay()`, and `ORDER BY`. Dates take Jira's formats only: "yyyy/MM/dd HH:mm",
"yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd" (UTC, the agent's time zone here) or a period
such as -5m, "-1w 2d". `key` values must name existing issues, as Jira insists. Anything else
is a 400 with Jira's error shape, as Jira would answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from queue_tui.sandbox.state import Issue, World


class JqlError(ValueError):
    pass


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<func>(?:currentUser|now|linkedIssues|startOfDay|endOfDay)\s*\([^)]*\))
    | (?P<op>!=|!~|<=|>=|=|~|<|>|\(|\)|,)
    | (?P<word>[A-Za-z0-9_.\-+@\[\]/:]+)
    )""",
    re.VERBOSE | re.IGNORECASE,
)

Pred = Callable[[Issue], bool]


def tokenize(text: str) -> list[tuple[str, str]]:
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise JqlError(f"Error in the JQL Query: The character '{text[pos]}' is a reserved JQL character.")
        pos = m.end()
        if m.group("str") is not None:
            raw = m.group("str")[1:-1]
            out.append(("str", re.sub(r"\\(.)", r"\1", raw)))
        elif m.group("func") is not None:
            out.append(("word", m.group("func")))
        elif m.group("op") is not None:
            out.append(("op", m.group("op")))
        else:
            out.append(("word", m.group("word")))
    return out


class _Parser:
    def __init__(self, world: World, tokens: list[tuple[str, str]], me: str) -> None:
        self.w = world
        self.t = tokens
        self.i = 0
        self.me = me

    def peek(self) -> tuple[str, str] | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def peek_word(self) -> str:
        p = self.peek()
        return p[1].lower() if p and p[0] == "word" else ""

    def take(self) -> tuple[str, str]:
        if self.i >= len(self.t):
            raise JqlError("Error in the JQL Query: Expecting more input at the end of the query.")
        tok = self.t[self.i]
        self.i += 1
        return tok

    def parse(self) -> tuple[Pred, list[tuple[str, bool]]]:
        pred: Pred = lambda _i: True  # noqa: E731
        if self.peek() and self.peek_word() != "order":
            pred = self.or_expr()
        order: list[tuple[str, bool]] = []
        if self.peek_word() == "order":
            self.take()
            if self.peek_word() != "by":
                raise JqlError("Error in the JQL Query: Expecting 'by' after 'order'.")
            self.take()
            while True:
                fld = self.take()[1]
                desc = False
                if self.peek_word() in ("asc", "desc"):
                    desc = self.take()[1].lower() == "desc"
                order.append((fld.lower(), desc))
                if self.peek() == ("op", ","):
                    self.take()
                    continue
                break
        if self.peek() is not None:
            raise JqlError(f"Error in the JQL Query: Expecting either 'OR' or 'AND' but got '{self.peek()[1]}'.")  # type: ignore[index]
        return pred, order

    def or_expr(self) -> Pred:
        parts = [self.and_expr()]
        while self.peek_word() == "or":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else (lambda i: any(p(i) for p in parts))

    def and_expr(self) -> Pred:
        parts = [self.not_expr()]
        while self.peek_word() == "and":
            self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else (lambda i: all(p(i) for p in parts))

    def not_expr(self) -> Pred:
        if self.peek_word() == "not":
            self.take()
            inner = self.not_expr()
            return lambda i: not inner(i)
        if self.peek() == ("op", "("):
            self.take()
            inner = self.or_expr()
            if self.take() != ("op", ")"):
                raise JqlError("Error in the JQL Query: Expecting ')'.")
            return inner
        return self.clause()

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return text
        low = text.lower().replace(" ", "")
        if low == "currentuser()":
            return self.me
        if low == "now()":
            return self.w.clock.now()
        if low in ("startofday()", "endofday()"):
            day = self.w.clock.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
            return day if low == "startofday()" else day + timedelta(days=1, milliseconds=-1)
        if low in ("empty", "null"):
            return None
        m = re.fullmatch(r"linkedissues\(\s*\"?([A-Za-z0-9\-]+)\"?\s*(?:,.*)?\)", low)
        if m:
            return ("linked", m.group(1).upper())
        return text

    def clause(self) -> Pred:
        kind, fld = self.take()
        if kind == "op":
            raise JqlError(f"Error in the JQL Query: Expecting a field name but got '{fld}'.")
        fname = fld.lower()
        opk, op = self.take()
        if opk == "word" and op.lower() in ("in", "is", "not", "was"):
            op = op.lower()
            if op == "not":
                nxt = self.take()[1].lower()
                if nxt != "in":
                    raise JqlError("Error in the JQL Query: Expecting 'in' after 'not'.")
                op = "not in"
            elif op == "is" and self.peek_word() == "not":
                self.take()
                op = "is not"
        getter = self._getter(fname, fld)
        if op in ("in", "not in"):
            vals: list[Any] = []
            if self.peek_word().replace(" ", "").startswith("linkedissues("):
                vals.append(self.value())
            else:
                if self.take() != ("op", "("):
                    raise JqlError("Error in the JQL Query: Expecting '(' after 'in'.")
                while True:
                    vals.append(self.value())
                    sep = self.take()
                    if sep == ("op", ")"):
                        break
                    if sep != ("op", ","):
                        raise JqlError("Error in the JQL Query: Expecting ',' or ')'.")
            if len(vals) == 1 and isinstance(vals[0], tuple) and vals[0][0] == "linked":
                target = vals[0][1]
                linked = {lk.inward_key if lk.outward_key == target else lk.outward_key
                          for lk in self.w.links_of(target)}
                return (lambda i: i.key in linked) if op == "in" else (lambda i: i.key not in linked)
            if fname in _KEY_FIELDS:
                self._check_keys(vals, fld)
            norm = [_norm(v) for v in vals]
            if op == "in":
                return lambda i: any(_eq(getter(i), v) for v in norm)
            return lambda i: not any(_eq(getter(i), v) for v in norm)
        val = self.value()
        if fname == "resolution" and isinstance(val, str) and val.lower() == "unresolved":
            val = None
        if fname in _KEY_FIELDS and op in ("=", "!="):
            self._check_keys([val], fld)
        if op == "is":
            return lambda i: _empty(getter(i))
        if op == "is not":
            return lambda i: not _empty(getter(i))
        if op == "=":
            if val is None:
                return lambda i: _empty(getter(i))
            v = _norm(val)
            return lambda i: _eq(getter(i), v)
        if op == "!=":
            if val is None:
                return lambda i: not _empty(getter(i))
            v = _norm(val)
            return lambda i: not _eq(getter(i), v)
        if op in ("~", "!~"):
            needle = str(val).lower().strip("*")
            hit: Pred = lambda i: _contains(getter(i), needle)  # noqa: E731
            return hit if op == "~" else (lambda i: not hit(i))
        if op in ("<", "<=", ">", ">="):
            bound = _as_time(val, self.w.clock.now(), fld)
            cmp: Callable[[Any], bool] = {"<": lambda a: a < bound, "<=": lambda a: a <= bound,
                                          ">": lambda a: a > bound, ">=": lambda a: a >= bound}[op]
            return lambda i: (t := getter(i)) is not None and cmp(t)
        raise JqlError(f"Error in the JQL Query: The operator '{op}' is not supported.")

    def _check_keys(self, vals: list[Any], fld: str) -> None:
        """Jira refuses a key that is malformed or names no issue the user can see."""
        for v in vals:
            text = str(v)
            if text.isdigit():
                continue
            if not _KEY.fullmatch(text):
                raise JqlError(f"The issue key '{text}' for field '{fld}' is invalid.")
            if self.w.issue(text) is None:
                raise JqlError(f"An issue with key '{text}' does not exist for field '{fld}'.")

    def _getter(self, fname: str, original: str) -> Callable[[Issue], Any]:
        w = self.w

        def user_ids(ident: str | None) -> list[str]:
            u = w.user(ident)
            return [u.account_id, u.name, u.email.lower(), u.display_name.lower()] if u else []

        table: dict[str, Callable[[Issue], Any]] = {
            "project": lambda i: i.project,
            "key": lambda i: i.key,
            "issuekey": lambda i: i.key,
            "issue": lambda i: i.key,
            "id": lambda i: i.id,
            "summary": lambda i: i.summary,
            "description": lambda i: i.description,
            "text": lambda i: i.summary + "\n" + i.description + "\n" + "\n".join(c.body for c in i.comments),
            "status": lambda i: i.status,
            "statuscategory": lambda i: {"new": "To Do", "indeterminate": "In Progress", "done": "Done"}[
                w.statuses[i.status].category] if i.status in w.statuses else None,
            "resolution": lambda i: i.resolution,
            "assignee": lambda i: user_ids(i.assignee) or None,
            "reporter": lambda i: user_ids(i.reporter) or None,
            "priority": lambda i: i.priority,
            "labels": lambda i: i.labels or None,
            "component": lambda i: i.components or None,
            "issuetype": lambda i: i.issue_type,
            "type": lambda i: i.issue_type,
            "created": lambda i: i.created,
            "updated": lambda i: i.updated,
            "parent": lambda i: i.parent,
            '"epic link"': lambda i: i.parent,
            "epic link": lambda i: i.parent,
            "organizations": lambda i: [w.organizations[o].name for o in i.organizations if o in w.organizations] + [str(o) for o in i.organizations] or None,
            "organization": lambda i: [w.organizations[o].name for o in i.organizations if o in w.organizations] + [str(o) for o in i.organizations] or None,
            "request type": lambda i: _rt_names(w, i),
            "customer request type": lambda i: _rt_names(w, i),
            "request participants": lambda i: [x for p in i.participants for x in user_ids(p)] or None,
            "watcher": lambda i: [x for p in i.watchers for x in user_ids(p)] or None,
        }
        cf = re.fullmatch(r"cf\[(\d+)\]", fname)
        if cf:
            fname = {"10010": "request type", "10002": "organizations", "10026": "request participants"}.get(
                cf.group(1), fname)
        if fname not in table:
            raise JqlError(f"Field '{original}' does not exist or you do not have permission to view it.")
        return table[fname]


def _rt_names(w: World, i: Issue) -> list[str] | None:
    rt = w.request_types.get(i.request_type or "")
    return [rt.name, rt.id] if rt else None


def _norm(v: Any) -> Any:
    return v.lower() if isinstance(v, str) else v


def _empty(actual: Any) -> bool:
    return actual is None or actual == [] or actual == ""


def _eq(actual: Any, expected: Any) -> bool:
    if isinstance(actual, list):
        return any(_eq(a, expected) for a in actual)
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.lower() == expected
    return bool(actual == expected)


def _contains(actual: Any, needle: str) -> bool:
    if isinstance(actual, list):
        return any(_contains(a, needle) for a in actual)
    return isinstance(actual, str) and all(word in actual.lower() for word in needle.split())


_KEY_FIELDS = ("key", "issuekey", "issue")
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-\d+")
_DATE_FORMATS = ("%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y-%m-%d")
_PERIOD = re.compile(r"([-+]?)((?:\d+[wdhm]\s*)+)", re.IGNORECASE)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


def _as_time(v: Any, now: datetime, fld: str) -> datetime:
    """A JQL date: Jira's four absolute formats (in the user's time zone, UTC here) or a period
    such as -5m, "-1w 2d", 4h from now; anything else is refused as Jira refuses it."""
    if isinstance(v, datetime):
        return v
    text = str(v).strip()
    m = _PERIOD.fullmatch(text)
    if m:
        delta = timedelta(**{_UNITS[u.lower()]: 0 for u in "wdhm"})
        for n, unit in re.findall(r"(\d+)([wdhm])", m.group(2), re.IGNORECASE):
            delta += timedelta(**{_UNITS[unit.lower()]: int(n)})
        return now - delta if m.group(1) == "-" else now + delta
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise JqlError(f"Date value '{text}' for field '{fld}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', "
                   "'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.")


def search(world: World, jql: str, me: str, issues: Iterable[Issue] | None = None) -> list[Issue]:
    """Issues matching `jql` (among `issues`, every issue by default), in its ORDER BY (created DESC
    when none is given)."""
    pred, order = _Parser(world, tokenize(jql), me).parse() if jql.strip() else ((lambda _i: True), [])
    hits = [i for i in (world.issues.values() if issues is None else issues) if pred(i)]
    if not order:
        order = [("created", True)]
    rank = {name: n for n, name in enumerate(world.priorities)}
    for fld, desc in reversed(order):
        def key(i: Issue, fld: str = fld) -> Any:
            if fld in ("key", "issuekey"):
                return (i.project, int(i.key.split("-")[1]))
            if fld == "priority":
                return rank.get(i.priority, len(rank))
            if fld in ("created", "updated"):
                return getattr(i, fld)
            return str(getattr(i, fld, "") or "")
        hits.sort(key=key, reverse=desc)
    return hits
