"""Typed errors from the Jira gateway; the UI maps each to one short line.

Every error carries `short()`: what the agent reads on screen. Nothing here holds a secret.
"""

from __future__ import annotations

from datetime import datetime


class JiraError(Exception):
    """Base: something Jira (or the way to it) refused or failed."""

    kind = "error"

    def __init__(self, message: str, status: int | None = None, details: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.details = details or {}

    def short(self) -> str:
        extra = "; ".join(f"{k}: {v}" for k, v in self.details.items())
        text = self.message + (f" ({extra})" if extra else "")
        return text if len(text) <= 200 else text[:197] + "…"


class AuthError(JiraError):
    kind = "auth"


class ForbiddenError(JiraError):
    kind = "permission"


class NotFoundError(JiraError):
    kind = "not found"


class GoneError(JiraError):
    kind = "removed API"


class BadRequestError(JiraError):
    kind = "bad request"


class ConflictError(JiraError):
    kind = "conflict"


class RateLimitedError(JiraError):
    kind = "rate limited"

    def __init__(self, message: str, retry_at: datetime, status: int | None = 429) -> None:
        super().__init__(message, status)
        self.retry_at = retry_at


class RedirectError(JiraError):
    """Jira answered with a redirect; it is never followed (credentials and ticket data stay put)."""

    kind = "redirect"

    def __init__(self, message: str, status: int | None = None, location: str = "") -> None:
        super().__init__(message, status)
        self.location = location


class UnavailableError(JiraError):
    """Network down, timeout, 5xx, or an answer that is not JSON: try again later."""

    kind = "network"


class UnclearWriteError(UnavailableError):
    """A write whose answer was lost: it may or may not have happened."""

    kind = "unclear write"


class CertificateError(UnavailableError):
    """TLS failed: Jira's certificate was not accepted, so no request was sent."""

    kind = "certificate"
