"""What a Jira site says about itself before anyone signs in: Cloud or Data Center.

`serverInfo` answers anonymously, so `init` can offer the right sign-in (email + API token, or a
personal access token) before the agent typed a secret.
"""

from __future__ import annotations

import httpx


async def detect_deployment(base_url: str, timeout: float = 10.0) -> str | None:
    """"cloud" or "dc" as the site's serverInfo says, or None when it does not answer plainly."""
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(base_url.rstrip("/") + "/rest/api/2/serverInfo")
            info = response.json()
    except (httpx.HTTPError, ValueError):
        return None
    if not isinstance(info, dict) or "deploymentType" not in info:
        return None
    return "cloud" if info.get("deploymentType") == "Cloud" else "dc"
