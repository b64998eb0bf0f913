"""`queue-tui init`: from nothing to a working config in a few minutes, without hand-written ids.

Asks for the site and credentials (detecting Cloud or Data Center), connects, lets the agent pick
the service desk and queues, shows the discovered custom fields, asks for priority installers and
the team roster, stores the secret in the OS keyring (never in a file) and writes a commented
config. Re-running it starts from the existing config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, RadioButton, RadioSet, SelectionList, Static

from queue_tui.config import Config, config_dir
from queue_tui.service.errors import JiraError
from queue_tui.service.gateway import Connection, Gateway
from queue_tui.service.secrets import store_secret
from queue_tui.ui.commands import bindings
from queue_tui.ui.palette import CommandsHere

ROLES = ("approver", "qa_assignee", "config_assignee", "sales_lead", "supervisor", "onboarding_reporter",
         "anonymous_reporter")


def render_config(cfg: dict[str, Any]) -> str:
    """A commented TOML config. Only plain strings, numbers, booleans and lists of strings occur."""
    def val(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return str(v)
        if isinstance(v, list):
            return "[" + ", ".join(val(x) for x in v) + "]"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    notes = {
        "jira": "Where your Jira is. The API token / PAT is NOT here: it is in the OS keyring, or set JIRA_API_TOKEN / JIRA_PAT.",
        "desk": "The service desk and the queues shown as tabs.",
        "monitor": "Polling, alerts, and who counts as a priority installer (top tier).",
        "fields": "Custom field ids found on your site by name and type (override any of them here).",
        "roster": "People behind the roles the SOP playbooks use (display name, email or account id).",
        "cs": "The Customer Success (configuration) project.",
    }
    out = ["# queue-tui configuration, written by `queue-tui init` (run it again to change it).", ""]
    for section, body in cfg.items():
        if not isinstance(body, dict) or not body:
            continue
        if section in notes:
            out.append(f"# {notes[section]}")
        out.append(f"[{section}]")
        for k, v in body.items():
            key = k if k.replace("_", "").isalnum() else val(k)
            out.append(f"{key} = {val(v)}")
        out.append("")
    return "\n".join(out)


class InitApp(App[str]):
    CSS = """
    VerticalScroll { padding: 0 2; }
    .label { text-style: bold; margin-top: 1; }
    Input { width: 80; }
    SelectionList { height: 8; width: 80; }
    #status { margin-top: 1; }
    Horizontal { height: auto; }
    """
    COMMANDS = App.COMMANDS | {CommandsHere}
    COMMAND_SCOPE: ClassVar[str] = "init"
    BINDINGS = bindings("init")

    def __init__(self, path: Path, existing: Config) -> None:
        super().__init__()
        self.path = path
        self.existing = existing
        self.gateway: Gateway | None = None
        self.desks: list[dict[str, Any]] = []
        self.result = ""

    def compose(self) -> ComposeResult:
        e = self.existing
        with VerticalScroll():
            yield Static(Text("queue-tui setup", style="bold reverse"))
            yield Label("Jira site URL", classes="label")
            yield Input(e.jira.url, placeholder="https://yourteam.atlassian.net", id="url")
            yield Label("Deployment (detected when you connect)", classes="label")
            with RadioSet(id="deployment"):
                yield RadioButton("Cloud: email + API token", value=e.jira.deployment == "cloud", id="cloud")
                yield RadioButton("Data Center: personal access token", value=e.jira.deployment == "dc", id="dc")
            yield Label("Email (Cloud)", classes="label")
            yield Input(e.jira.email, id="email")
            yield Label("API token or personal access token (kept in the OS keyring, never in a file)", classes="label")
            yield Input(password=True, id="secret")
            yield Button("Connect", id="connect", variant="primary")
            yield Static("", id="status")
            yield Label("Service desk", classes="label")
            yield SelectionList[str](id="desks")
            yield Label("Queues to show as tabs (none picked: all)", classes="label")
            yield SelectionList[str](id="queues")
            yield Label("Custom fields found", classes="label")
            yield Static("", id="fields")
            yield Label("Priority installers (top tier)", classes="label")
            yield SelectionList[str](id="installers")
            for role in ROLES:
                yield Label(f"Role: {role.replace('_', ' ')}", classes="label")
                yield Input(e.roster.get(role, ""), id=f"role-{role}", placeholder="name, email or account id")
            with Horizontal():
                yield Button("Save (ctrl+s)", id="save", variant="success")
        yield Footer()

    def status(self, text: str, style: str = "") -> None:
        self.query_one("#status", Static).update(Text(text, style=style))

    def _conn(self) -> Connection:
        url = self.query_one("#url", Input).value.strip().rstrip("/")
        dc = self.query_one("#dc", RadioButton).value
        secret = self.query_one("#secret", Input).value.strip()
        return Connection(url, "dc" if dc else "cloud", email=self.query_one("#email", Input).value.strip(),
                          token="" if dc else secret, pat=secret if dc else "")

    @on(Button.Pressed, "#connect")
    def _connect_pressed(self) -> None:
        self.connect()

    @work(exclusive=True, exit_on_error=False, description="connect")
    async def connect(self) -> None:
        import httpx

        from queue_tui.config import ConfigError, JiraSettings, check_url_safety, jira_with_url

        url = self.query_one("#url", Input).value.strip().rstrip("/")
        try:  # the same rules as the config file: https (http only to this machine), no query or fragment
            check_url_safety(jira_with_url(JiraSettings(), url, "URL"))
        except ConfigError as exc:
            self.status(str(exc).replace("URL: jira.url: ", "The URL "), "bold red")
            return
        try:  # serverInfo answers without signing in: detect the deployment first
            info = httpx.get(url + "/rest/api/2/serverInfo", timeout=10).json()
            dc = info.get("deploymentType") != "Cloud"
            self.query_one("#dc" if dc else "#cloud", RadioButton).value = True
        except (httpx.HTTPError, ValueError):
            pass
        if self.gateway is not None:
            await self.gateway.close()
        self.gateway = Gateway(self._conn(), max_retries=1)
        try:
            await self.gateway.open()
            self.desks = await self.gateway.service_desks()
            orgs = await self.gateway.organizations()
        except JiraError as exc:
            self.status(f"Could not connect: {exc.short()}", "bold red")
            return
        me = self.gateway.me.name if self.gateway.me else "?"
        desks = self.query_one("#desks", SelectionList)
        desks.clear_options()
        for n, d in enumerate(self.desks):
            desks.add_option((f"{d.get('projectName')} ({d.get('projectKey')})", str(d.get("id")), n == 0))
        await self._load_queues(str(self.desks[0].get("id")) if self.desks else "")
        fm = self.gateway.fields
        lines = [f"{k}: {v} ({fm.names.get(v, '')})" for k, v in sorted(fm.ids.items())]
        lines += [f"{k}: NOT FOUND (set it under [fields])" for k in fm.missing()]
        self.query_one("#fields", Static).update(Text("\n".join(lines)))
        inst = self.query_one("#installers", SelectionList)
        inst.clear_options()
        chosen = {o.lower() for o in self.existing.monitor.priority_installers}
        for o in orgs:
            inst.add_option((o.name, o.name, o.name.lower() in chosen))
        self.status(f"Connected as {me} ({self.gateway.conn.deployment}). Pick the rest, then save.", "bold green")

    async def _load_queues(self, desk_id: str) -> None:
        if self.gateway is None or not desk_id:
            return
        queues = await self.gateway.queues(desk_id, include_count=False)
        ql = self.query_one("#queues", SelectionList)
        ql.clear_options()
        chosen = set(self.existing.desk.queues)
        for q in queues:
            ql.add_option((q.name, q.name, q.name in chosen))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.gateway is None or self.gateway.me is None:
            self.status("Connect first: the config is only written once Jira accepted the credentials.", "bold red")
            return
        conn = self.gateway.conn
        desk_ids = self.query_one("#desks", SelectionList).selected
        desk = next((d for d in self.desks if str(d.get("id")) in desk_ids), self.desks[0] if self.desks else {})
        cfg: dict[str, Any] = {
            "jira": {"url": conn.base_url, "deployment": conn.deployment, **({"email": conn.email} if conn.cloud else {})},
            "desk": {"id": str(desk.get("id", "")), "project": str(desk.get("projectKey", "")),
                     "queues": list(self.query_one("#queues", SelectionList).selected)},
            "monitor": {**self.existing.monitor.model_dump(exclude={"priority_installers"}),
                        "priority_installers": list(self.query_one("#installers", SelectionList).selected)},
            "fields": dict(self.gateway.fields.ids),
            "roster": {r: v for r in ROLES if (v := self.query_one(f"#role-{r}", Input).value.strip())},
            "cs": {"project": self.existing.cs.project},
        }
        from queue_tui.config import config_from_dict
        from queue_tui.ui.state import write_atomic

        config_from_dict(cfg, str(self.path))  # the file we write must load
        write_atomic(self.path, render_config(cfg))
        secret = conn.token or conn.pat
        stored = store_secret(conn.base_url, conn.email, secret)
        where = "the OS keyring" if stored else "nowhere: no OS keyring here, so set " + (
            "JIRA_API_TOKEN" if conn.cloud else "JIRA_PAT") + " in your environment"
        self.result = f"Wrote {self.path}. Token stored in {where}. Run `queue-tui doctor`, then `queue-tui`."
        self.exit(self.result)


def run_init(path: Path | None) -> int:
    from queue_tui.config import ConfigError, load_config

    target = path or config_dir() / "config.toml"
    try:
        existing, _ = load_config(target) if target.exists() else (Config(), target)
    except ConfigError as exc:
        print(f"queue-tui init: the existing config has a problem, fix or move it first:\n{exc}")
        return 2
    from queue_tui.terminal_watch import watch_terminal

    watch_terminal()
    result = InitApp(target, existing).run()
    print(result or "Setup cancelled: nothing written.")
    return 0
