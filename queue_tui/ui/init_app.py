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

Here: the app, its keys and connecting. The form's fields are in init_form.py, what the chosen
desk offers goes into them in init_offers.py, and saving is init_save.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.widgets import Button, Input, RadioButton, RadioSet, SelectionList, Static

from queue_tui.config import Config, config_dir
from queue_tui.service.errors import JiraError
from queue_tui.service.gateway import Connection, Gateway
from queue_tui.service.setup_discovery import DeskFacts, SiteFacts, desk_facts, site_facts
from queue_tui.service.site import detect_deployment
from queue_tui.ui.commands import bindings
from queue_tui.ui.crash import StopsShort
from queue_tui.ui.init_form import CSS as FORM_CSS
from queue_tui.ui.init_form import DEPLOYMENTS, init_form, secret_from_env
from queue_tui.ui.init_offers import show_desk
from queue_tui.ui.init_save import config_from_form, keep_typed_secret, write_config
from queue_tui.ui.palette import CommandsHere


class InitApp(StopsShort[str]):
    CSS = FORM_CSS
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
    def compose(self) -> ComposeResult:
        yield from init_form(self.existing, self.env)

    def on_mount(self) -> None:
        self.query_one("#url", Input).focus()  # a newcomer types the site first
        self._mark_deployment()

    @on(Input.Submitted, "#url")
    @on(Input.Submitted, "#email")
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter goes to the next thing to type: the deployment (detected on connect, reached with tab)
        # would swallow the email typed after the URL.
        email = self.query_one("#email", Input)
        to_email = event.input.id == "url" and not email.disabled
        (email if to_email else self.query_one("#secret", Input)).focus()

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
        secret = self.query_one("#secret", Input).value.strip() or secret_from_env(self.env)[1]
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
        if not (self.query_one("#secret", Input).value.strip() or secret_from_env(self.env)[1]):
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
            self.status(exc.short(), "bold red")  # says it could not connect, and why
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
        show_desk(self, self.site, facts, self.existing)

    # -- saving ------------------------------------------------------------------------------
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.gateway is None or self.gateway.me is None:
            self.status("Connect first: the config is only written once Jira accepted the credentials.", "bold red")
            return
        conn = self.gateway.conn
        desk = self._chosen_desk()
        cfg = config_from_form(self, self.existing, conn, desk, self.gateway.fields.ids)
        write_config(self.path, cfg)  # 0600 in a 0700 folder
        self.result = f"Wrote {self.path}. {keep_typed_secret(self, conn)} Run `queue-tui doctor`, then `queue-tui`."
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
    app = InitApp(target, existing)
    result = app.run()
    if app.return_code:  # stopped on an unexpected error: its line is already on screen
        return app.return_code
    print(result or "Setup cancelled: nothing written.")
    return 0
