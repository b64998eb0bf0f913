"""Running jobs on the agents' apps, and killing the apps while they work.

An attempt sends a job's task to its agent's app and waits for the answer, unless the soak kills
the app first:
- `hang`: a hang is aimed at one of the job's writes; once Jira has applied it (and holds the
  answer back), SIGKILL: the app dies not knowing its write happened. Aimed at the read that
  follows a reply's send (armed once the reply is typed): the app dies knowing, before it drops
  the draft;
- `after-write`: SIGKILL as soon as one of the job's writes has been answered, before whatever
  the app meant to do next (the progress record, the note, dropping the draft);
- `timed`: SIGKILL at a random moment of the job.
After a kill the app starts again with the same home folder and the agent retries the same job.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

from soaklib.proc import AgentProc
from soaklib.tasks import WRITE_GLOBS, Attempt, Job
from soaklib.world import Site

KILL_MODES = ("hang", "after-write", "timed")


@dataclass
class Runner:
    site: Site
    procs: dict[str, AgentProc]
    rnd: random.Random
    kill_rate: float = 0.0
    jobs: list[Job] = field(default_factory=list)
    kills: int = 0
    restarts: list[float] = field(default_factory=list)  # seconds from start to the queue on screen
    harness: list[str] = field(default_factory=list)

    def new(self, job: Job | None) -> Job | None:
        if job is not None:
            self.jobs.append(job)
        return job

    async def run(self, job: Job, kill: str | None = None, tries: int = 4) -> Job:
        """The job, retried at once after each kill (as the agent would once the app is back)."""
        for n in range(tries):
            if job.finished:
                break
            mode = kill if n == 0 else None
            if mode is None and self.kill_rate and self.rnd.random() < self.kill_rate / (n + 1):
                mode = self.rnd.choice(KILL_MODES)
            a = await self.attempt(job, mode)
            if a.outcome not in ("killed", "crashed"):
                break
        return job

    async def attempt(self, job: Job, kill: str | None) -> Attempt:
        p = self.procs[job.agent]
        if not p.alive:
            await self.restart(p)
        sb = p.agent.sb
        a = Attempt(life=len(p.lives), started=self.site.clock.now(), mark=sb.journal.mark())
        began = time.monotonic()
        job.attempts.append(a)
        task: dict[str, Any] = dict(job.task)
        if job.typed:
            task["expect_draft"] = True
        if job.kind == "cs" or job.family == "playbook":  # a CS ticket made by an earlier try is linked, not made again
            from soaklib.tasks import Picker

            task["link_key"] = Picker(self.site, self.rnd).linked_cs(job.key)
        glob = None
        armed = kill != "hang" or not job.task.get("_hang_after_typed")
        if kill == "hang":
            glob = str(job.task.get("_kill_glob") or self.rnd.choice(WRITE_GLOBS[job.family]))
        method, _, path_glob = (glob or "").partition(" ")
        if glob is not None and armed:
            sb.faults.inject("hang", path_glob=path_glob, method=method, times=1)
        n = p.send(task)

        def answer(e: dict[str, Any]) -> bool:
            nonlocal armed
            if e.get("ev") == "typed" and e.get("id") == n:
                job.typed = True
                if not armed:  # the reads before the composer are done: hold the first one after the send
                    sb.faults.inject("hang", path_glob=path_glob, method=method, times=1)
                    armed = True
            if e.get("ev") == "confirm" and e.get("id") == n:
                a.confirms.append((str(e.get("question")), bool(e.get("yes"))))
            return (e.get("id") == n and e.get("ev") == "done") or e.get("ev") == "exit"

        waiting = asyncio.create_task(p.wait_for(answer, 400))
        killer = asyncio.create_task(self._killer(p, kill, a.mark, method == "GET")) if kill else None
        pending = {waiting} | ({killer} if killer else set())
        done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        if killer is not None and killer in done and killer.result():
            waiting.cancel()
            await p.kill()
            sb.faults.release_hangs()
            self.site.drop_aims(p.agent)
            self.kills += 1
            a.outcome, a.kill, a.ended = "killed", kill or "", self.site.clock.now()
            a.detail = f"SIGKILL ({kill}{' at ' + glob if glob else ''})"
            a.seconds = time.monotonic() - began
            if self._reply_done(p, job):
                # The kill came after the app had sent the reply, said so and dropped its draft: done.
                job.finished = True
                a.detail += "; the reply was already sent and its draft dropped"
            await self.restart(p)
            return a
        if killer is not None:
            killer.cancel()
        if glob is not None:
            self.site.drop_aims(p.agent)
        ev = await waiting if waiting in done else None
        a.ended = self.site.clock.now()
        a.seconds = time.monotonic() - began
        if ev is None:
            a.outcome, a.detail = "stuck", "no answer from the agent's app"
            await p.kill()
            await self.restart(p)
        elif ev.get("ev") == "exit":
            a.outcome, a.detail = "crashed", f"the app exited ({ev.get('code')})"
            await self.restart(p)
        else:
            a.outcome = str(ev.get("outcome"))
            a.detail = str(ev.get("detail") or "")
            a.notices = list(ev.get("notices") or [])
            a.draft = ev.get("draft")
            a.applies = list(ev.get("applies") or [])
            if a.outcome == "harness error":
                self.harness.append(f"job {job.n} {job.kind} {job.key}: {a.detail}\n{ev.get('trace', '')}")
        if a.outcome == "missing" and job.kind.startswith(("playbook:", "close", "non_platform")) \
                and self._resolved(job.key):
            # Closed by this job before a kill, or by a colleague's run of the same SOP: nothing left to do.
            a.outcome = "done" if job.kind.startswith("playbook:") else "closed"
            a.detail = "the ticket is closed"
        job.finished = a.outcome in ("confirmed", "nothing", "done", "declined", "blocked", "closed")
        return a

    def _reply_done(self, p: AgentProc, job: Job) -> bool:
        """A reply whose draft is gone and whose comment is on the ticket: the app finished before the
        kill (it sent it, or found it sent by an earlier life) and dropped the draft, as it should. A
        draft still there means it did not, and the retry must find the comment; a draft gone with
        no comment on the ticket is lost, and the retry says so."""
        if job.task.get("do") != "reply" or (p.home / "state" / "drafts" / f"{job.key}.json").exists():
            return False
        text = str(job.task.get("text"))
        with self.site.world.lock:
            issue = self.site.world.issues.get(job.key)
            return issue is not None and any(text in c.body and c.author == p.agent.account_id for c in issue.comments)

    def _resolved(self, key: str) -> bool:
        with self.site.world.lock:
            issue = self.site.world.issues.get(key)
            return issue is not None and issue.resolution is not None

    async def _killer(self, p: AgentProc, mode: str | None, mark: int, held_read: bool = False) -> bool:
        """Waits for the moment to kill; True when it came (`held_read`: the hang is aimed at a read)."""
        sb = p.agent.sb
        if mode == "timed":
            await asyncio.sleep(self.rnd.uniform(0.05, 1.0))
            return True
        end = time.monotonic() + 60
        while time.monotonic() < end:
            for e in sb.journal.requests(since=mark):
                if mode == "hang" and e.fault == "hang" and e.applied and (e.is_write or held_read):
                    return True
                if mode == "after-write" and e.is_write and e.applied and e.status is not None \
                        and e.path.startswith("/rest/"):
                    return True
            await asyncio.sleep(0.005)
        return False

    async def restart(self, p: AgentProc) -> None:
        if p.alive:
            await p.kill()
        for _ in range(3):
            try:
                self.restarts.append(await p.start())
                return
            except RuntimeError as exc:
                self.harness.append(str(exc))
                await p.kill()
        raise RuntimeError(f"agent {p.agent.name} would not start again")

    async def pair(self, a: Job | None, b: Job | None, kill_a: str | None = None, kill_b: str | None = None) -> None:
        """Both agents at the same moment."""
        await asyncio.gather(*[self.run(j, k) for j, k in ((a, kill_a), (b, kill_b)) if j is not None])
