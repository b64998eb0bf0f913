"""An agent at the keyboard: each task pressed as keys into the real app (Textual's Pilot), each
question answered as the task says, and the outcome read from what the app told the agent.

Keys come from the command registry by id, so a remapped default follows. The outcome of a task
is what the agent saw: an error notice saying the outcome is unknown ("check ... before trying
again") is `unknown`, any other error notice is `failed`, a notice of something done is
`confirmed`, and none of those is `nothing` (already done, nothing to apply, declined).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from queue_tui.ui.commands import BY_ID

# Workers that run by themselves, not because of the agent's key: a task is over without them.
BACKGROUND = frozenset({"poll", "closing", "cache", "connect", "picker-search", "playbook-load", "desk", "detail"})
UNKNOWN = re.compile(r"may or may not|outcome is unknown|before trying again|could not be asked", re.I)
DONE_WORDS = re.compile(r"^[A-Z][A-Z0-9]*-\d+: \w|assigned to|reply added|note added|closed \(|request type|created and linked|linked to|"
                        r"applied: (?!nothing)|internal note|tick", re.I)
ALERT_TITLES = {"New ticket", "Under 30 min", "SLA breached", "Unassigned", "Changed", "Queue"}
ALERT_GROUPS = re.compile(r"^\d+ (new tickets|tickets under 30 min|SLAs breached|tickets unassigned too long|"
                          r"of your tickets changed)$")
PANEL_DONE = ("met", "done", "skip")


def field_of(p: Any) -> str:
    return str(getattr(p.step.spec, "field", "") or "")


def key_of(command_id: str) -> str:
    return BY_ID[command_id].key.split(",")[0]


def keys_for(text: str) -> list[str]:
    names = {" ": "space", "-": "minus", ".": "full_stop", ":": "colon", ",": "comma", "'": "apostrophe",
             "&": "ampersand", "/": "slash", "?": "question_mark", "(": "left_parenthesis", ")": "right_parenthesis"}
    return [names.get(ch, ch) for ch in text]


@dataclass
class Notice:
    seq: int
    severity: str
    title: str
    message: str

    @property
    def alert(self) -> bool:
        return self.title in ALERT_TITLES or bool(ALERT_GROUPS.match(self.title))


@dataclass
class Result:
    outcome: str = "nothing"
    notices: list[str] = field(default_factory=list)
    confirms: list[tuple[str, bool]] = field(default_factory=list)
    draft: str | None = None
    detail: str = ""
    applies: list[str] = field(default_factory=list)  # playbook: each apply's outcome, in order

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "notices": self.notices[-12:], "confirms": self.confirms, "draft": self.draft,
                "detail": self.detail, "applies": self.applies}


class Driver:
    def __init__(self, app: Any, pilot: Any, notices: list[Notice], emit: Any) -> None:
        self.app = app
        self.pilot = pilot
        self.notices = notices
        self.emit = emit
        self.stale_misses = 0

    # -- looking at the app -----------------------------------------------------------------
    @property
    def queue(self) -> Any:
        from queue_tui.ui.screens.queue import QueueScreen

        return next(s for s in self.app.screen_stack if isinstance(s, QueueScreen))

    @staticmethod
    def polls(q: Any) -> int:
        return int(getattr(q, "feed", q).polls)

    @staticmethod
    def poller(q: Any) -> Any:
        return getattr(getattr(q, "feed", q), "poller", None)

    def busy(self) -> bool:
        return any(w.group not in BACKGROUND and w.state.name in ("PENDING", "RUNNING") for w in self.app.workers)

    def top(self) -> str:
        return type(self.app.screen).__name__

    async def until(self, cond: Any, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await self.pilot.pause(0.02)
            if cond():
                return True
        return False

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    async def connected(self, seconds: float = 60) -> bool:
        def ready() -> bool:
            try:
                q = self.queue
            except StopIteration:
                return False
            return self.polls(q) >= 1 and bool(q.table.row_count)
        return await self.until(ready, seconds)

    def watch_stale(self) -> None:
        """A failed poll must show the stale banner: sampled between tasks (a poll sets both at once)."""
        try:
            q = self.queue
        except StopIteration:
            return
        poller = self.poller(q)
        if poller is not None and poller.error is not None and not q.stale:
            self.stale_misses += 1

    async def at_ticket(self, key: str) -> bool:
        """The cursor on `key` in the first tab (all open tickets), refreshing once or twice if it is new."""
        q = self.queue
        for _ in range(3):
            if self.top() == "QueueScreen":
                break
            self.notices.append(Notice(-1, "warning", "soak", f"left open before the task: {self.top()}"))
            await self.press("escape")
            await self.pilot.pause(0.1)
        if self.top() != "QueueScreen":
            return False
        for _ in range(4):
            if key in q.table.tickets:
                q.table.cursor_to(key)
                return await self.until(lambda: (t := q.table.current_ticket()) is not None and t.key == key, 3)
            polls = self.polls(q)
            await self.press(key_of("refresh"))
            await self.until(lambda p=polls: self.polls(q) > p and not self.busy(), 8)
        return False

    # -- answering the app ------------------------------------------------------------------
    async def settle(self, task: dict[str, Any], result: Result, seconds: float = 90) -> bool:
        """Answer every question the flow asks as the task says, until it is over."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await self.pilot.pause(0.03)
            name = self.top()
            if name == "ConfirmScreen":
                await self.confirm(task, result)
            elif name == "PickerScreen":
                await self.pick(task, str(task.get("pick", "")))
            elif name == "RequestTypeScreen":
                await self.pick(task, str(task.get("rtype", "")), request_type=True)
            elif name == "CsFormScreen":
                screen = self.app.screen
                await self.press(key_of("cs_create"))
                if await self.until(lambda s=screen: self.app.screen is not s, 3) is False:
                    result.detail = "the CS form did not accept the draft"
                    await self.press(key_of("cs_cancel"))
            elif name == "ExistingCsScreen":
                await self.existing_cs(task, result)
            elif name == "ReplyScreen":
                await self.press(key_of("reply_close"))
            elif name == "QueueScreen" and not self.busy():
                await self.pilot.pause(0.05)
                if self.top() == "QueueScreen" and not self.busy():
                    return True
            elif name not in ("QueueScreen",):
                result.detail = f"unexpected screen {name}"
                await self.press("escape")
        return False

    async def confirm(self, task: dict[str, Any], result: Result) -> None:
        screen = self.app.screen
        question = screen.question.plain
        if question.startswith("Take over?"):
            yes = bool(task.get("take_over"))
        elif question.startswith("Replace"):
            yes = bool(task.get("decide"))
        else:
            yes = True
        result.confirms.append((question[:300], yes))
        self.emit({"ev": "confirm", "id": task.get("id"), "question": question[:300], "yes": yes})
        await self.press(key_of("confirm_yes" if yes else "confirm_no"))
        await self.until(lambda: self.app.screen is not screen, 3)

    async def pick(self, task: dict[str, Any], text: str, request_type: bool = False) -> None:
        screen = self.app.screen
        if text:
            await self.press(*keys_for(text))
        if request_type:
            found = await self.until(lambda: screen.selected() is not None, 5)
        else:
            found = await self.until(lambda: screen.query_one("#options").option_count > 0 and not any(
                w.group == "picker-search" and w.state.name in ("PENDING", "RUNNING") for w in screen.workers), 8)
        await self.press("enter" if found else key_of("picker_cancel"))
        if not found:
            self.notices.append(Notice(-1, "error", "soak", f"nothing to pick for '{text}'"))
        await self.until(lambda: self.app.screen is not screen, 3)

    async def existing_cs(self, task: dict[str, Any], result: Result) -> None:
        screen = self.app.screen
        listed = [t.key for t in screen.tickets]
        wanted = task.get("link_key")
        if wanted in listed:
            ol = screen.query_one("OptionList")
            await self.press("home", *["down"] * listed.index(wanted))
            await self.until(lambda: ol.highlighted == listed.index(wanted), 2)
            await self.press(key_of("existing_link"))
            result.detail = f"linked the existing {wanted}"
        elif task.get("existing") == "new":
            await self.press(key_of("existing_new"))
        else:
            await self.press(key_of("existing_cancel"))
            result.detail = f"left alone: open CS tickets {', '.join(listed)}"
        await self.until(lambda: self.app.screen is not screen, 3)

    # -- reading the outcome ----------------------------------------------------------------
    def outcome(self, since: int, result: Result) -> None:
        said = [n for n in self.notices if n.seq > since and not n.alert]
        said += [n for n in self.notices if n.seq == -1]
        self.notices[:] = [n for n in self.notices if n.seq != -1]
        result.notices = [f"{n.severity}: {n.message}" for n in said]
        errors = [n.message for n in said if n.severity == "error"]
        if any(UNKNOWN.search(m) for m in errors):
            result.outcome = "unknown"
        elif errors:
            result.outcome = "failed"
        elif any(DONE_WORDS.search(n.message) for n in said if n.severity == "information"):
            result.outcome = "confirmed"
        else:
            result.outcome = "nothing"

    def last_seq(self) -> int:
        return max((n.seq for n in self.notices), default=0)

    # -- the tasks ----------------------------------------------------------------------------
    async def run(self, task: dict[str, Any]) -> Result:
        result = Result()
        since = self.last_seq()
        if not await self.at_ticket(str(task["key"])):
            result.outcome, result.detail = "missing", f"{task['key']} is not in the queue"
            return result
        do = task["do"]
        if do == "playbook":
            return await self.playbook(task, result)
        if do == "reply":
            if not await self.reply(task, result):
                self.outcome(since, result)
                return result
        else:
            command = {"assign": "assign_me", "assign_to": "assign_other", "request_type": "request_type",
                       "non_platform": "non_platform", "cs": "create_cs", "close": "close_ticket"}[do]
            await self.press(key_of(command))
        if not await self.settle(task, result):
            result.detail = result.detail or f"still busy on {self.top()}"
            result.outcome = "stuck"
            return result
        self.outcome(since, result)
        return result

    async def reply(self, task: dict[str, Any], result: Result) -> bool:
        await self.press(key_of("reply"))
        if not await self.until(lambda: self.top() == "ReplyScreen" or (not self.busy() and self.top() == "QueueScreen"),
                                20) or self.top() != "ReplyScreen":
            await self.settle(task, result, 10)
            return False
        screen = self.app.screen
        area = screen.query_one("TextArea")
        text = str(task["text"])
        if text in area.text:
            result.draft = "restored"
        else:
            if task.get("expect_draft"):
                result.draft = "missing"
            template = task.get("template")
            if template:
                await self.press(key_of({"probing": "reply_probing", "first_step": "reply_first_step",
                                         "general": "reply_general"}[template]))
            await self.press("ctrl+end", "enter", *keys_for(text))
            await self.until(lambda: text in area.text, 3)
            self.emit({"ev": "typed", "id": task["id"]})
        if bool(screen.public) != bool(task.get("public")):
            await self.press(key_of("reply_toggle"))
            await self.pilot.pause(0.05)
        result.detail = "public" if screen.public else "internal"
        await self.press(key_of("reply_send"))
        return True

    # -- the SOP panel ------------------------------------------------------------------------
    def panel(self) -> Any:
        return self.queue.panel

    async def panel_on(self, key: str, playbook: str | None, fresh: bool = False) -> Any:
        q = self.queue
        if not q.panel_open:
            await self.press(key_of("sop_panel"))
        elif fresh:
            # What the other teams did shows after a poll: `r`, as the agent would, and the panel reloads.
            polls = self.polls(q)
            await self.press(key_of("refresh"))
            await self.until(lambda: self.polls(q) > polls, 10)
        panel = q.panel

        def planned() -> bool:
            ctx = getattr(panel, "ctx", None)
            return bool(panel.plans) and ctx is not None and ctx.ticket.key == key and not any(
                w.group == "playbook-load" and w.state.name in ("PENDING", "RUNNING") for w in self.app.workers)
        for n in range(3):
            if await self.until(lambda: planned() or key not in q.table.tickets, 10) and key in q.table.tickets:
                break
            if key not in q.table.tickets:
                return "missing"
            if "Could not load" in self.head_text(panel):
                if n:  # Jira keeps failing the panel's reads (a long rate limit): the agent sees it and stops
                    return self.head_text(panel)
                # Close the panel and open it again, as the agent would.
                await self.press(key_of("sop_panel"))
                await self.pilot.pause(0.1)
                await self.press(key_of("sop_panel"))
        else:
            return None
        if playbook and panel.pb is not None and panel.pb.id != playbook:
            await self.press(key_of("pb_pick"))
            if await self.until(lambda: self.top() == "PickerScreen", 5):
                name = getattr(self.app, "services", self.app).playbooks[playbook].name
                await self.pick({}, name)
            if not await self.until(lambda: panel.pb is not None and panel.pb.id == playbook and planned(), 20):
                return None
        panel.focus_steps()
        await self.pilot.pause(0.05)
        return panel

    @staticmethod
    def head_text(panel: Any) -> str:
        head = panel.query_one("#pb-head")
        content = getattr(head, "content", None) or getattr(head, "renderable", "")
        return str(getattr(content, "plain", content))

    async def highlight(self, panel: Any, step_id: str) -> bool:
        ids = [p.step.id for p in panel.plans]
        if step_id not in ids:
            return False
        await self.press("home", *["down"] * ids.index(step_id))
        return await self.until(lambda: panel.selected() is not None and panel.selected().step.id == step_id, 2)

    async def playbook(self, task: dict[str, Any], result: Result) -> Result:
        """Apply the playbook as far as it goes now: apply-all for the plain changes, one key for a
        suggestion or a decision, the CS form for the CS ticket, a tick for a manual step once its
        turn comes; stop at a wait, a blocked step or the first failure."""
        key = str(task["key"])
        ticked: set[str] = set()
        stalled: set[str] = set()
        fixed: set[str] = set()
        for _round in range(int(task.get("rounds", 12))):
            panel = await self.panel_on(key, task.get("playbook"), fresh=_round == 0 or bool(stalled))
            if panel == "missing":
                result.outcome, result.detail = "missing", f"{key} left the queue"
                return result
            if isinstance(panel, str):
                result.outcome, result.detail = "failed", panel[:200]
                result.notices.append(f"error: {panel[:200]}")
                return result
            if panel is None:
                p = self.queue.panel
                ctx = getattr(p, "ctx", None)
                result.outcome = "stuck"
                result.detail = (f"the SOP panel never showed the plan: it shows {ctx.ticket.key if ctx else None} "
                                 f"({p.pb.id if p.pb else None}); header: {self.head_text(p)[:160]!r}; cursor on "
                                 f"{getattr(self.queue.table.current_ticket(), 'key', None)}; top {self.top()}")
                return result
            result.detail = panel.pb.id if panel.pb else ""
            plans = list(panel.plans)
            nxt = next((p for p in plans if str(p.status) not in PANEL_DONE and p.step.id not in ticked), None)
            if nxt is None:
                result.outcome = "done"
                return result
            status = str(nxt.status)
            since = self.last_seq()
            step = Result()
            if status == "waiting":
                result.outcome = "waiting"
                result.detail += f": waiting at {nxt.step.id}"
                return result
            if status == "blocked" and (field_of(nxt) not in (task.get("fix") or {}) or nxt.step.id in fixed):
                result.outcome = "blocked"
                result.detail += f": {nxt.step.id}: {nxt.problem}"
                return result
            if status == "manual":
                await self.highlight(panel, nxt.step.id)
                await self.press(key_of("pb_tick"))
                ticked.add(nxt.step.id)
            elif status in ("todo", "blocked") and nxt.op is None and field_of(nxt) in (task.get("fix") or {}) \
                    and nxt.step.id not in fixed:
                # A value the agent chooses (the customer as reporter, the organization): `e` and pick it.
                await self.highlight(panel, nxt.step.id)
                await self.press(key_of("pb_fix"))
                fixed.add(nxt.step.id)
                if await self.until(lambda: self.top() == "PickerScreen", 5):
                    await self.pick(task, str(task["fix"][field_of(nxt)]))
            elif status == "todo" and type(nxt.op).__name__ != "CreateCs":
                await self.press(key_of("pb_apply_all"))
            elif status in ("todo", "suggested", "decide"):
                if status == "decide" and not task.get("decide"):
                    result.outcome = "declined"
                    result.detail += f": left {nxt.step.id} to its owner"
                    return result
                await self.highlight(panel, nxt.step.id)
                await self.press(key_of("pb_apply_step"))
            else:
                result.outcome, result.detail = "stuck", f"{nxt.step.id} is {status}"
                return result
            ok = await self.settle(task, step)
            result.confirms += step.confirms
            self.outcome(since, step)
            result.notices += step.notices
            result.applies.append(f"{nxt.step.id}:{step.outcome}")
            if not ok:
                result.outcome, result.detail = "stuck", step.detail or f"still busy at {nxt.step.id}"
                return result
            if step.outcome in ("failed", "unknown"):
                result.outcome = step.outcome
                return result
            if status == "todo" and step.outcome == "nothing" and nxt.step.id in stalled:
                result.outcome = "blocked"
                result.detail += (f": {nxt.step.id} stays to do ({nxt.problem or 'nothing applied'}); plan: "
                                  + ", ".join(f"{p.step.id}={p.status}" for p in plans))
                return result
            if status == "todo" and step.outcome == "nothing":
                stalled.add(nxt.step.id)
        result.outcome = "stuck"
        result.detail += ": too many rounds"
        return result
