"""`queue-tui init`: from nothing to a working config in a few minutes, without hand-written ids.

The site URL has the keys at start, prefilled from JIRA_URL (and the email from JIRA_EMAIL);
enter moves on, enter in the token connects. Connecting detects Cloud or Data Center (the chosen
one is marked), then everything else is offered from what the site says: the service desk and
queues, the custom fields, priority service (organizations, and the Priority names a queue of
the desk selects by, else High), aliases for desk request types that read like an SOP type, and
for each role the agents who can be assigned the desk's tickets and its anonymous customer.
Saving writes a commented config and stores the secret in the OS keyring, read back to be sure;
when the keyring kept nothing it says so and names the environment variable to set instead.
Re-running it starts from the existing config.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, RadioButton, RadioSet, Select, SelectionList, Static

from queue_tui.config import Config, config_dir
from queue_tui.config_render import init_config, render_config
from queue_tui.core.roles import ROLES, offer, roster_ref
from queue_tui.service.errors import JiraError
from queue_tui.service.gateway import Connection, Gateway
from queue_tui.service.secrets import keep_secret
from queue_tui.service.setup_discovery import DeskFacts, SiteFacts, desk_facts, site_facts
from queue_tui.service.site import detect_deployment
from queue_tui.ui.commands import bindings
from queue_tui.ui.palette import CommandsHere

DEPLOYMENTS = {"cloud": "Cloud: email + API token", "dc": "Data Center: personal access token"}


class InitApp(App[str]):
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
    COMMANDS = App.COMMANDS | {CommandsHere}
    COMMAND_SCOPE: ClassVar[str] = "init"
    BINDINGS = bindings("init")

    def __init__(self, path: Path, existing: Config, env: dict[str, str] | None = None) -> None:
        super().__init__()
        self.path = path
        self.existing = existing
        self.env = dict(os.environ) if env is None else env
        self.gateway: Gateway | None = None
        self.site: SiteFacts | None = None
        self.desk: DeskFacts | None = None
        self.result = ""

    # -- the form --------------------------------------------------------------------------
    def _secret_from_env(self) -> tuple[str, str]:
        """(variable, value) of a token or PAT already in the environment, else ("", "")."""
        for var in ("JIRA_API_TOKEN", "JIRA_PAT"):
            if self.env.get(var):
                return var, self.env[var]
        return "", ""

    def compose(self) -> ComposeResult:
        e = self.existing
        url = self.env.get("JIRA_URL") or e.jira.url
        email = self.env.get("JIRA_EMAIL") or e.jira.email
        deployment = "dc" if self.env.get("JIRA_PAT") and not self.env.get("JIRA_API_TOKEN") else e.jira.deployment
        var, _ = self._secret_from_env()
        with VerticalScroll():
            yield Static(Text("queue-tui setup", style="bold reverse"))
            yield Label("Jira site URL" + ("  (from JIRA_URL)" if self.env.get("JIRA_URL") else ""), classes="label")
            yield Input(url, placeholder="https://yourteam.atlassian.net", id="url")
            yield Label("Deployment (detected when you connect)", classes="label")
            with RadioSet(id="deployment"):
                for d, text in DEPLOYMENTS.items():
                    yield RadioButton(text, value=deployment == d, id=d)
            yield Label("Email (Cloud)" + ("  (from JIRA_EMAIL)" if self.env.get("JIRA_EMAIL") else ""), classes="label")
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

    def on_mount(self) -> None:
        self.query_one("#url", Input).focus()  # a newcomer types the site first
        self._mark_deployment()

    @on(Input.Submitted, "#url")
    @on(Input.Submitted, "#email")
    def _next_field(self) -> None:
        self.screen.focus_next()

    @on(Input.Submitted, "#secret")
    def _secret_entered(self) -> None:
        self.connect()

    @on(RadioSet.Changed, "#deployment")
    def _deployment_changed(self) -> None:
        self._mark_deployment()

    def _mark_deployment(self) -> None:
        """The chosen deployment reads differently, not only in colour; Data Center needs no email."""
        dc = self.query_one("#dc", RadioButton).value
        for d, text in DEPLOYMENTS.items():
            button = self.query_one(f"#{d}", RadioButton)
            button.label = text + ("   ✔ selected" if button.value else "")
        self.query_one("#email", Input).disabled = dc

    def status(self, text: str, style: str = "") -> None:
        self.query_one("#status", Static).update(Text(text, style=style))

    def _conn(self) -> Connection:
        url = self.query_one("#url", Input).value.strip().rstrip("/")
        dc = self.query_one("#dc", RadioButton).value
        secret = self.query_one("#secret", Input).value.strip() or self._secret_from_env()[1]
        return Connection(url, "dc" if dc else "cloud", email="" if dc else self.query_one("#email", Input).value.strip(),
                          token="" if dc else secret, pat=secret if dc else "")

    # -- connecting and what the site offers -------------------------------------------------
    @on(Button.Pressed, "#connect")
    def _connect_pressed(self) -> None:
        self.connect()

    @work(exclusive=True, exit_on_error=False, description="connect")
    async def connect(self) -> None:
        from queue_tui.config import ConfigError, JiraSettings, check_url_safety, jira_with_url

        url = self.query_one("#url", Input).value.strip().rstrip("/")
        try:  # the same rules as the config file: https (http only to this machine), no query or fragment
            check_url_safety(jira_with_url(JiraSettings(), url, "URL"))
        except ConfigError as exc:
            self.status(str(exc).replace("URL: jira.url: ", "The URL "), "bold red")
            self.query_one("#url", Input).focus()
            return
        deployment = await detect_deployment(url)  # serverInfo answers without signing in
        if deployment is not None:
            self.query_one("#dc" if deployment == "dc" else "#cloud", RadioButton).value = True
            self._mark_deployment()
        if not (self.query_one("#secret", Input).value.strip() or self._secret_from_env()[1]):
            self.status("Paste your API token (Cloud) or personal access token (Data Center) first.", "bold red")
            self.query_one("#secret", Input).focus()
            return
        if self.gateway is not None:
            await self.gateway.close()
        self.status("Connecting…")
        self.gateway = Gateway(self._conn(), max_retries=1)
        try:
            await self.gateway.open()
            self.site = await site_facts(self.gateway)
        except JiraError as exc:
            self.status(f"Could not connect: {exc.short()}", "bold red")
            return
        me = self.gateway.me.name if self.gateway.me else "?"
        desks = self.query_one("#desks", SelectionList)
        desks.clear_options()
        for n, d in enumerate(self.site.desks):
            desks.add_option((f"{d.get('projectName')} ({d.get('projectKey')})", str(d.get("id")), n == self._desk_index()))
        fm = self.gateway.fields
        lines = [f"{k}: {v} ({fm.names.get(v, '')})" for k, v in sorted(fm.ids.items())]
        lines += [f"{k}: NOT FOUND (set it under [fields])" for k in fm.missing()]
        self.query_one("#fields", Static).update(Text("\n".join(lines)))
        await self._load_desk()
        self.status(f"Connected as {me} ({self.gateway.conn.deployment}). Check what was found below, then save (ctrl+s).",
                    "bold green")
        desks.focus()

    def _desk_index(self) -> int:
        assert self.site is not None
        e = self.existing.desk
        for n, d in enumerate(self.site.desks):
            if (e.id and str(d.get("id")) == e.id) or (e.project and str(d.get("projectKey", "")).upper() == e.project.upper()):
                return n
        return 0

    def _chosen_desk(self) -> dict[str, Any]:
        desks = self.site.desks if self.site else []
        ids = self.query_one("#desks", SelectionList).selected
        return next((d for d in desks if str(d.get("id")) in ids), desks[0] if desks else {})

    @on(SelectionList.SelectedChanged, "#desks")
    def _desk_changed(self) -> None:
        chosen = str(self._chosen_desk().get("id", ""))
        if self.site is not None and self.desk is not None and chosen != self.desk.id:
            self.run_worker(self._load_desk(), exclusive=True, group="desk", exit_on_error=False)

    async def _load_desk(self) -> None:
        if self.gateway is None or self.site is None:
            return
        desk = self._chosen_desk()
        if not desk:
            return
        self.desk = facts = await desk_facts(self.gateway, str(desk.get("id")), str(desk.get("projectKey", "")),
                                              self.site.priorities)
        e = self.existing
        ql = self.query_one("#queues", SelectionList)
        ql.clear_options()
        for q in facts.queues:
            ql.add_option((q.name, q.name, q.name in e.desk.queues))
        chosen_orgs = {o.lower() for o in (e.monitor.priority_installers or facts.priority_orgs)}
        inst = self.query_one("#installers", SelectionList)
        inst.clear_options()
        for o in self.site.organizations:
            inst.add_option((o.name, o.name, o.name.lower() in chosen_orgs))
        configured = "priority_names" in e.monitor.model_fields_set
        chosen_names = {n.lower() for n in (e.monitor.priority_names if configured else facts.priority_names)}
        pn = self.query_one("#priority-names", SelectionList)
        pn.clear_options()
        for p in self.site.priorities:
            pn.add_option((p, p, p.lower() in chosen_names))
        why = "as in your config" if configured else facts.priority_names_why
        self.query_one("#priority-why", Static).update(f"Preselected: {why}." if why else "")
        al = self.query_one("#aliases", SelectionList)
        al.clear_options()
        for site, sop in facts.alias_offers(e.request_type_aliases):
            al.add_option((f"{site} → {sop}", f"{site}\t{sop}", True))
        kept = len(facts.request_types) - al.option_count
        self.query_one("#types-note", Static).update(
            f"{kept} of the desk's {len(facts.request_types)} request types need no alias (same name as the SOP's, "
            "already mapped, or like none of the nine)." + (" Could not read: " + "; ".join(facts.problems)
                                                            if facts.problems else ""))
        _offer_people(self, facts, e.roster)

    # -- saving ------------------------------------------------------------------------------
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.gateway is None or self.gateway.me is None:
            self.status("Connect first: the config is only written once Jira accepted the credentials.", "bold red")
            return
        conn = self.gateway.conn
        desk = self._chosen_desk()
        aliases = dict(self.existing.request_type_aliases)
        for pair in self.query_one("#aliases", SelectionList).selected:
            site, sop = str(pair).split("\t", 1)
            aliases[site] = sop
        roster = dict(self.existing.roster)
        for role in ROLES:
            value = self.query_one(f"#role-{role.name}", Select).value
            if isinstance(value, str) and value:
                roster[role.name] = value
            else:
                roster.pop(role.name, None)
        cfg = init_config(self.existing, conn, desk, list(self.query_one("#queues", SelectionList).selected),
                          list(self.query_one("#installers", SelectionList).selected),
                          list(self.query_one("#priority-names", SelectionList).selected),
                          dict(self.gateway.fields.ids), roster, aliases)
        from queue_tui.config import config_from_dict
        from queue_tui.service.local_files import write_atomic

        config_from_dict(cfg, str(self.path))  # the file we write must load
        write_atomic(self.path, render_config(cfg))  # 0600 in a 0700 folder
        self.result = (f"Wrote {self.path}. {keep_secret(conn, self.query_one('#secret', Input).value.strip())} "
                       "Run `queue-tui doctor`, then `queue-tui`.")
        self.exit(self.result)


def _offer_people(app: InitApp, facts: DeskFacts, roster: dict[str, str]) -> None:
    """Each role's picker: the people the desk has (the anonymous customer too), the config's choice
    first when the site does not list it, preselected as configured (or Anonymous for its role)."""
    for role in ROLES:
        people = offer(role, facts.agents, [facts.anonymous] if facts.anonymous else [])
        refs = [(p.name + (f"  <{p.email}>" if p.email else ""), roster_ref(p, people)) for p in people]
        current = roster.get(role.name, "")
        if current and current not in (v for _, v in refs):
            refs.insert(0, (f"{current}  (from your config)", current))
        sel = app.query_one(f"#role-{role.name}", Select)
        sel.set_options(refs)
        sel.prompt = "not set"
        if current:
            sel.value = current
        elif role.name == "anonymous_reporter" and facts.anonymous is not None:
            sel.value = roster_ref(facts.anonymous, people)  # the SOP's "Reporter: Anonymous"


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
