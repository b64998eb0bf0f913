"""The soak's site: one simulated Jira world served to each agent on a server of its own.

Each agent's app talks to its own loopback server over the same world, so each has its own fault
dice, its own Retry-After wait and its own request journal (a duplicate counts wherever it came
from: the checks read both journals). The second agent signs in as herself (`Priya Nair`). The
other teams (`OtherTeams`) answer the partner SOPs; the soak moves the shared clock to let them.
New tickets for the SOPs come in as their senders would make them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from queue_tui.sandbox import Faults, OtherTeams, Sandbox, automation
from queue_tui.sandbox.auth import Credentials
from queue_tui.sandbox.seed import seed_world, sop_request_type
from queue_tui.sandbox.state import WAITING_FOR_SUPPORT, Issue, World
from queue_tui.sandbox.team import actions, approval_ticket
from soaklib.clock import SharedClock

ME = "557058:alex-rivera"
COLLEAGUE = "557058:priya-nair"
COLLEAGUE_TOKEN = "priya-soak-token"
STAFF_FORWARDERS = ("557058:sam-okafor", "557058:rachel-kim", "557058:marcus-hale")

# Every fault kind the app must live with, besides the ones decided per page (`no-islast`).
FAULT_KINDS = ("429", "429-date", "429-reset", "503", "slow", "malformed", "drop", "hang", "redirect")
ONBOARDING_INSTALLERS = ("Redwood Power Systems", "Granite State Solar", "Lakeside Electric", "Mesa Solar",
                         "Evergreen Installers", "Blue Sky Renewables", "Apex Roofing & Solar", "Sighten Solar")
CHANNEL_PARTNERS = (("Coastal Sun Co", "Green Light Solar"), ("Northwind Solar", "Bright Path Energy"),
                    ("HW Solar", "Green Light Solar"), ("Mesa Solar", "Bright Path Energy"))


@dataclass
class Agent:
    """One agent's way in: their server, faults and journal, and who they sign in as."""

    name: str
    account_id: str
    display: str
    sb: Sandbox
    email: str
    token: str
    retry_after: int = 1  # the Retry-After in force on the agent's server (each answer's own is journalled)


@dataclass
class Site:
    clock: SharedClock
    world: World
    agents: list[Agent]
    teams: OtherTeams
    rnd: random.Random
    made: dict[str, list[str]] = field(default_factory=dict)  # kind -> keys of tickets the soak brought in
    rates: dict[str, float] = field(default_factory=dict)  # the fault rates now in force
    choices: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> the values an agent would pick
    kinds: tuple[str, ...] = FAULT_KINDS  # the fault kinds the random work meets (`soak.py --faults`)

    def stop(self) -> None:
        for a in self.agents:
            a.sb.stop()

    # -- faults -------------------------------------------------------------------------------
    def faults(self, rate: float, retry_after: int, hang_seconds: float, slow_seconds: float) -> None:
        """Each chosen fault kind at `rate` per request on every agent's server; Retry-After in seconds."""
        self.rates = {k: rate for k in self.kinds} if rate else {}
        for a in self.agents:
            a.retry_after = retry_after
            a.sb.faults.configure(rates=self.rates, retry_after=retry_after, hang_seconds=hang_seconds,
                                  slow_seconds=slow_seconds)

    def calm(self) -> None:
        self.rates = {}
        for a in self.agents:
            a.sb.faults.clear()

    def drop_aims(self, agent: Agent) -> None:
        """Faults aimed at requests that never came are dropped; the random rates stay."""
        agent.sb.faults.clear()
        agent.sb.faults.configure(rates=self.rates)

    # -- the other teams -----------------------------------------------------------------------
    def let_time_pass(self, seconds: float) -> list[str]:
        """The shared clock moves on; the other teams do what they were asked long enough ago."""
        self.clock.advance(seconds)
        with self.world.lock:
            automation.run_due(self.world)
        return self.teams.step()

    # -- tickets coming in ---------------------------------------------------------------------
    def _ss(self, summary: str, description: str, reporter: str, org: str | None = None, rtype: str | None = None,
            participants: tuple[str, ...] = (), assignee: str | None = None, channel: tuple[str, ...] = ("Email",)
            ) -> Issue:
        w = self.world
        with w.lock:
            now = w.clock.now()
            rt = sop_request_type(w, rtype, summary) if rtype else None
            o = w.org_by_name(org) if org else None
            issue = Issue(w.next_id(), w.next_key("SS"), "SS", "Service Request", summary, description,
                          WAITING_FOR_SUPPORT, "Medium", reporter, assignee, now, now,
                          request_type=rt.id if rt else None, organizations=[o.id] if o else [],
                          channel=list(channel), participants=list(participants))
            w.add_issue(issue)
            automation.after_create(w, issue)
            return issue

    def _customer(self, org: str | None = None) -> str:
        w = self.world
        o = w.org_by_name(org) if org else None
        members = w.org_members.get(o.id, []) if o else []
        pool = members or [u.account_id for u in w.users.values()
                           if not u.staff and not u.app and u.account_id.startswith("qm:0")]
        return self.rnd.choice(pool)

    def new_onboarding(self, with_approval_ticket: bool) -> str:
        """The partner onboarding form, forwarded by a colleague; the approver may answer in a ticket of his own."""
        installer = self.rnd.choice(ONBOARDING_INSTALLERS)
        issue = self._ss("EverBright Partner Onboarding",
                         "A new partner onboarding form was submitted.\n\n"
                         f"Installer name: {installer}\nInstaller contact email: ops@example.com\n"
                         "States: CA, OR\nProducts: EverBright Loan 25yr, EverBright Lease\n",
                         self.rnd.choice(STAFF_FORWARDERS), participants=("557058:rachel-kim",))
        if with_approval_ticket:
            with self.world.lock:
                approval_ticket(self.world, installer)
        self.made.setdefault("onboarding", []).append(issue.key)
        return issue.key

    def new_channel_partner(self) -> str:
        org, manager = self.rnd.choice(CHANNEL_PARTNERS)
        n = len(self.made.get("channel-partner", [])) + 1
        contact, email = f"Contact {n}", f"contact{n}@{org.lower().replace(' ', '')}.example"
        issue = self._ss(f"A New Channel Partner Request for {org}",
                         "| Field | Value |\n|---|---|\n"
                         f"| 1. Contact | {contact} ({email}) |\n| 2. Company Name | {manager} |\n"
                         f"| 3. Channel partner | {org} |\n| 4. Financing options | Concert, Sunlight |\n",
                         self._customer(), rtype="Company-specific Data Change")
        self.made.setdefault("channel-partner", []).append(issue.key)
        # The triage essentials come first: a channel partner's organization is its channel manager's.
        self.choices[issue.key] = {"organization": manager, "channel": "Email"}
        return issue.key

    def new_messy(self, assignee: str | None = None) -> str:
        """For triage: forwarded by a colleague, a colleague among the participants, no organization or channel."""
        org = self.rnd.choice(("Blue Sky Renewables", "Sighten Solar", "Coastal Sun Co"))
        customer = self._customer(org)
        issue = self._ss("Fwd: EverBright financing options missing",
                         f"---------- Forwarded message ---------\nFrom: {self.world.users[customer].email}\n"
                         "Our EverBright loan products are gone from the proposal tool. Please help.\n",
                         self.rnd.choice(STAFF_FORWARDERS), participants=("557058:marcus-hale", customer), channel=(),
                         assignee=assignee)
        self.made.setdefault("triage", []).append(issue.key)
        self.choices[issue.key] = {"reporter": self.world.users[customer].display_name, "organization": org,
                                   "channel": "Email"}
        return issue.key

    def new_junk(self) -> str:
        n = len(self.made.get("non-platform", [])) + 1
        w = self.world
        with w.lock:
            aid = f"qm:junk:soak{n}@vendor.example"
            if aid not in w.users:
                from queue_tui.sandbox.state import User

                w.users[aid] = User(aid, f"soak{n}", f"Vendor {n}", f"soak{n}@vendor.example", False)
        issue = self._ss(f"Meet us at Solar Expo {2026 + n}, booth {100 + n}!", "Book a meeting with our team.", aid)
        self.made.setdefault("non-platform", []).append(issue.key)
        return issue.key

    def new_everyday(self, assignee: str | None = None) -> str:
        org = self.rnd.choice(("Helios Home Power", "Coastal Sun Co", "Lakeside Electric", "Mesa Solar"))
        issue = self._ss(f"Proposal tool question {len(self.made.get('everyday', [])) + 1}",
                         "How do I change the default module on a proposal?", self._customer(org), org,
                         rtype="General Inquiry" if self.rnd.random() < 0.5 else None, assignee=assignee)
        self.made.setdefault("everyday", []).append(issue.key)
        return issue.key

    def customer_reply(self, key: str) -> None:
        from queue_tui.sandbox.team import customer_reply

        with self.world.lock:
            customer_reply(self.world, key, "Thanks, here is the detail you asked for.")


def build_site(clock: SharedClock, seed: int, teams_delay: float = 20.0) -> Site:
    """The seeded world on two servers: the seeded agent's and their colleague's."""
    world = World(clock, "cloud")
    seed_world(world, seed)
    agents = []
    for n, (name, account) in enumerate((("A", ME), ("B", COLLEAGUE))):
        creds = Credentials("cloud")
        sb = Sandbox(world, creds, faults=Faults(seed=seed * 10 + n)).start()
        sb.team_actions = actions(world)
        if account == ME:
            email, token = creds.email, creds.token
        else:
            email, token = sb.add_agent(account, COLLEAGUE_TOKEN)
        agents.append(Agent(name, account, world.users[account].display_name, sb, email, token))
    return Site(clock, world, agents, OtherTeams(world, delay=teams_delay), random.Random(seed))


def describe(site: Site) -> dict[str, Any]:
    return {a.name: {"url": a.sb.base_url, "account": a.account_id, "display": a.display} for a in site.agents}


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
