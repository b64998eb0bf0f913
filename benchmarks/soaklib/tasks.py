"""What the agents do: one job per thing an agent sets out to do on a ticket (assign it, reply,
run its SOP...), tried as often as it takes (after a kill, a failure, an unknown outcome, a wait on
another team), each try an attempt with what the app said.

Tickets are chosen from the simulator's state, as an agent picks them from the queue: an
unassigned one to take, a colleague's to take over, a new partner request for its SOP.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from queue_tui.sandbox.state import World
from soaklib.world import COLLEAGUE, ME, Site

KINDS = ("assign", "take_over", "assign_to", "reply_public", "reply_internal", "request_type", "non_platform",
         "cs", "close", "playbook:triage", "playbook:non-platform", "playbook:everbright-onboarding",
         "playbook:channel-partner")
TEAMMATES = ("Sam Okafor", "Kira Gaza", "Bhargav Gor")
TYPES = ("General Inquiry", "Technical Support", "Company-specific Data Change", "Account Management",
         "Feature Request", "Project-specific Data Change")
# The answers `x` lists: not about the platform and closed with one of the SOP's four statuses, or
# it might need attention.
X_ANSWERS = ("close it as Won't Do", "close it as Closed", "close it as Non-Platform Request", "close it as Other",
             "might need attention")
CLOSING_WORDS = ("Won't Do", "Closed", "Non-Platform Request", "Other")
# Routes of the triage SOP an agent takes on the messy ticket (a Company-specific Data Change): each
# opens the CS form with the route's own rules.
TRIAGE_ROUTES = ("financing_cs", "contracts_cs", "downstream_cs")
# Where a write of each job goes: a hang aimed there holds the request after Jira applied it, the
# moment the soak kills the app.
WRITE_GLOBS: dict[str, tuple[str, ...]] = {
    "assign": ("PUT */assignee",), "take_over": ("PUT */assignee",), "assign_to": ("PUT */assignee",),
    "reply_public": ("POST */comment", "POST */transitions"), "reply_internal": ("POST */comment",),
    "request_type": ("PUT /rest/api/2/issue/SS-*",),
    "non_platform": ("POST */transitions", "DELETE */participant", "PUT */properties/*", "PUT */assignee",
                     "PUT /rest/api/2/issue/SS-*", "POST */comment"),
    "cs": ("POST /rest/api/2/issue", "POST /rest/api/2/issueLink", "POST */comment", "PUT */properties/*"),
    "close": ("POST */transitions",),
    "playbook": ("POST */comment", "POST /rest/api/2/issueLink", "POST */transitions", "POST */watchers",
                 "PUT */properties/*", "PUT /rest/api/2/issue/SS-*", "POST /rest/api/2/issue"),
}


@dataclass
class Attempt:
    life: int
    started: datetime
    mark: int  # the agent's journal mark when the attempt began
    outcome: str = ""
    ended: datetime | None = None
    detail: str = ""
    notices: list[str] = field(default_factory=list)
    confirms: list[tuple[str, bool]] = field(default_factory=list)
    draft: str | None = None
    kill: str = ""  # how the soak killed the app during this attempt, if it did
    applies: list[str] = field(default_factory=list)
    seconds: float = 0.0  # real time the attempt took


@dataclass
class Job:
    n: int
    agent: str
    kind: str
    key: str
    task: dict[str, Any]
    attempts: list[Attempt] = field(default_factory=list)
    typed: bool = False  # the reply's text is in the composer: its draft must survive
    finished: bool = False
    pair: int | None = None  # the other agent's job on the same ticket at the same moment

    @property
    def last(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def family(self) -> str:
        return "playbook" if self.kind.startswith("playbook:") else self.kind

    def needs_retry(self) -> bool:
        last = self.last
        if self.finished or last is None:
            return False
        return last.outcome in ("failed", "unknown", "waiting", "killed", "missing") or (
            last.outcome == "stuck" and self.kind.startswith("playbook:"))


class Picker:
    """Chooses tickets from the world as it is now, keeping out of the ones an SOP is under way on."""

    def __init__(self, site: Site, rnd: random.Random) -> None:
        self.site = site
        self.rnd = rnd
        self.reserved: set[str] = set()
        self.used: set[str] = set()
        self._n = 0

    @property
    def w(self) -> World:
        return self.site.world

    def _open(self, pred: Any) -> list[str]:
        with self.w.lock:
            return [i.key for i in self.w.issues.values() if i.project == "SS" and i.resolution is None
                    and i.key not in self.reserved and not i.summary.startswith(("EverBright Partner Onboarding",
                                                                                 "A New Channel Partner", "RE: "))
                    and pred(i)]

    def _one(self, keys: list[str]) -> str | None:
        fresh = [k for k in keys if k not in self.used] or keys
        if not fresh:
            return None
        key = self.rnd.choice(fresh)
        self.used.add(key)
        return key

    def marker(self, agent: str) -> str:
        self._n += 1
        return f"soak-{agent.lower()}{self._n}"

    def job(self, n: int, agent: str, kind: str, key: str | None = None) -> Job | None:
        """A job of `kind` for `agent`, on `key` or on a ticket fit for it."""
        me = ME if agent == "A" else COLLEAGUE
        other = COLLEAGUE if agent == "A" else ME
        task: dict[str, Any] = {}
        if kind == "assign":
            key = key or self._one(self._open(lambda i: i.assignee is None)) or self.site.new_everyday()
            task = {"do": "assign", "take_over": False}
        elif kind == "take_over":
            key = key or self._one(self._open(lambda i: i.assignee not in (None, me))) or self.site.new_everyday(other)
            task = {"do": "assign", "take_over": True}
        elif kind == "assign_to":
            key = key or self._one(self._open(lambda i: True))
            task = {"do": "assign_to", "pick": self.rnd.choice(TEAMMATES), "take_over": True}
        elif kind in ("reply_public", "reply_internal"):
            key = key or self._one(self._open(lambda i: True))
            public = kind == "reply_public"
            task = {"do": "reply", "public": public, "text": self.marker(agent),
                    "template": self.rnd.choice(("probing", "first_step", "general")) if public else None}
        elif kind == "request_type":
            key = key or self._one(self._open(lambda i: True))
            task = {"do": "request_type", "rtype": self.rnd.choice(TYPES), "decide": self.rnd.random() < 0.5}
        elif kind == "non_platform":
            # `x` asks first: not about the platform and how it closes (one of the SOP's four
            # statuses), or it might need attention (the Support Supervisor is asked).
            key = key or self.site.new_junk()
            self.reserved.add(key)
            task = {"do": "non_platform", "pick": self.rnd.choice(X_ANSWERS)}
        elif kind == "cs":
            key = key or self.site.new_everyday()
            self.reserved.add(key)
            task = {"do": "cs", "existing": "new"}
        elif kind == "close":
            key = key or self._one(self._open(lambda i: True))
            task = {"do": "close", "pick": self.rnd.choice(("Done", "Won't Do"))}
        elif kind.startswith("playbook:"):
            pb = kind.split(":", 1)[1]
            if key is None:
                key = {"triage": self.site.new_messy, "non-platform": self.site.new_junk,
                       "channel-partner": self.site.new_channel_partner}.get(pb, lambda: self.site.new_onboarding(
                           self.rnd.random() < 0.5))()
            self.reserved.add(key)
            task = {"do": "playbook", "playbook": pb, "decide": True, "fix": dict(self.site.choices.get(key, {})),
                    "ask": f"{self.marker(agent)} for the soak"}
            if pb == "non-platform":
                attention = self.rnd.random() < 0.2
                task["answers"] = {"attention": "might need attention" if attention else "not about the platform"}
                task["fix"]["close"] = self.rnd.choice(CLOSING_WORDS)
            elif pb == "triage":
                task["take"] = [self.rnd.choice(TRIAGE_ROUTES)]
                task["existing"] = "new"  # the customer's other open CS tickets are not this request's
            elif pb == "everbright-onboarding" and self.rnd.random() < 0.5:
                task["take"] = ["comms_needed"]
        else:
            raise ValueError(kind)
        if key is None:
            return None
        return Job(n, agent, kind, key, {**task, "key": key})

    def linked_cs(self, key: str) -> str | None:
        """The CS ticket already made for `key` (linked, or named after it): what a retry links instead."""
        with self.w.lock:
            issue = self.w.issues.get(key)
            for lk in self.w.links_of(key):
                other = lk.inward_key if lk.outward_key == key else lk.outward_key
                if self.w.issues.get(other) is not None and self.w.issues[other].project == "CS":
                    return other
            if issue is None:
                return None
            cs = [i for i in self.w.issues.values() if i.project == "CS"]
            for i in cs:  # the CS form's description names the SS ticket it came from
                if f"From {key}:" in (i.description or ""):
                    return i.key
            alike = [i for i in self.w.issues.values() if i.project == "SS" and i.summary[:40] == issue.summary[:40]]
            for i in cs if len(alike) == 1 else []:
                if issue.summary[:40] in i.summary:
                    return i.key
        return None
