"""Chaos soak: two agents' apps, each a real process driven by its keys (Textual's Pilot), work the
same simulated service desk while Jira misbehaves and the soak kills the apps with SIGKILL.

`make soak` (full: every write path, then random work until at least 50 kills) or
`make soak SOAK_ARGS=--quick` (CI: the tour of every write path, a handful of kills). Loopback
only, bounded in time. `--faults 429,429-date,429-reset,503` keeps the random work to those kinds
(the tour's own aimed faults stay).

The tour drives each write path on purpose, by the keys an agent presses: `a` (a 429 on its read of
the ticket, waited out, and the refresh after it), take over, `A`, a
public and an internal reply (`m`; one whose answer is lost, one refused outright, one killed
after Jira answered its send), `t`, `x` (its question answered from the list, then its confirm),
`c` (from the queue it reads the ticket in full), `C`, and every shipped playbook through the SOP
panel: `G` shows the preview and applies on `y`, `g` confirms a suggestion, answers a decision
after the question naming the colleague, takes a route (the CS form) or answers a choice, `e`
picks a value or how a ticket closes, space ticks; the partner SOPs to the end with the other
teams answering; both agents at once on the same tickets (`c`, `a`, `x`, the onboarding SOP);
SIGKILL while a write is held (the CS ticket's comment among them). Then random work under every
fault (429 with seconds, a date or only X-RateLimit-Reset, long Retry-After, 503, slow, cut-short,
dropped, hanging, redirected answers). Faults stop; every job left (failed, unknown, waiting) is
tried again.

Pass: no duplicate counted from the requests Jira received; the audit log matches the requests
and the final state; nothing of a colleague's replaced without a question naming them; every
reply draft survived; every unknown outcome settled by a re-check; no crash or hang; no request
before a Retry-After; the stale banner after each failed poll and fresh once faults stop; every
write path driven. `--fail-fast` stops at the first failed check (the self-test uses it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from soaklib.clock import SharedClock  # noqa: E402
from soaklib.proc import AgentProc  # noqa: E402
from soaklib.report import Verdict, verdict  # noqa: E402
from soaklib.runner import Runner  # noqa: E402
from soaklib.tasks import KINDS, X_ANSWERS, Job, Picker  # noqa: E402
from soaklib.world import FAULT_KINDS, build_site, describe  # noqa: E402

START = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # a Wednesday afternoon


class Soak:
    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args = args
        self.rnd = random.Random(args.seed)
        self.clock = SharedClock(tmp / "clock", START)
        self.site = build_site(self.clock, args.seed, teams_delay=20.0)
        self.site.kinds = args.faults
        self.procs = {a.name: AgentProc(a, tmp / f"home-{a.name}", tmp / "clock", timeout=1.0, poll=10.0)
                      for a in self.site.agents}
        self.runner = Runner(self.site, self.procs, self.rnd)
        self.pick = Picker(self.site, self.rnd)
        self.started = time.monotonic()
        self.stale_misses = 0
        self.fresh = False
        self.early_stop = ""
        self.phases: dict[str, float] = {}

    def job(self, agent: str, kind: str, key: str | None = None) -> Job | None:
        return self.runner.new(self.pick.job(len(self.runner.jobs) + 1, agent, kind, key))

    def out_of_time(self) -> bool:
        """The random rounds have had their `--seconds` (counted from their start: a tour slowed by a
        loaded machine does not eat the rounds that bring the kills)."""
        return time.monotonic() - self.started > self.args.seconds

    def faults(self, rate: float, retry_after: int = 1) -> None:
        self.site.faults(rate, retry_after, hang_seconds=3.0, slow_seconds=1.5)

    def pass_time(self, seconds: float) -> None:
        self.site.let_time_pass(seconds)

    async def playbook_to_end(self, job: Job, agents: tuple[str, ...] = ("A",), rounds: int = 8) -> None:
        """Resume a partner SOP until it is done, letting the other teams answer in between."""
        for n in range(rounds):
            if job.finished:
                return
            job.agent = agents[n % len(agents)]
            await self.runner.run(job)
            self.pass_time(25)
            await asyncio.sleep(0.3)

    # -- the tour: every write path on purpose ------------------------------------------------
    def twin(self, job: Job | None, agent: str = "B") -> Job | None:
        """The same job for the other agent, on the same ticket at the same moment."""
        if job is None:
            return None
        return self.runner.new(Job(len(self.runner.jobs) + 1, agent, job.kind, job.key, dict(job.task), pair=job.n))

    async def tour(self) -> None:
        r, s = self.runner, self.site
        a_faults = s.agents[0].sb.faults
        s.calm()
        onboarding = self.job("A", "playbook:everbright-onboarding", s.new_onboarding(with_approval_ticket=True))
        partner = self.job("B", "playbook:channel-partner")
        assert onboarding is not None and partner is not None
        reply, note = self.job("A", "reply_public"), self.job("A", "reply_internal")
        cs_lost = self.job("B", "cs")
        held = self.job("A", "playbook:triage", s.new_messy(assignee="557058:sam-okafor"))
        b_faults = s.agents[1].sb.faults

        async def lost_reply() -> None:
            # A public reply whose answer is lost: the app finds it, or says it does not know; never posts twice.
            a_faults.inject("drop", path_glob="*/comment", method="POST")
            await r.pair(reply, self.job("B", "assign_to"))

        async def refused_note() -> None:
            # An internal note refused outright (a redirect is never followed): its draft stays for the retry.
            a_faults.inject("redirect", path_glob="*/comment", method="POST")
            await r.pair(note, self.job("B", "request_type"))

        async def cs_tickets() -> None:
            # A CS ticket killed while its link is held; another whose creation's answer is lost.
            b_faults.inject("drop", path_glob="/rest/api/2/issue", method="POST")
            await r.pair(self._with(self.job("A", "cs"), "POST /rest/api/2/issueLink"), cs_lost, kill_a="hang")

        async def rate_limited() -> None:
            # A 429 (Retry-After 2 s) on the job's read of its ticket: the app waits it out, and so does the
            # queue refreshed right after; the colleague (another user, with a limit of her own) goes on.
            a_faults.configure(retry_after=2)
            a_faults.inject("429", path_glob="/rest/api/2/issue/*", method="GET")
            await r.pair(self.job("A", "assign"), self.job("B", "take_over"))
            await self.procs["A"].ask("refresh", 30)
            a_faults.configure(retry_after=1)

        steps = [
            rate_limited,
            lost_reply,
            refused_note,
            lambda: r.pair(note, self.job("B", "reply_internal")),
            # Both agents apply the onboarding SOP to the same ticket at the same moment.
            lambda: r.pair(onboarding, self.twin(onboarding)),
            cs_tickets,
            # `x`: the question, then the confirm listing every write; killed while its status move is held.
            lambda: r.pair(self._with(self._closing(self.job("A", "non_platform")), "POST */transitions"), partner,
                           kill_a="hang"),
            # A reply killed after Jira answered its comment (the read that follows is held): its draft is
            # still there; sent again, it is found in Jira first and never posted twice.
            lambda: r.pair(self._read_after_send(self.job("A", "reply_public")), partner, kill_a="hang"),
            lambda: r.pair(self.job("A", "close"), partner),
            # Triage on a colleague's ticket (the decision, with a question naming him), killed while one of
            # its field edits is held; non-platform by the panel (its question answered from the list).
            lambda: r.pair(self._with(held, "PUT /rest/api/2/issue/SS-*"), self.job("B", "playbook:non-platform"),
                           kill_a="hang"),
            # Both agents press `c` on the same ticket, then `a` on the same unassigned ticket (one killed
            # while its assignment is held), then `x` with the same answer on the same ticket.
            lambda: self._both("cs"),
            lambda: self._both("assign", kill_a="hang"),
            lambda: self._both("non_platform"),
        ]
        for step in steps:
            await step()
            if await self.check_early():
                return
        # The partner SOPs to the end, the onboarding one killed while its comment on the CS ticket is held.
        for _ in range(8):
            if onboarding.finished and partner.finished:
                break
            self.pass_time(25)
            await asyncio.sleep(0.3)
            if not any(a.kill == "hang" and "CS-" in a.detail for a in onboarding.attempts):
                onboarding.task["_kill_glob"] = "POST /rest/api/2/issue/CS-*/comment"
            await r.pair(onboarding if not onboarding.finished else None, partner if not partner.finished else None,
                         kill_a="hang" if "_kill_glob" in onboarding.task else None)
            onboarding.task.pop("_kill_glob", None)
            if await self.check_early():
                return

    def _closing(self, job: Job | None) -> Job | None:
        """`x` answered "not about the platform", closed with one of the SOP's statuses."""
        if job is not None:
            job.task["pick"] = self.rnd.choice([a for a in X_ANSWERS if a.startswith("close")])
        return job

    @staticmethod
    def _read_after_send(job: Job | None) -> Job | None:
        """The hang aimed at the ticket's read once the reply is typed: the first after its send."""
        if job is not None:
            job.task["_kill_glob"] = f"GET /rest/api/2/issue/{job.key}"
            job.task["_hang_after_typed"] = True
        return job

    @staticmethod
    def _with(job: Job | None, kill_glob: str) -> Job | None:
        if job is not None:
            job.task["_kill_glob"] = kill_glob
        return job

    async def _both(self, kind: str, kill_a: str | None = None) -> None:
        first = self.job("A", kind)
        await self.runner.pair(first, self.twin(first), kill_a=kill_a)

    # -- random work under every fault ---------------------------------------------------------
    async def random_rounds(self, min_kills: int, max_rounds: int) -> None:
        r = self.runner
        r.kill_rate = 0.6 if self.args.quick else 0.3
        self.started = time.monotonic()
        sopish = [k for k in KINDS if k.startswith("playbook:")]
        plain = [k for k in KINDS if not k.startswith("playbook:")]
        for n in range(max_rounds):
            if self.out_of_time() or (r.kills >= min_kills and n >= (4 if self.args.quick else 10)) or self.early_stop:
                break
            phase = self.rnd.random()
            if phase < 0.1:
                self.faults(0.02, retry_after=120)
            elif phase < 0.3:
                self.site.calm()
            else:
                self.faults(self.rnd.choice((0.01, 0.02, 0.04)), retry_after=self.rnd.choice((1, 1, 2)))
            todo = [j for j in r.jobs if j.needs_retry()]
            picks: list[Job | None] = []
            for agent in ("A", "B"):
                mine = [j for j in todo if j.agent == agent and j not in picks]
                if mine and self.rnd.random() < 0.5:
                    picks.append(self.rnd.choice(mine))
                else:
                    picks.append(self.job(agent, self.rnd.choice(sopish if self.rnd.random() < 0.25 else plain)))
            if self.rnd.random() < 0.15 and picks[0] is not None and picks[0].kind in ("assign", "cs", "take_over") \
                    and not picks[0].attempts:
                a = picks[0]
                picks[1] = Job(len(r.jobs) + 1, "B", a.kind, a.key, dict(a.task), pair=a.n)
                r.jobs.append(picks[1])
            await r.pair(picks[0], picks[1])
            self.pass_time(self.rnd.choice((5, 15, 30)) + (130 if self.site.agents[0].retry_after > 60 else 0))
            if await self.check_early():
                return

    async def check_early(self) -> bool:
        """--fail-fast: the checks so far (both apps idle between steps); True to stop here."""
        if not self.args.fail_fast:
            return False
        opened = []
        for p in self.procs.values():
            life = p.lives[-1] if p.lives else None
            if life is not None and life.journal_to is None:
                life.journal_to, life.audit_to, life.killed = p.agent.sb.journal.mark(), len(p.audit_lines()), True
                opened.append(life)
        try:
            v = self.verdict(final=False)
        finally:
            for life in opened:
                life.journal_to = life.audit_to = None
                life.killed = False
        hard = [n for n in v.failed if n not in ("kills", "every write path driven", "unknown outcomes settled",
                                                 "stale banner")]
        if hard:
            self.early_stop = ", ".join(hard)
        return bool(hard)

    # -- faults stop: everything left is tried again ---------------------------------------------
    async def finish(self) -> None:
        r = self.runner
        r.kill_rate = 0.0
        self.site.calm()
        for _ in range(10):
            todo = [j for j in r.jobs if j.needs_retry()]
            if not todo:
                break
            by_agent = {a: [j for j in todo if j.agent == a] for a in ("A", "B")}

            async def work(agent: str, jobs: list[Job]) -> None:
                for j in jobs:
                    await r.run(j)

            await asyncio.gather(*(work(a, js) for a, js in by_agent.items()))
            self.pass_time(25)
            await asyncio.sleep(0.3)
        for p in self.procs.values():
            if not p.alive:
                await r.restart(p)
        fresh = True
        for p in self.procs.values():
            ev = await p.ask("refresh", 60)
            fresh = fresh and ev is not None and ev.get("stale") is False
            self.stale_misses += int(ev.get("stale_misses", 0)) if ev else 0
        self.fresh = fresh

    def verdict(self, final: bool = True) -> Verdict:
        return verdict(self.site, list(self.procs.values()), self.runner.jobs, kills=self.runner.kills,
                       min_kills=self.args.min_kills, harness=self.runner.harness, stale_misses=self.stale_misses,
                       fresh=self.fresh if final else True, quick=self.args.quick)

    async def main(self) -> Verdict:
        for p in self.procs.values():
            await self.runner.restart(p)
        try:
            t0 = time.monotonic()
            await self.tour()
            t1 = time.monotonic()
            if not self.early_stop:
                await self.random_rounds(self.args.min_kills, self.args.rounds)
            t2 = time.monotonic()
            if not self.early_stop:
                await self.finish()
            self.phases = {"tour": t1 - t0, "random rounds": t2 - t1, "faults off, retries": time.monotonic() - t2}
        finally:
            for p in self.procs.values():
                if self.early_stop:
                    await p.kill()
                else:
                    await p.stop()
        return self.verdict(final=not self.early_stop)


def dump(soak: Soak, path: Path) -> None:
    with path.open("w") as out:
        for j in soak.runner.jobs:
            out.write(json.dumps({"job": j.n, "agent": j.agent, "kind": j.kind, "key": j.key, "task": j.task,
                                  "finished": j.finished, "attempts": [
                                      {**{k: v for k, v in vars(a).items() if k not in ("started", "ended")},
                                       "started": str(a.started), "ended": str(a.ended)} for a in j.attempts]},
                                 default=str) + "\n")
        for p in soak.procs.values():
            for life in p.lives:
                out.write(json.dumps({"agent": p.agent.name, "life": vars(life)}) + "\n")
            for e in p.agent.sb.journal:
                out.write(json.dumps({"agent": p.agent.name, **e.as_dict()}, default=str) + "\n")
            for n, line in enumerate(p.audit_lines()):
                out.write(json.dumps({"agent": p.agent.name, "audit": n, **line}) + "\n")


def _kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in FAULT_KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"unknown fault kinds {unknown}; known: {', '.join(FAULT_KINDS)}")
    return kinds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI: the tour, a few random rounds, at least 6 kills")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--rounds", type=int, help="random rounds at most")
    ap.add_argument("--min-kills", type=int, help="SIGKILLs the run must reach")
    ap.add_argument("--seconds", type=float, help="time bound for the random rounds")
    ap.add_argument("--fail-fast", action="store_true", help="stop at the first failed check")
    ap.add_argument("--faults", type=_kinds, default=FAULT_KINDS,
                    help=f"the fault kinds of the random work, comma-separated (default: all, {','.join(FAULT_KINDS)})")
    ap.add_argument("--json", help="also write the verdict here (the self-test reads it)")
    ap.add_argument("--dump", help="write every job, attempt and request here (JSON lines), to look into a failure")
    args = ap.parse_args()
    args.rounds = args.rounds or (30 if args.quick else 400)
    args.min_kills = args.min_kills if args.min_kills is not None else (6 if args.quick else 50)
    args.seconds = args.seconds or (120 if args.quick else 2400)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="queue-tui-soak-") as tmp:
        soak = Soak(args, Path(tmp))
        print(f"soak: {'quick' if args.quick else 'full'}, seed {args.seed}; agents: {describe(soak.site)}"
              + ("" if args.faults == FAULT_KINDS else f"; faults: {', '.join(args.faults)}"))
        try:
            v = asyncio.run(soak.main())
        finally:
            if args.dump:
                dump(soak, Path(args.dump))
            soak.site.stop()
        packages = {p.package for p in soak.procs.values()}
    print(f"app package: {', '.join(sorted(packages))}")
    print("\n".join(v.lines))
    took = time.monotonic() - began
    starts = soak.runner.restarts
    print(f"app starts: {len(starts)}, queue on screen after {sum(starts) / max(1, len(starts)):.2f} s on average")
    if soak.early_stop:
        print(f"stopped early at the first failed check: {soak.early_stop}")
    print(f"seconds: {took:.0f} ({', '.join(f'{k} {v:.0f}' for k, v in soak.phases.items())})")
    print("soak: PASS" if not v.failed else f"soak: FAIL ({', '.join(v.failed)})")
    if args.json:
        Path(args.json).write_text(json.dumps({"failed": v.failed, "figures": v.figures, "packages": sorted(packages),
                                               "early_stop": soak.early_stop}))
    return 0 if not v.failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
