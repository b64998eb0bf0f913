"""The other people in the simulation: customers replying, new tickets, the configuration team, the approver.

Each action changes the world as those people would through Jira's own UI. Tests call them to
drive the waits of an SOP; live mode calls the customer ones on a timer for `--demo`, and
`OtherTeams` answers what the partner SOPs wait on, a little while after it is asked.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from queue_tui.sandbox import automation, history
from queue_tui.sandbox.seed import EVERYDAY, ORGS, sop_request_type
from queue_tui.sandbox.state import WAITING_FOR_CUSTOMER, WAITING_FOR_SUPPORT, Issue, World

APPROVER = "557058:david-ellis"
CONFIG_AGENT = "557058:tomas-berg"


def linked_cs(w: World, key: str) -> Issue | None:
    for lk in w.links_of(key):
        other = lk.inward_key if lk.outward_key == key else lk.outward_key
        issue = w.issues.get(other)
        if issue is not None and issue.project == "CS":
            return issue
    return None


def new_ticket(w: World, rnd: random.Random | None = None, summary: str | None = None,
               org: str | None = None) -> Issue:
    rnd = rnd or random.Random()
    rtype, subj, desc = rnd.choice(EVERYDAY)
    customers = [u for u in w.users.values() if not u.staff and not u.account_id.startswith(("qm:junk", "qm:cp", "qm:anon"))]
    reporter = rnd.choice(customers)
    org_name = org or rnd.choice([o for o in ORGS if o != "Non-platform Emails"])
    org_obj = w.org_by_name(org_name)
    now = w.clock.now()
    rt = sop_request_type(w, rtype, subj)
    issue = Issue(w.next_id(), w.next_key("SS"), "SS", "Service Request", summary or subj, desc, WAITING_FOR_SUPPORT,
                  "Medium", reporter.account_id, None,
                  now, now, request_type=rt.id if rt and rnd.random() < 0.5 else None,
                  organizations=[org_obj.id] if org_obj else [], channel=["Email"])
    w.add_issue(issue)
    automation.after_create(w, issue)
    return issue


def customer_reply(w: World, key: str, text: str = "Thanks, here is the extra detail you asked for.") -> Issue:
    issue = w.issues[key]
    author = issue.reporter if issue.reporter and not w.users[issue.reporter].staff else next(
        u.account_id for u in w.users.values() if not u.staff)
    w.add_comment(issue, author, text, True)
    if issue.status == WAITING_FOR_CUSTOMER:
        w.set_status(issue, WAITING_FOR_SUPPORT)
    return issue


def cs_hold(w: World, ss_key: str) -> Issue:
    """Configuration done but not live: the CS ticket goes On Hold, the SS ticket back to support."""
    cs = linked_cs(w, ss_key)
    if cs is None:
        raise ValueError(f"{ss_key} has no linked CS ticket")
    w.add_comment(cs, CONFIG_AGENT, "Configured, not pushed live. On hold pending approval.", False)
    _move(w, cs, hold_status(w))
    _move(w, w.issues[ss_key], WAITING_FOR_SUPPORT)
    return cs


def hold_status(w: World) -> str:
    """The CS workflow's on-hold status: "On Hold", or the name a site gave it (a renamed workflow)."""
    return next((s for s in w.projects["CS"].statuses if s in ("On Hold", "Paused")), "On Hold")


def _move(w: World, i: Issue, status: str) -> None:
    """A colleague's status change, in the issue's changelog as Jira records every move."""
    before = history.snapshot(w, i)
    w.set_status(i, status)
    history.record(w, before, i, CONFIG_AGENT, w.clock.now())


def cs_done(w: World, ss_key: str, note: str = "Pushed live. All products verified in the account.") -> Issue:
    cs = linked_cs(w, ss_key)
    if cs is None:
        raise ValueError(f"{ss_key} has no linked CS ticket")
    w.add_comment(cs, CONFIG_AGENT, note, False)
    w.set_status(cs, "Done")
    w.set_status(w.issues[ss_key], WAITING_FOR_SUPPORT)
    return cs


def approval_comment(w: World, ss_key: str) -> Issue:
    issue = w.issues[ss_key]
    w.add_comment(issue, APPROVER, "Approved to push live.", False)
    return issue


def approval_ticket(w: World, installer: str) -> Issue:
    now = w.clock.now()
    issue = Issue(w.next_id(), w.next_key("SS"), "SS", "Service Request",
                  f"RE: EverBright Partner Onboarding - {installer} approved", f"Approved to push live for {installer}.",
                  WAITING_FOR_SUPPORT, "Medium", APPROVER, None, now, now)
    return w.add_issue(issue)


def actions(w: World) -> dict[str, Callable[[dict[str, Any]], Any]]:
    """Team actions by name, for the simulator's control endpoint."""
    return {
        "new_ticket": lambda b: new_ticket(w, random.Random(b.get("seed")), b.get("summary"), b.get("org")).key,
        "customer_reply": lambda b: customer_reply(w, b["key"], b.get("text") or "Thanks!").key,
        "cs_hold": lambda b: cs_hold(w, b["key"]).key,
        "cs_done": lambda b: cs_done(w, b["key"]).key,
        "approval_comment": lambda b: approval_comment(w, b["key"]).key,
        "approval_ticket": lambda b: approval_ticket(w, b["installer"]).key,
        "touch": lambda b: touch(w, int(b.get("count", 50))),
    }


def touch(w: World, count: int) -> int:
    """Change the summary of `count` open tickets (benchmarks: a poll with N changed tickets)."""
    n = 0
    now = w.clock.now()
    for issue in list(w.issues.values()):
        if issue.project == "SS" and issue.resolution is None:
            issue.summary = issue.summary.rstrip("*") + "*"
            issue.updated = now
            n += 1
            if n >= count:
                break
    return n


ONBOARDING_SUBJECT = re.compile(r"^\s*EverBright Partner Onboarding\s*$", re.IGNORECASE)
CHANNEL_PARTNER_SUBJECT = re.compile(r"^\s*A New Channel Partner Request for ", re.IGNORECASE)
INSTALLER_LINE = re.compile(r"^\s*Installer name:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
CHANNEL_PARTNER_DONE = "Configured and QA'd: the channel partner is set up, no outstanding issues."


class OtherTeams:
    """For `--demo`: the configuration team and the partnerships approver do what the partner SOPs
    wait on, `delay` seconds (of the world's clock) after the moment they were asked:

    - an onboarding CS ticket in To Do is configured and put On Hold (the SS ticket back to support);
    - asked for go-live approval (an internal comment about approval after the hold) the approver
      replies in the ticket, unless a separate approval ticket for that installer already came in;
    - an onboarding CS ticket back in To Do with a request to push live is pushed live and done;
    - a channel partner CS ticket is configured, QA'd and done.
    """

    def __init__(self, w: World, delay: float = 20.0) -> None:
        self.w = w
        self.delay = timedelta(seconds=delay)
        self.asked: dict[tuple[str, str], datetime] = {}

    def step(self) -> list[str]:
        """Do whatever has been asked for long enough; returns what was done, e.g. ["cs_hold SS-59"]."""
        done: list[str] = []
        with self.w.lock:
            now = self.w.clock.now()
            pending: dict[tuple[str, str], datetime] = {}
            for issue in list(self.w.issues.values()):
                if issue.project != "SS" or issue.resolution is not None:
                    continue
                for what, act in self._asked_of(issue):
                    since = self.asked.get((what, issue.key), now)
                    if now - since >= self.delay:
                        act()
                        done.append(f"{what} {issue.key}")
                    else:
                        pending[(what, issue.key)] = since
            self.asked = pending
        return done

    def _asked_of(self, issue: Issue) -> list[tuple[str, Callable[[], Any]]]:
        w, key = self.w, issue.key
        cs = linked_cs(w, key)
        if cs is None:
            return []
        if CHANNEL_PARTNER_SUBJECT.match(issue.summary):
            if cs.resolution is None:
                return [("cs_done", lambda: cs_done(w, key, CHANNEL_PARTNER_DONE))]
            return []
        if not ONBOARDING_SUBJECT.match(issue.summary):
            return []
        held = next((c.created for c in cs.comments if c.author == CONFIG_AGENT and "on hold" in c.body.lower()), None)
        if cs.status == "To Do" and held is None:
            return [("cs_hold", lambda: cs_hold(w, key))]
        if held is None:
            return []
        if cs.status == "To Do" and any(c.author != CONFIG_AGENT and c.created >= held and "push" in c.body.lower()
                                        for c in cs.comments):
            return [("cs_done", lambda: cs_done(w, key))]
        if cs.status == hold_status(w) and self._approval_asked(issue, held) and not self._separate_approval(issue):
            return [("approval_comment", lambda: approval_comment(w, key))]
        return []

    @staticmethod
    def _approval_asked(issue: Issue, since: datetime) -> bool:
        last_ask = last_answer = None
        for c in issue.comments:
            if c.created < since or "approv" not in c.body.lower():
                continue
            if c.author == APPROVER:
                last_answer = c.created
            elif not c.public:
                last_ask = c.created
        return last_ask is not None and (last_answer is None or last_answer < last_ask)

    def _separate_approval(self, issue: Issue) -> bool:
        m = INSTALLER_LINE.search(issue.description)
        installer = m.group(1).lower() if m else ""
        return bool(installer) and any(
            other.key != issue.key and "approved" in other.summary.lower() and installer in other.summary.lower()
            for other in self.w.issues.values())


class LiveActivity:
    """For `--demo`: a new ticket or a customer reply every `interval` seconds (jittered), and the
    other teams (`OtherTeams`) looked in on every `beat` seconds."""

    def __init__(self, w: World, interval: float = 45.0, seed: int = 3, teams: OtherTeams | None = None,
                 beat: float = 2.0) -> None:
        self.w = w
        self.interval = interval
        self.rnd = random.Random(seed)
        self.teams = teams
        self.beat = beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sandbox-live", daemon=True)

    def start(self) -> LiveActivity:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def step(self) -> str:
        with self.w.lock:
            waiting = [i for i in self.w.issues.values() if i.project == "SS" and i.status == WAITING_FOR_CUSTOMER]
            if waiting and self.rnd.random() < 0.35:
                return customer_reply(self.w, self.rnd.choice(waiting).key).key
            return new_ticket(self.w, self.rnd).key

    def _run(self) -> None:
        next_at = self.w.clock.now() + timedelta(seconds=self.interval * 0.3)
        while not self._stop.wait(self.beat):
            with self.w.lock:
                automation.run_due(self.w)
            if self.teams is not None:
                self.teams.step()
            now = self.w.clock.now()
            if now >= next_at:
                self.step()
                next_at = now + timedelta(seconds=self.interval * self.rnd.uniform(0.6, 1.4))


def minutes_ago(w: World, minutes: int) -> Any:
    return w.clock.now() - timedelta(minutes=minutes)
