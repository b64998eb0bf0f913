"""Walking Jira's paged lists to the end: servicedeskapi pages (start/limit/isLastPage) and issue
search (nextPageToken on Cloud, startAt/total on Data Center)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from queue_tui.service.errors import UnavailableError

Get = Callable[[str, dict[str, Any] | None, bool], Awaitable[Any]]


async def service_desk_values(get: Get, path: str, params: dict[str, Any] | None = None, limit: int = 50,
                              experimental: bool = False) -> list[Any]:
    """All values of a servicedeskapi list (start/limit/isLastPage)."""
    out: list[Any] = []
    start = 0
    while True:
        page = await get(path, {**(params or {}), "start": start, "limit": limit}, experimental)
        values = page.get("values") if isinstance(page, dict) else None
        if not isinstance(values, list):
            raise UnavailableError("Jira sent a page without values")
        out += values
        if page.get("isLastPage", True) or not values:
            return out
        start += len(values)


async def search_pages(get: Get, cloud: bool, jql: str, fields: list[str], page_size: int,
                       extra: dict[str, Any] | None = None) -> AsyncIterator[list[Any]]:
    """The issues of each page of a search, paged the way the deployment wants; `extra` adds
    parameters (e.g. reconcileIssues on Cloud). `get` may hand back pages whose issues it has
    already parsed: only the list itself and the paging fields are read here."""
    if cloud:
        token: str | None = None
        while True:
            params: dict[str, Any] = {"jql": jql, "fields": ",".join(fields), "maxResults": page_size, **(extra or {})}
            if token:
                params["nextPageToken"] = token
            data = await get("/rest/api/2/search/jql", params, False)
            issues = data.get("issues") if isinstance(data, dict) else None
            if not isinstance(issues, list):
                raise UnavailableError("Jira sent a search answer without issues")
            yield issues
            # The last page has no nextPageToken; isLast may be left out.
            token = data.get("nextPageToken")
            if data.get("isLast") is True or not token:
                return
    start = 0
    while True:
        data = await get("/rest/api/2/search", {"jql": jql, "fields": ",".join(fields), "startAt": start,
                                                "maxResults": page_size, **(extra or {})}, False)
        issues = data.get("issues") if isinstance(data, dict) else None
        if not isinstance(issues, list):
            raise UnavailableError("Jira sent a search answer without issues")
        yield issues
        start += len(issues)
        if not issues or start >= int(data.get("total") or 0):
            return


async def search_issues(get: Get, cloud: bool, jql: str, fields: list[str], page_size: int) -> list[dict[str, Any]]:
    """Every issue matching jql, paged the way the deployment wants."""
    out: list[dict[str, Any]] = []
    async for issues in search_pages(get, cloud, jql, fields, page_size):
        out += [i for i in issues if isinstance(i, dict)]
    return out
