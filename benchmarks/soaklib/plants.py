"""Known bugs (writes, and the rate limit), each a small patch to a scratch copy of the app, that the
soak must catch.

Each plant replaces text that must be found exactly once in its file: if the code moved, the plant
fails loudly instead of silently planting nothing. `caught_by` names the soak's checks of which at
least one must fail for the bug to count as caught (failing for another reason does not count).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class PlantError(Exception):
    """The text a plant replaces is not in its file exactly once."""


@dataclass(frozen=True)
class Plant:
    name: str
    path: str  # relative to the package's parent folder
    old: str
    new: str
    caught_by: tuple[str, ...]

    def check(self, root: Path) -> str:
        """The file's text, when the text to replace is in it exactly once."""
        f = root / self.path
        text = f.read_text(encoding="utf-8") if f.exists() else ""
        n = text.count(self.old)
        if n != 1:
            raise PlantError(f"{self.name}: the text to replace is in {self.path} {n} times, not once: "
                             "the code moved, update the plant")
        return text

    def apply(self, root: Path) -> None:
        text = self.check(root)
        (root / self.path).write_text(text.replace(self.old, self.new), encoding="utf-8")


PLANTS: tuple[Plant, ...] = (
    Plant(
        "double watcher POST",
        "queue_tui/service/writes.py",
        '''        await self._write("add watcher", key, who.name, lambda: self.request(
            "POST", f"/rest/api/2/issue/{key}/watchers", body=who.id, idempotent=True))''',
        '''        await self._write("add watcher", key, who.name, lambda: self.request(
            "POST", f"/rest/api/2/issue/{key}/watchers", body=who.id, idempotent=True))
        await self.request("POST", f"/rest/api/2/issue/{key}/watchers", body=who.id, idempotent=True)''',
        ("duplicates: watchers",),
    ),
    Plant(
        "double link",
        "queue_tui/service/writes.py",
        '''        async def op() -> bool:
            if await existing():
                return False
            return await self._once(send, existing, source)''',
        '''        async def op() -> bool:
            if await existing():
                return False
            await self._once(send, existing, source)
            return await send()''',
        ("duplicates: links",),
    ),
    Plant(
        "assign to nobody",
        "queue_tui/service/writes.py",
        '''        body = {"accountId": who.id if who else None} if self.conn.cloud else {"name": who.id if who else None}''',
        '''        body = {"accountId": None} if self.conn.cloud else {"name": None}''',
        ("audit log vs requests and state",),
    ),
    Plant(
        "draft dropped on a failed send",
        "queue_tui/ui/flows/reply.py",
        '''    except JiraError as exc:
        raise FlowError(f"Reply not sent on {t.key}: {exc.short()}. Your draft is kept.", timeout=12) from exc''',
        '''    except JiraError as exc:
        s.drafts.drop(t.key)
        raise FlowError(f"Reply not sent on {t.key}: {exc.short()}. Your draft is kept.", timeout=12) from exc''',
        ("drafts kept",),
    ),
    Plant(
        "comment re-posted after a lost answer",
        "queue_tui/service/writes.py",
        '''                                 lambda: self._once(post, find, key))''',
        # "Looking for it" sends it again.
        '''                                 lambda: self._once(post, post, key))''',
        ("duplicates: comments",),
    ),
    Plant(
        "Retry-After ignored",
        "queue_tui/service/rate_limit.py",
        '''            if self._not_before is None or until > self._not_before:
                self._not_before = until
            return self._not_before''',
        # The wait is never kept: every request goes out at once, the retry of the one that met the 429 too.
        '''            return until''',
        ("Retry-After respected",),
    ),
    Plant(
        "a colleague's ticket taken without asking",
        "queue_tui/ui/flows/assign.py",
        '''        if holder is not None and (gateway.me is None or holder.id != gateway.me.id):''',
        '''        if False:''',
        ("never over a colleague",),
    ),
)
