"""An agent's app as a process of its own: started, sent tasks, killed with SIGKILL, started again.

Its QUEUE_TUI_HOME stays across restarts (drafts, progress, the audit log survive, as on the
agent's computer). Each life is numbered; the soak notes which requests and audit lines each
life made.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soaklib.world import Agent

AGENT_SCRIPT = Path(__file__).resolve().parents[1] / "soak_agent.py"


@dataclass
class Life:
    n: int
    journal_from: int  # the journal's mark when this life started
    audit_from: int  # audit lines written before this life
    killed: bool = False
    journal_to: int | None = None
    audit_to: int | None = None


@dataclass
class AgentProc:
    agent: Agent
    home: Path
    clock_file: Path
    timeout: float
    poll: float
    proc: asyncio.subprocess.Process | None = None
    lives: list[Life] = field(default_factory=list)
    events: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    package: str = ""
    stderr_tail: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None
    _seq: int = 0

    @property
    def audit_path(self) -> Path:
        return self.home / "state" / "audit.jsonl"

    def audit_lines(self) -> list[dict[str, Any]]:
        if not self.audit_path.exists():
            return []
        out = []
        for line in self.audit_path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append({"action": "?", "key": "?", "detail": line[:80], "ok": False, "note": "unreadable line"})
        return out

    async def start(self) -> float:
        """Start a life; returns the seconds until the queue was on screen."""
        began = time.monotonic()
        env = {**os.environ, "QUEUE_TUI_HOME": str(self.home), "SOAK_TOKEN": self.agent.token,
               "TEXTUAL_ANIMATIONS": "none"}
        self.lives.append(Life(len(self.lives) + 1, self.agent.sb.journal.mark(), len(self.audit_lines())))
        self.events = asyncio.Queue()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, str(AGENT_SCRIPT), "--url", self.agent.sb.base_url, "--email", self.agent.email,
            "--clock", str(self.clock_file), "--timeout", str(self.timeout), "--poll", str(self.poll),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
            limit=2**22)
        self._reader = asyncio.create_task(self._read(self.proc))
        asyncio.create_task(self._read_err(self.proc))
        ev = await self.wait_for(lambda e: e.get("ev") in ("ready", "error", "exit"), 180)
        if ev is None or ev.get("ev") != "ready":
            raise RuntimeError(f"agent {self.agent.name} did not start: {ev}; stderr: {' | '.join(self.stderr_tail[-5:])}")
        self.package = str(ev.get("package"))
        return time.monotonic() - began

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        while True:
            line = await proc.stdout.readline()
            if not line:
                break
            text = line.decode(errors="replace").rstrip("\n")
            if text.startswith("@@soak "):
                await self.events.put(json.loads(text[7:]))
        code = await proc.wait()
        if proc is self.proc:
            await self.events.put({"ev": "exit", "code": code})

    async def _read_err(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        while True:
            line = await proc.stderr.readline()
            if not line:
                break
            self.stderr_tail = (self.stderr_tail + [line.decode(errors="replace").rstrip()])[-40:]

    async def wait_for(self, match: Any, seconds: float) -> dict[str, Any] | None:
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                ev = await asyncio.wait_for(self.events.get(), left)
            except TimeoutError:
                return None
            if ev.get("ev") == "exit" and not match(ev):
                self.crashes.append(f"life {len(self.lives)} exited with {ev.get('code')}: "
                                    + " | ".join(self.stderr_tail[-3:]))
                return ev
            if ev.get("ev") == "error":
                self.crashes.append(f"life {len(self.lives)}: {ev.get('detail')}")
            if match(ev):
                return ev

    def send(self, task: dict[str, Any]) -> int:
        assert self.proc is not None and self.proc.stdin is not None
        self._seq += 1
        self.proc.stdin.write((json.dumps({**task, "id": self._seq}) + "\n").encode())
        return self._seq

    async def ask(self, do: str, seconds: float = 30) -> dict[str, Any] | None:
        n = self.send({"do": do})
        return await self.wait_for(lambda e, n=n: e.get("id") == n or e.get("ev") == "exit", seconds)

    async def kill(self) -> None:
        """SIGKILL: no chance to save anything, as a crash or a closed laptop lid."""
        proc = self.proc
        if proc is None:
            return
        self.proc = None
        try:
            proc.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        await proc.wait()
        life = self.lives[-1]
        life.killed = True
        await asyncio.sleep(0.05)  # requests already received are journalled by now
        life.journal_to = self.agent.sb.journal.mark()
        life.audit_to = len(self.audit_lines())

    async def stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        try:
            n = self.send({"do": "quit"})
            await self.wait_for(lambda e, n=n: e.get("ev") == "exit", 30)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
        self.proc = None
        life = self.lives[-1]
        life.journal_to = self.agent.sb.journal.mark()
        life.audit_to = len(self.audit_lines())

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None
