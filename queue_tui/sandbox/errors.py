"""Errors as Jira sends them, and the small argument parsers every route family shares.

Jira has two error shapes. The platform API (`/rest/api/2|3`) answers
`{"errorMessages": [...], "errors": {field: message}}`; the service desk API
(`/rest/servicedeskapi`) answers the JSM spec's `ErrorResponse`,
`{"errorMessage": "...", "i18nErrorMessage": {"i18nKey": "...", "parameters": []}}`.
A handler raises one `ApiError`; the server picks the shape from the path it was raised on.
"""

from __future__ import annotations

from typing import Any

NOT_FOUND = "Issue does not exist or you do not have permission to see it."


class ApiError(Exception):
    """An error answer: status, messages, per-field errors, extra headers, and a JSM i18n key."""

    def __init__(self, status: int, messages: list[str] | None = None, errors: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None, i18n_key: str | None = None) -> None:
        super().__init__(status, messages, errors)
        self.status = status
        self.messages = list(messages or [])
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})
        self.i18n_key = i18n_key

    @property
    def body(self) -> dict[str, Any]:
        """The platform shape (kept as `body` for callers that read it directly)."""
        return self.platform_body()

    def platform_body(self) -> dict[str, Any]:
        return {"errorMessages": self.messages, "errors": self.errors}

    def jsm_body(self) -> dict[str, Any]:
        text = "; ".join(self.messages + [f"{k}: {v}" for k, v in self.errors.items()]) or f"HTTP {self.status}"
        return {"errorMessage": text,
                "i18nErrorMessage": {"i18nKey": self.i18n_key or _DEFAULT_I18N.get(self.status, "sd.error.unknown"),
                                     "parameters": []}}

    def body_for(self, path: str) -> dict[str, Any]:
        return self.jsm_body() if path.startswith("/rest/servicedeskapi") else self.platform_body()


_DEFAULT_I18N = {
    400: "sd.request.error.bad.request", 401: "sd.api.error.not.authenticated", 403: "sd.api.error.no.permission",
    404: "sd.api.error.not.found", 405: "sd.api.error.method.not.allowed", 412: "sd.api.experimental.required",
    413: "sd.api.error.too.large", 415: "sd.api.error.unsupported.media.type", 429: "sd.api.error.rate.limited",
}


def not_found(what: str = NOT_FOUND) -> ApiError:
    return ApiError(404, [what])


def int_param(raw: Any, default: int, name: str) -> int:
    if raw is None or raw == "":
        return default
    try:
        val = int(raw)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, [f"The '{name}' parameter must be a number."]) from exc
    if val < 0:
        raise ApiError(400, [f"The '{name}' parameter must not be negative."])
    return val


def split_param(raw: Any) -> list[str] | None:
    """A comma-separated (or repeated) parameter as a list; None when absent."""
    if not raw:
        return None
    if isinstance(raw, list):
        return [p.strip() for x in raw for p in str(x).split(",") if p.strip()]
    return [p.strip() for p in str(raw).split(",") if p.strip()]


def fields_of(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("fields"), dict):
        raise ApiError(400, ["Can not deserialize the request body: 'fields' is required."])
    return dict(body["fields"])


def plain_text(val: Any) -> str:
    """Text of a v2 string body or a v3 Atlassian Document Format body."""
    if val is None:
        return ""
    if isinstance(val, str):
        return val
    if isinstance(val, dict):
        if val.get("type") == "text":
            return str(val.get("text", ""))
        parts = [plain_text(c) for c in val.get("content", []) or []]
        joiner = "\n" if val.get("type") in ("doc",) else ""
        return joiner.join(parts)
    if isinstance(val, list):
        return "".join(plain_text(x) for x in val)
    raise ApiError(400, ["Comment body is not valid text or document."])
