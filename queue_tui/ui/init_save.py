"""`queue-tui init` saves: the config as the form reads (`config_render.init_config` over the
existing config's other settings), checked to load and written commented and private, and the
typed secret kept in the OS keyring (`secrets.keep_secret`, which says where it is now)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import Input, Select, SelectionList

from queue_tui.config import Config, config_from_dict
from queue_tui.config_render import init_config, render_config
from queue_tui.core.roles import ROLES
from queue_tui.service.gateway import Connection
from queue_tui.service.local_files import write_atomic
from queue_tui.service.secrets import keep_secret


def config_from_form(app: App[Any], existing: Config, conn: Connection, desk: dict[str, Any],
                     fields: dict[str, str]) -> dict[str, Any]:
    """The config the form says (init_form.py's fields), `desk` the chosen service desk."""
    aliases = dict(existing.request_type_aliases)
    for pair in app.query_one("#aliases", SelectionList).selected:
        site, sop = str(pair).split("\t", 1)
        aliases[site] = sop
    roster = dict(existing.roster)
    for role in ROLES:
        value = app.query_one(f"#role-{role.name}", Select).value
        if isinstance(value, str) and value:
            roster[role.name] = value
        else:
            roster.pop(role.name, None)

    def chosen(list_id: str) -> list[str]:
        return list(app.query_one(list_id, SelectionList).selected)

    return init_config(existing, conn, desk, chosen("#queues"), chosen("#installers"), chosen("#priority-names"),
                       dict(fields), roster, aliases)


def write_config(path: Path, cfg: dict[str, Any]) -> None:
    """The config, checked to load first, written commented: 0600 in a 0700 folder."""
    config_from_dict(cfg, str(path))
    write_atomic(path, render_config(cfg))


def keep_typed_secret(app: App[Any], conn: Connection) -> str:
    """The secret typed in the form into the keyring; what to tell the agent about where it is."""
    return keep_secret(conn, app.query_one("#secret", Input).value.strip())
