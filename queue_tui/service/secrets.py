"""Where the API token or PAT comes from: the environment first, then the OS keyring.

The app never writes a secret to a file and never logs or shows one.
"""

from __future__ import annotations

import os

SERVICE = "queue-tui"


def keyring_name(url: str, user: str) -> str:
    return f"{url.rstrip('/')}|{user or 'pat'}"


def keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # noqa: BLE001 - a broken keyring is the same as none
        return False


def read_secret(url: str, user: str, deployment: str, env: dict[str, str] | None = None) -> str:
    env = dict(os.environ) if env is None else env
    value = env.get("JIRA_API_TOKEN" if deployment == "cloud" else "JIRA_PAT", "")
    if value:
        return value
    if keyring_available():
        import keyring

        try:
            return keyring.get_password(SERVICE, keyring_name(url, user)) or ""
        except Exception:  # noqa: BLE001 - a locked or broken keyring: fall through to "no secret"
            return ""
    return ""


def store_secret(url: str, user: str, secret: str) -> bool:
    """Store in the OS keyring; False when there is none (the caller says to use the environment)."""
    if not keyring_available():
        return False
    import keyring

    try:
        keyring.set_password(SERVICE, keyring_name(url, user), secret)
    except Exception:  # noqa: BLE001
        return False
    return True
