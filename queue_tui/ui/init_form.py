"""`queue-tui init`'s form: its fields in order, each prefilled from the environment or the existing
config, and the token or PAT already in the environment.

Field ids are what the rest of init reads: #url, #deployment (#cloud, #dc), #email, #secret,
#desks, #queues, #fields, #installers, #priority-names, #aliases and one #role-<name> per role.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, RadioButton, RadioSet, Select, SelectionList, Static

from queue_tui.config import Config
from queue_tui.core.roles import ROLES

DEPLOYMENTS = {"cloud": "Cloud: email + API token", "dc": "Data Center: personal access token"}

CSS = """
VerticalScroll { padding: 0 2; }
.label { text-style: bold; margin-top: 1; }
.hint { color: $text-muted; }
Input { width: 80; }
Select { width: 80; }
SelectionList { height: auto; max-height: 8; width: 80; }
RadioButton.-on { text-style: bold; color: $success; }
#status { margin-top: 1; }
Horizontal { height: auto; }
"""


def secret_from_env(env: dict[str, str]) -> tuple[str, str]:
    """(variable, value) of a token or PAT already in the environment, else ("", "")."""
    for var in ("JIRA_API_TOKEN", "JIRA_PAT"):
        if env.get(var):
            return var, env[var]
    return "", ""


def init_form(existing: Config, env: dict[str, str]) -> ComposeResult:
    """The fields, the site's offers empty until it connects."""
    e = existing
    url = env.get("JIRA_URL") or e.jira.url
    email = env.get("JIRA_EMAIL") or e.jira.email
    deployment = "dc" if env.get("JIRA_PAT") and not env.get("JIRA_API_TOKEN") else e.jira.deployment
    var, _ = secret_from_env(env)
    with VerticalScroll():
        yield Static(Text("queue-tui setup", style="bold reverse"))
        yield Label("Jira site URL" + ("  (from JIRA_URL)" if env.get("JIRA_URL") else ""), classes="label")
        yield Input(url, placeholder="https://yourteam.atlassian.net", id="url")
        yield Label("Deployment (detected when you connect)", classes="label")
        with RadioSet(id="deployment"):
            for d, text in DEPLOYMENTS.items():
                yield RadioButton(text, value=deployment == d, id=d)
        yield Label("Email (Cloud)" + ("  (from JIRA_EMAIL)" if env.get("JIRA_EMAIL") else ""), classes="label")
        yield Input(email, placeholder="you@example.com", id="email")
        yield Label("API token or personal access token (kept in the OS keyring, never in a file)", classes="label")
        yield Input(password=True, id="secret",
                    placeholder=f"leave empty to use {var} from your environment" if var else "paste it here")
        yield Button("Connect", id="connect", variant="primary")
        yield Static("", id="status")
        yield Label("Service desk", classes="label")
        yield SelectionList[str](id="desks")
        yield Label("Queues to show as tabs (none picked: all)", classes="label")
        yield SelectionList[str](id="queues")
        yield Label("Custom fields found", classes="label")
        yield Static("", id="fields")
        yield Label("Priority service: these organizations (top tier)…", classes="label")
        yield SelectionList[str](id="installers")
        yield Label("…or a ticket whose Priority is one of these (what the team's automation sets)", classes="label")
        yield SelectionList[str](id="priority-names")
        yield Static("", id="priority-why", classes="hint")
        yield Label("Request types: map these desk types to the SOP type they read like", classes="label")
        yield SelectionList[str](id="aliases")
        yield Static("", id="types-note", classes="hint")
        for role in ROLES:
            yield Label(f"Role: {role.name.replace('_', ' ')}", classes="label")
            yield Static(role.purpose, classes="hint")
            current = e.roster.get(role.name, "")
            yield Select([(current, current)] if current else [], prompt="not set (connect to see who is on the site)",
                         value=current or Select.NULL, id=f"role-{role.name}")
        with Horizontal():
            yield Button("Save (ctrl+s)", id="save", variant="success")
    yield Footer()
