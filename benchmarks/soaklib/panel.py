"""The agent at the SOP panel: a playbook applied through the panel's own keys, as far as it goes now.

`G` shows the preview of apply-all and applies it on one confirm (`y`); `g` confirms a suggestion,
answers a decision (after the question naming the colleague), takes an option or route the task
names (the CS form, a comment that asks for a value, an assignment), and answers a choice step
from the list it opens; `e` picks a value (reporter, organization, channel, how a ticket closes);
space ticks a manual step once its turn comes. Optional steps and routes the task does not name
are left alone, as an agent leaves a route that does not fit; the SOP is done when every other
step is met, done or skipped.
"""

from __future__ import annotations

from typing import Any

from soaklib.keys import Result, key_of

SETTLED = ("met", "done", "skip")


def field_of(p: Any) -> str:
    return str(getattr(p.step.spec, "field", "") or "")


def spec_of(p: Any) -> str:
    return type(p.step.spec).__name__


class PanelKeys:
    """Mixed into the driver, whose `press`, `until`, `settle`, `pick`, `outcome` and `queue` it uses."""

    app: Any
    pilot: Any
    queue: Any

    def panel(self) -> Any:
        return self.queue.panel

    async def panel_on(self, key: str, playbook: str | None, fresh: bool = False) -> Any:
        """The panel open on `key`, planned, with the keys on its steps; "missing" when the ticket
        left the queue, the header's words when Jira keeps failing its reads, None when it never showed."""
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
            return bool(panel.plans) and ctx is not None and ctx.ticket.key == key and panel.ticket is not None \
                and panel.ticket.key == key and not any(
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
                name = self.app.services.playbooks[playbook].name
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

    @staticmethod
    def next_step(plans: list[Any], task: dict[str, Any], done: set[str]) -> Any:
        """The step the agent turns to: a route or option the task names once it is ready, else the
        first step in the SOP's order that is not settled (options, routes and countdowns not named
        are left alone)."""
        take = set(task.get("take") or ())

        def open_(p: Any) -> bool:
            if str(p.status) in SETTLED or p.step.id in done:
                return False
            if p.step.optional:
                return p.step.id in take
            return not (spec_of(p) == "ReminderSpec" and str(p.status) == "waiting")

        ready = next((p for p in plans if p.step.optional and open_(p) and str(p.status) == "option"), None)
        return ready or next((p for p in plans if open_(p)), None)

    async def playbook(self, task: dict[str, Any], result: Result) -> Result:
        """Apply the playbook as far as it goes now; stop at a wait, a blocked step, a decision the task
        leaves to its owner, or the first failure."""
        key = str(task["key"])
        answers: dict[str, str] = dict(task.get("answers") or {})  # step id -> the answer picked from its list
        fix: dict[str, str] = dict(task.get("fix") or {})  # field or step id -> the value picked with e
        done: set[str] = set()  # ticked, taken or answered in this task: not pressed twice
        fixed: set[str] = set()
        stalled: set[str] = set()
        for n in range(int(task.get("rounds", 14))):
            panel = await self.panel_on(key, task.get("playbook"), fresh=n == 0 or bool(stalled))
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
            nxt = self.next_step(plans, task, done)
            if nxt is None:
                result.outcome = "done"
                return result
            sid, status, spec = nxt.step.id, str(nxt.status), spec_of(nxt)
            pick = answers.get(sid) or fix.get(sid) or fix.get(field_of(nxt))
            since = self.last_seq()
            step = Result(finish_asks=result.finish_asks)
            if status == "waiting":
                result.outcome = "waiting"
                result.detail += f": waiting at {sid}"
                return result
            if spec == "ChoiceSpec" and status == "todo":
                if not pick:
                    result.outcome, result.detail = "declined", result.detail + f": {sid} left to its owner"
                    return result
                await self.highlight(panel, sid)  # `g` lists the answers
                await self.press(key_of("pb_apply_step"))
                done.add(sid)
                if await self.until(lambda: self.top() == "PickerScreen", 5):
                    await self.pick(task, pick)
            elif spec == "TransitionSpec" and status == "todo" and pick and sid not in fixed:
                # How it closes (Won't Do until the agent chooses): `e` and pick it, then G applies it.
                await self.highlight(panel, sid)
                await self.press(key_of("pb_fix"))
                fixed.add(sid)
                if await self.until(lambda: self.top() == "PickerScreen", 5):
                    await self.pick(task, pick)
            elif status in ("todo", "blocked") and nxt.op is None and field_of(nxt) in fix and sid not in fixed:
                # A value the agent chooses (the customer as reporter, the organization): `e` and pick it.
                await self.highlight(panel, sid)
                await self.press(key_of("pb_fix"))
                fixed.add(sid)
                if await self.until(lambda: self.top() == "PickerScreen", 5):
                    await self.pick(task, fix[field_of(nxt)])
            elif status == "blocked":
                result.outcome = "blocked"
                result.detail += f": {sid}: {nxt.problem}"
                return result
            elif status == "manual":
                await self.highlight(panel, sid)
                await self.press(key_of("pb_tick"))
                done.add(sid)
            elif status == "todo" and nxt.op is not None and type(nxt.op).__name__ != "CreateCs":
                await self.press(key_of("pb_apply_all"))  # the preview, then `y` (settle answers it)
            elif status in ("todo", "suggested", "decide", "option"):
                if status == "decide" and not task.get("decide"):
                    result.outcome, result.detail = "declined", result.detail + f": left {sid} to its owner"
                    return result
                await self.highlight(panel, sid)
                await self.press(key_of("pb_apply_step"))
                if status == "option" or type(nxt.op).__name__ == "CreateCs":
                    done.add(sid)  # the CS form once per task: a step still open after it waits for the next try
            else:
                result.outcome, result.detail = "stuck", f"{sid} is {status}"
                return result
            ok = await self.settle(task, step)
            result.finish_asks = step.finish_asks
            result.confirms += step.confirms
            self.outcome(since, step)
            result.notices += step.notices
            result.applies.append(f"{sid}:{step.outcome}")
            if not ok:
                result.outcome, result.detail = "stuck", step.detail or f"still busy at {sid}"
                return result
            if step.outcome in ("failed", "unknown"):
                result.outcome = step.outcome
                return result
            if status == "todo" and step.outcome == "nothing" and sid in stalled:
                result.outcome = "blocked"
                result.detail += (f": {sid} stays to do ({nxt.problem or 'nothing applied'}); plan: "
                                  + ", ".join(f"{p.step.id}={p.status}" for p in plans))
                return result
            if status == "todo" and step.outcome == "nothing":
                stalled.add(sid)
        result.outcome = "stuck"
        result.detail += ": too many rounds"
        return result
