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
