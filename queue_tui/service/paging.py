"""Walking Jira's paged lists to the end, with a guard against an end that never comes.

- `search/jql` (Cloud) pages until an answer has no `nextPageToken`; `isLast` is optional and
  only ends paging when it is true.
- `search` (Data Center) pages by `startAt` until `total` is reached or a page is empty.
- servicedeskapi lists page until `isLastPage` is true or a page is empty.
A token seen twice, or more than `MAX_PAGES` pages, stops with a clear error instead of looping.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from queue_tui.service.errors import UnavailableError

Get = Callable[[str, dict[str, Any] | None, bool], Awaitable[Any]]
MAX_PAGES = 1000


def _too_many(count: int) -> UnavailableError:
    return UnavailableError(f"Jira kept sending pages ({MAX_PAGES} pages, {count} items so far); stopped reading: "
                            "narrow the queue's JQL")


async def service_desk_values(get: Get, path: str, params: dict[str, Any] | None = None, limit: int = 50,
                              experimental: bool = False) -> list[Any]:
    """All values of a servicedeskapi list (start/limit/isLastPage)."""
    out: list[Any] = []
    start = 0
    for _ in range(MAX_PAGES):
        page = await get(path, {**(params or {}), "start": start, "limit": limit}, experimental)
        values = page.get("values") if isinstance(page, dict) else None
        if not isinstance(values, list):
            raise UnavailableError("Jira sent a page without values")
        out += values
        if page.get("isLastPage") is True or not values:
            return out
        start += len(values)
    raise _too_many(len(out))


def _issues(data: Any) -> list[Any]:
    issues = data.get("issues") if isinstance(data, dict) else None
    if not isinstance(issues, list):
        raise UnavailableError("Jira sent a search answer without issues")
    return issues


async def search_pages(get: Get, cloud: bool, jql: str, fields: list[str], page_size: int,
                       extra: dict[str, Any] | None = None) -> AsyncIterator[list[Any]]:
    """The issues of each page of a search, paged the way the deployment wants; `extra` adds
    parameters (e.g. reconcileIssues on Cloud). `get` may hand back pages whose issues it has
    already parsed: only the list itself and the paging fields are read here."""
    base: dict[str, Any] = {"jql": jql, "fields": ",".join(fields), "maxResults": page_size, **(extra or {})}
    count = 0
    if cloud:
        token: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            data = await get("/rest/api/2/search/jql", {**base, "nextPageToken": token} if token else base, False)
            issues = _issues(data)
            count += len(issues)
            yield issues
            nxt = data.get("nextPageToken")
            if not isinstance(nxt, str) or not nxt or data.get("isLast") is True:
                return
            if nxt in seen:
                raise UnavailableError(f"Jira sent the same next-page token twice; stopped reading after {count} "
                                       "tickets")
            seen.add(nxt)
            token = nxt
        raise _too_many(count)
    start = 0
    for _ in range(MAX_PAGES):
        data = await get("/rest/api/2/search", {**base, "startAt": start}, False)
        issues = _issues(data)
        yield issues
        start += len(issues)
        total = data.get("total")
        if not issues or (isinstance(total, int) and start >= total):
            return
    raise _too_many(start)


async def search_issues(get: Get, cloud: bool, jql: str, fields: list[str], page_size: int) -> list[dict[str, Any]]:
    """Every issue matching jql, paged the way the deployment wants."""
    out: list[dict[str, Any]] = []
    async for issues in search_pages(get, cloud, jql, fields, page_size):
        out += [i for i in issues if isinstance(i, dict)]
    return out
