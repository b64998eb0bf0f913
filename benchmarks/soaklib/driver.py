"""An agent at the keyboard: each task pressed as keys into the real app (Textual's Pilot), each
question answered as the task says, and the outcome read from what the app told the agent
(`soaklib.keys`). The SOP panel's keys are in `soaklib.panel`.
"""

from __future__ import annotations

import time
from typing import Any

from soaklib.keys import BACKGROUND, Notice, Result, key_of, keys_for, outcome_of
from soaklib.panel import PanelKeys

__all__ = ["Driver", "Notice", "Result", "key_of"]


class Driver(PanelKeys):
    """One agent's hands and eyes on their app: keys in, screens and notices read."""

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

    async def connected(self, seconds: float = 150) -> bool:
        """The queue on screen; a start may first wait out a rate limit to the next minute (429 with
        only X-RateLimit-Reset) and retry."""
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
            elif name == "AskScreen":
                await self.ask(task)
            elif name == "CloseChannelScreen":  # the channel asked again at close: as it is, or none if empty
                screen = self.app.screen
                await self.press(key_of("close_channel_yes" if screen.values else "close_channel_skip"))
                await self.until(lambda s=screen: self.app.screen is not s, 3)
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
        elif question.startswith("Replace"):  # a colleague's value (or the one the ticket came with)
            yes = bool(task.get("decide"))
        elif "Finish the remaining steps now?" in question:
            # Once: when a colleague's claim holds the step, the agent waits and tries again later.
            yes = result.finish_asks == 0
            result.finish_asks += 1
        else:  # the preview of G and of x, a public reply's recipients: what the agent meant to do
            yes = True
        result.confirms.append((question[:300], yes))
        self.emit({"ev": "confirm", "id": task.get("id"), "question": question[:300], "yes": yes})
        await self.press(key_of("confirm_yes" if yes else "confirm_no"))
        await self.until(lambda: self.app.screen is not screen, 3)

    async def ask(self, task: dict[str, Any]) -> None:
        """A step asks for one line (the link to a feature request, what the customer needs to hear)."""
        screen = self.app.screen
        await self.press(*keys_for(str(task.get("ask") or "soak answer")), "enter")
        if not await self.until(lambda: self.app.screen is not screen, 3):
            await self.press(key_of("picker_cancel"))
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
            if not await self.until(lambda: self.app.screen is not screen, 3):
                # Already linked to this ticket (a run cut short after its link): the list says so and
                # writes nothing, so the agent closes it.
                result.detail = f"{wanted} was already linked: nothing to write"
                await self.press(key_of("existing_cancel"))
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
        result.outcome = outcome_of(said)

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
            # The marker first, on a line of its own (a template leaves the cursor at its start).
            await self.press(*keys_for(text), "enter")
            await self.until(lambda: text in area.text, 3)
            self.emit({"ev": "typed", "id": task["id"]})
        if bool(screen.public) != bool(task.get("public")):
            await self.press(key_of("reply_toggle"))
            await self.pilot.pause(0.05)
        result.detail = "public" if screen.public else "internal"
        await self.press(key_of("reply_send"))
        return True
