"""Credentials the simulator accepts: Cloud's Basic email:api_token, Data Center's Bearer PAT.

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

    def ok(self, header: str | None) -> bool:
        if not header:
            return False
        if self.mode == "cloud":
            if not header.startswith("Basic "):
                return False
            try:
                raw = base64.b64decode(header[6:]).decode()
            except (ValueError, UnicodeDecodeError):
                return False
            return raw == f"{self.email}:{self.token}"
        return header == f"Bearer {self.pat}"

    def describe(self) -> str:
        if self.mode == "cloud":
            return f"email={self.email} token={self.token}"
        return f"pat={self.pat}"
