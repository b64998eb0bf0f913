"""The gateway's writes: each goes out once, is checked against Jira when its answer was lost,
and lands in the audit log with its outcome."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from queue_tui.core.link_types import LinkType, find_type, is_link
from queue_tui.core.models import Comment, Person
from queue_tui.service import parse
from queue_tui.service.errors import BadRequestError, JiraError, NotFoundError, UnclearWriteError
from queue_tui.service.reads import Reads

T = TypeVar("T")


@dataclass(frozen=True)
class EditField:
    """One field of an issue's edit screen: the values it allows (None: not a list of options) and its operations."""

    options: tuple[str, ...] | None
    operations: frozenset[str]


@dataclass
class WriteResult:
    action: str
    key: str
    detail: str
    ok: bool
    note: str = ""


class Writes(Reads):
    """What the gateway changes in Jira; `Gateway` sets `audit`."""

    audit: Callable[[WriteResult], None]

    async def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      body: Any = None, idempotent: bool | None = None, experimental: bool = False,
                      files: dict[str, tuple[str, bytes, str]] | None = None,
                      headers: dict[str, str] | None = None) -> Any:
        return await self.transport.request(method, path, params=params, body=body, idempotent=idempotent,
                                            experimental=experimental, files=files, headers=headers)

    def _record(self, action: str, key: str, detail: str, ok: bool, note: str = "") -> WriteResult:
        result = WriteResult(action, key, detail, ok, note)
        self.written[key] = self.clock()  # even a failed write may have landed: the next poll asks Jira to reconcile it
        self.audit(result)
        return result

    async def _write(self, action: str, key: str, detail: str, op: Callable[[], Awaitable[T]]) -> T:
        try:
            value = await op()
        except JiraError as exc:
            self._record(action, key, detail, False, exc.short())
            raise
        self._record(action, key, detail, True)
        return value

    def user_ref(self, p: Person | None) -> dict[str, Any] | None:
        if p is None:
            return None
        return {"accountId": p.id} if self.conn.cloud else {"name": p.id}

    async def assign(self, key: str, who: Person | None) -> None:
        body = {"accountId": who.id if who else None} if self.conn.cloud else {"name": who.id if who else None}
        await self._write("assign", key, f"assignee = {who.name if who else 'unassigned'}",
                          lambda: self.request("PUT", f"/rest/api/2/issue/{key}/assignee", body=body))

    async def edit(self, key: str, fields: dict[str, Any] | None = None, update: dict[str, Any] | None = None,
                   detail: str = "") -> None:
        body: dict[str, Any] = {}
        if fields:
            body["fields"] = fields
        if update:
            body["update"] = update
        await self._write("edit", key, detail or json.dumps(body, default=str)[:300],
                          lambda: self.request("PUT", f"/rest/api/2/issue/{key}", body=body))

    async def add_comment(self, key: str, text: str, public: bool, service_desk: bool = True, marker: str = "") -> Comment:
        """Post a comment once: after a lost answer, look for it before trying again.

        With a `marker` (a playbook step's) the comment goes through the platform API carrying it as the
        `queue-tui.step` comment property, so Jira itself can say later whether the step's comment exists,
        even if someone edited its text."""
        visibility = "public" if public else "internal"
        service_desk = service_desk and not marker

        async def post() -> Comment:
            if service_desk:
                data = await self.request("POST", f"/rest/servicedeskapi/request/{key}/comment",
                                          body={"body": text, "public": public})
            else:
                props: list[dict[str, Any]] = [{"key": "sd.public.comment", "value": {"internal": not public}}]
                if marker:
                    props.append({"key": parse.STEP_PROPERTY, "value": {"marker": marker}})
                data = await self.request("POST", f"/rest/api/2/issue/{key}/comment", body={"body": text, "properties": props})
            c = parse.comment(data)
            if c is None:
                raise UnclearWriteError("Jira answered the comment with something unreadable; it may or may not "
                                        "have been posted")
            return c

        async def find() -> Comment | None:
            if marker:
                return next((c for c in reversed(await self.step_comments(key)) if c.marker == marker), None)
            mine = self.me.id if self.me else None
            existing = await (self.request_comments(key) if service_desk else self.comments(key))
            for c in reversed(existing):
                if c.body.strip() == text.strip() and c.public == public and (mine is None or (c.author and c.author.id == mine)):
                    return c
            return None

        return await self._write("comment", key, f"{visibility} comment: {text[:2000]}",  # the log reads it whole
                                 lambda: self._once(post, find, key))

    async def _once(self, op: Callable[[], Awaitable[T]], find: Callable[[], Awaitable[T | None]], where: str) -> T:
        """Send a non-idempotent write once. If its answer is lost, ask Jira once (one request) whether
        it happened: found means done; otherwise the outcome is unknown and the agent is told to look,
        never a blind second send."""
        try:
            return await op()
        except UnclearWriteError as lost:
            try:
                with self.transport.single_try():
                    found = await find()
            except JiraError:
                raise UnclearWriteError(f"{lost.message}; Jira could not be asked whether it was made: check "
                                        f"{where} before trying again", lost.status) from None
            if found is not None:
                return found
            raise UnclearWriteError(f"{lost.message}; it is not on {where} yet: check {where} before trying again",
                                    lost.status) from None

    async def attach(self, key: str, filename: str, data: bytes, mime: str = "application/octet-stream") -> None:
        """Upload one file to a ticket, once. Jira adds a file on every POST (it never de-duplicates)
        and refuses one without `X-Atlassian-Token: no-check`; a lost answer is checked by name and size."""
        async def post() -> bool:
            await self.request("POST", f"/rest/api/2/issue/{key}/attachments", files={"file": (filename, data, mime)},
                               headers={"X-Atlassian-Token": "no-check"}, idempotent=False)
            return True

        async def find() -> bool | None:
            there = await self.attachment_list(key)
            return True if any(a.filename == filename and a.size == len(data) for a in there) else None

        await self._write("attach", key, f"{filename} ({len(data)} bytes)", lambda: self._once(post, find, key))

    async def add_participants(self, key: str, people: list[Person]) -> None:
        ids = [p.id for p in people]
        body = {"accountIds": ids} if self.conn.cloud else {"usernames": ids}
        await self._write("add participants", key, ", ".join(p.name for p in people), lambda: self.request(
            "POST", f"/rest/servicedeskapi/request/{key}/participant", body=body, idempotent=True))

    async def remove_participants(self, key: str, people: list[Person]) -> None:
        ids = [p.id for p in people]
        body = {"accountIds": ids} if self.conn.cloud else {"usernames": ids}
        await self._write("remove participants", key, ", ".join(p.name for p in people), lambda: self.request(
            "DELETE", f"/rest/servicedeskapi/request/{key}/participant", body=body))

    async def add_watcher(self, key: str, who: Person) -> None:
        await self._write("add watcher", key, who.name, lambda: self.request(
            "POST", f"/rest/api/2/issue/{key}/watchers", body=who.id, idempotent=True))

    async def remove_watcher(self, key: str, who: Person) -> None:
        params = {"accountId": who.id} if self.conn.cloud else {"username": who.id}
        await self._write("remove watcher", key, who.name, lambda: self.request(
            "DELETE", f"/rest/api/2/issue/{key}/watchers", params=params))

    async def set_property(self, key: str, prop: str, value: Any) -> None:
        await self._write("set property", key, prop, lambda: self.request(
            "PUT", f"/rest/api/2/issue/{key}/properties/{prop}", body=value))

    async def delete_property(self, key: str, prop: str) -> None:
        """Remove an issue property; one already gone counts as removed."""
        async def op() -> None:
            try:
                await self.request("DELETE", f"/rest/api/2/issue/{key}/properties/{prop}", idempotent=True)
            except NotFoundError:
                pass

        await self._write("delete property", key, prop, op)

    async def transitions(self, key: str) -> list[dict[str, Any]]:
        data = await self.get(f"/rest/api/2/issue/{key}/transitions")
        vals = data.get("transitions") if isinstance(data, dict) else []
        return [t for t in vals or [] if isinstance(t, dict)]

    async def edit_options(self, key: str) -> dict[str, tuple[str, ...]]:
        """The values the site allows on the issue's edit screen, per field id (its select and checkbox fields)."""
        return {fid: f.options for fid, f in (await self.edit_fields(key)).items() if f.options is not None}

    async def edit_fields(self, key: str) -> dict[str, EditField]:
        """The fields of the issue's edit screen (`editmeta`): the values each allows (a disabled option left
        out) and the operations it takes ("add", "remove", "set")."""
        data = await self.get(f"/rest/api/2/issue/{key}/editmeta")
        fields = data.get("fields") if isinstance(data, dict) else None
        out: dict[str, EditField] = {}
        for fid, meta in (fields if isinstance(fields, dict) else {}).items():
            if not isinstance(meta, dict):
                continue
            allowed = meta.get("allowedValues")
            options = tuple(str(v["value"]) for v in allowed if isinstance(v, dict) and v.get("value")
                            and not v.get("disabled")) if isinstance(allowed, list) else None
            out[str(fid)] = EditField(options, frozenset(str(o) for o in meta.get("operations") or []))
        return out

    async def transition(self, key: str, target: str, resolution: str | None = None) -> str:
        """Move to the status (or through the transition) named `target`; returns the new status."""
        async def op() -> str:
            options = await self.transitions(key)
            want = target.lower()
            hit = next((t for t in options if str((t.get("to") or {}).get("name", "")).lower() == want), None) or next(
                (t for t in options if str(t.get("name", "")).lower() == want), None)
            if hit is None:
                current = await self.issue(key, ["status"])
                if current.status.lower() == want:
                    return current.status
                names = ", ".join(sorted({str((t.get("to") or {}).get("name")) for t in options}))
                raise BadRequestError(f"No transition to '{target}' from '{current.status}' (possible: {names})")
            body: dict[str, Any] = {"transition": {"id": hit["id"]}}
            if resolution:
                body["fields"] = {"resolution": {"name": resolution}}
            goal = str((hit.get("to") or {}).get("name") or target)

            async def send() -> str:
                await self.request("POST", f"/rest/api/2/issue/{key}/transitions", body=body)
                return goal

            async def moved() -> str | None:
                now_status = (await self.issue(key, ["status"])).status
                return now_status if now_status.lower() == goal.lower() else None

            return await self._once(send, moved, key)

        return await self._write("transition", key, f"status -> {target}" + (f" ({resolution})" if resolution else ""), op)

    async def create_issue(self, fields: dict[str, Any], find_jql: str | None = None) -> str:
        """Create an issue through the jira library; returns its key.

        `find_jql` finds the issue if the answer is lost; nothing is ever sent a second time.
        """
        async def op() -> str:
            issue = await self.transport.jira_call(lambda: self.transport.jira().create_issue(fields=dict(fields), prefetch=False), True)
            return str(issue.key)

        async def find() -> str | None:
            if not find_jql:
                return None
            hits = await self.search(find_jql, ["summary"], page_size=5)
            return str(hits[0]["key"]) if hits else None

        summary = str(fields.get("summary", ""))
        project = str((fields.get("project") or {}).get("key", "?"))
        key: str = await self._write("create issue", project, summary[:100],
                                     lambda: self._once(op, find, f"the {project} project"))
        return key

    async def link(self, link_type: str | LinkType, source: str, target: str) -> bool:
        """Link two issues once, `source` taking the type's outward words ("SS-1 blocks CS-2"): a link of
        that type and direction already there counts as done (a retry after a lost answer or a kill
        sends nothing). `link_type` is a type of the site, or its name, id or one of its phrases (the
        inward words swap the ends). True when this call sent it, False when it was there already.

        Jira's POST names the source `inwardIssue` and the target `outwardIssue` (the source then
        lists the link under `outwardIssue`, with the outward words). Sent with the type's id, so no
        name is guessed from phrases on the way (as the `jira` library's create_issue_link does)."""
        if isinstance(link_type, LinkType):
            kind, forward = link_type, True
        else:
            hit = find_type(await self.link_types(), link_type)
            if hit is None:
                raise BadRequestError(f"This site has no issue link type '{link_type}'")
            kind, forward = hit
        if not forward:
            source, target = target, source

        async def existing() -> bool | None:
            there = await self.issue(source, ["issuelinks"])
            return True if any(is_link(lk, kind, target) for lk in there.links) else None

        async def send() -> bool:
            body = {"type": {"id": kind.id, "name": kind.name} if kind.id else {"name": kind.name},
                    "inwardIssue": {"key": source}, "outwardIssue": {"key": target}}
            await self.request("POST", "/rest/api/2/issueLink", body=body, idempotent=False)
            return True

        async def op() -> bool:
            if await existing():
                return False
            return await self._once(send, existing, source)

        return await self._write("link", source, f"{source} {kind.outward} {target}", op)
