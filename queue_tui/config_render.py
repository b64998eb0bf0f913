"""The config file `queue-tui init` writes: commented TOML the agent can read and edit.

Only plain strings, numbers, booleans and lists of strings occur, so a small writer does; the
text is checked to load (`config_from_dict`) before anything is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from queue_tui.config import Config
    from queue_tui.service.transport import Connection

NOTES = {
    "jira": "Where your Jira is. The API token / PAT is NOT here: it is in the OS keyring, or set JIRA_API_TOKEN / JIRA_PAT.",
    "desk": "The service desk and the queues shown as tabs.",
    "monitor": "Polling, alerts, and who counts as priority service: these organizations, or these Priority names.",
    "fields": "Custom field ids found on your site by name and type (override any of them here).",
    "roster": "People behind the roles the SOP playbooks use (display name, email or account id).",
    "request_type_aliases": "Your desk's request types -> the SOP type each stands for (queue-triage-and-request-types.txt).",
    "cs": "The Customer Success (configuration) project.",
}


def _val(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_config(cfg: dict[str, Any]) -> str:
    """A commented TOML config, one table per section; empty sections are left out."""
    out = ["# queue-tui configuration, written by `queue-tui init` (run it again to change it).", ""]
    for section, body in cfg.items():
        if not isinstance(body, dict) or not body:
            continue
        if section in NOTES:
            out.append(f"# {NOTES[section]}")
        out.append(f"[{section}]")
        for k, v in body.items():
            key = k if k.replace("_", "").isalnum() else _val(k)
            out.append(f"{key} = {_val(v)}")
        out.append("")
    return "\n".join(out)


def init_config(existing: Config, conn: Connection, desk: dict[str, Any], queues: list[str], installers: list[str],
                priority_names: list[str], fields: dict[str, str], roster: dict[str, str],
                aliases: dict[str, str]) -> dict[str, Any]:
    """The settings `init` writes: what the agent chose on the site, over what the config had."""
    return {
        "jira": {"url": conn.base_url, "deployment": conn.deployment, **({"email": conn.email} if conn.cloud else {})},
        "desk": {"id": str(desk.get("id", "")), "project": str(desk.get("projectKey", "")), "queues": queues},
        "monitor": {**existing.monitor.model_dump(exclude={"priority_installers", "priority_names"}),
                    "priority_installers": installers, "priority_names": priority_names},
        "fields": fields,
        "roster": roster,
        "request_type_aliases": aliases,
        "cs": {"project": existing.cs.project},
    }
