"""Credentials the simulator accepts: Cloud's Basic email:api_token, Data Center's Bearer PAT.

The seeded agent signs in with `email`/`token` (or `pat`). More agents can sign in too
(`Sandbox.add_agent`), each as their own Jira account: their writes carry their name in the
changelog, comments and `currentUser()`, as two agents' apps on one site would.

`html_401` makes a refused request answer with an HTML page instead of JSON, as Jira Cloud's
edge can for a bad token; the status is 401 either way.
"""

from __future__ import annotations

import base64

UNAUTHORIZED_HTML = (b"<!DOCTYPE html><html><head><title>Unauthorized (401)</title></head><body>"
                     b"<h1>Unauthorized (401)</h1><p>Encountered a \"401 - Unauthorized\" error while loading "
                     b"this page.</p><p><a href=\"/login.jsp\">Log in</a></p></body></html>")


class Credentials:
    def __init__(self, mode: str, email: str = "agent@goeverbright.com", token: str = "sandbox-token",
                 pat: str = "sandbox-pat", html_401: bool = False) -> None:
        self.mode = mode
        self.email = email
        self.token = token
        self.pat = pat
        self.html_401 = html_401
        # Other agents: "email:token" (Cloud) or "pat" (Data Center) -> account id.
        self.others: dict[str, str] = {}

    def add(self, account_id: str, email: str, token: str) -> None:
        """Let another account sign in: with `email`/`token` on Cloud, with `token` as its PAT on Data Center."""
        self.others[f"{email}:{token}" if self.mode == "cloud" else token] = account_id

    def account(self, header: str | None) -> str | None:
        """Who the Authorization header signs in: "" for the seeded agent, an account id for another
        agent, None when it is refused."""
        if not header:
            return None
        if self.mode == "cloud":
            if not header.startswith("Basic "):
                return None
            try:
                raw = base64.b64decode(header[6:]).decode()
            except (ValueError, UnicodeDecodeError):
                return None
            return "" if raw == f"{self.email}:{self.token}" else self.others.get(raw)
        if not header.startswith("Bearer "):
            return None
        pat = header[7:]
        return "" if pat == self.pat else self.others.get(pat)

    def ok(self, header: str | None) -> bool:
        return self.account(header) is not None

    def describe(self) -> str:
        if self.mode == "cloud":
            return f"email={self.email} token={self.token}"
        return f"pat={self.pat}"
