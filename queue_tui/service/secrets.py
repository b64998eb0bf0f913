"""Where the API token or PAT comes from: the environment first, then the OS keyring.

The app never writes a secret to a file and never logs or shows one.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queue_tui.service.transport import Connection

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


def keyring_backend() -> str:
    """The keyring backend's name, for messages ("none" when there is no usable one)."""
    if not keyring_available():
        return "none"
    import keyring

    return type(keyring.get_keyring()).__name__


def store_secret(url: str, user: str, secret: str) -> bool:
    """Store in the OS keyring and read it back; False when there is no keyring, it refused, or it
    did not keep the secret (some backends accept a write and store nothing): the caller then says
    to use the environment instead."""
    if not keyring_available():
        return False
    import keyring

    name = keyring_name(url, user)
    try:
        keyring.set_password(SERVICE, name, secret)
        return keyring.get_password(SERVICE, name) == secret
    except Exception:  # noqa: BLE001 - a locked or broken keyring stored nothing
        return False


def keep_secret(conn: Connection, typed: str) -> str:
    """Store the secret the agent typed in the keyring and say honestly where it is now."""
    var = "JIRA_API_TOKEN" if conn.cloud else "JIRA_PAT"
    what = "API token" if conn.cloud else "personal access token"
    if not typed:
        return f"The {what} stays in {var} in your environment: nothing stored."
    if store_secret(conn.base_url, conn.email, conn.token or conn.pat):
        return f"The {what} is in the OS keyring ({keyring_backend()}), read back to check."
    backend = keyring_backend()
    why = "there is no OS keyring here" if backend == "none" else f"the keyring ({backend}) did not keep it"
    return f"The {what} was NOT stored: {why}. Set {var} in your environment (e.g. in your shell profile) instead."
