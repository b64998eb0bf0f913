"""Configuration: a TOML file validated by pydantic, with environment and command-line overrides.

Precedence: command line > environment (JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PAT,
QUEUE_TUI_CONFIG) > file > defaults. Secrets are never read from the file: they come from the
environment or the OS keyring. A bad file raises `ConfigError` naming the file, the field path
and the problem; the command line turns it into exit code 2.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from queue_tui.core.priority import DEFAULT_PRIORITY_NAMES, PriorityRule

APP = "queue-tui"


class ConfigError(Exception):
    """A configuration problem the user must fix; `str()` is the message to print."""


def home() -> Path | None:
    raw = os.environ.get("QUEUE_TUI_HOME")
    return Path(raw) if raw else None


def config_dir() -> Path:
    h = home()
    if h:
        return h / "config"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP))


def state_dir() -> Path:
    h = home()
    if h:
        return h / "state"
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP))


def cache_dir() -> Path:
    """Where the last snapshot of each queue is kept between runs (nothing there is needed)."""
    h = home()
    if h:
        return h / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP))


def default_config_path() -> Path:
    env = os.environ.get("QUEUE_TUI_CONFIG")
    return Path(env) if env else config_dir() / "config.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JiraSettings(_Strict):
    """Where your Jira is and who you are. The token or PAT is not stored here."""

    url: str = Field("", description=(
        "Site URL, e.g. https://yourteam.atlassian.net, or with its context path for Data Center, e.g. "
        "https://jira.example.com/jira (or JIRA_URL). No query or fragment."))
    deployment: Literal["cloud", "dc"] = Field("cloud", description="cloud (email + API token) or dc (Data Center, personal access token).")
    email: str = Field("", description="Your Atlassian account email, for Cloud (or JIRA_EMAIL).")
    verify_tls: bool = Field(True, description="Verify the server's TLS certificate. Leave on.")
    allow_http: bool = Field(False, description="Allow plain http:// to a host that is not this machine. Leave off.")
    timeout_seconds: float = Field(10.0, gt=0, le=120, description=(
        "Seconds to wait for one Jira answer. A call gives up after three times this, retries included."))
    max_wait_seconds: float = Field(300.0, ge=1, le=3600, description=(
        "Longest wait a rate limit (429, or 503 with Retry-After) can impose; a longer wait Jira asks for "
        "is cut to this."))

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        from urllib.parse import urlsplit

        v = v.strip().rstrip("/")
        if not v:
            return v
        if not v.startswith(("http://", "https://")):
            raise ValueError("must start with https:// (or http:// for this machine)")
        parts = urlsplit(v)
        if parts.query or "?" in v:
            raise ValueError("must not have a query (?...): use the site address, e.g. https://yourteam.atlassian.net")
        if parts.fragment or "#" in v:
            raise ValueError("must not have a fragment (#...): use the site address, e.g. https://yourteam.atlassian.net")
        if parts.username is not None or parts.password is not None:
            raise ValueError("must not hold a user name or password: credentials come from the keyring or "
                             "JIRA_API_TOKEN / JIRA_PAT")
        if not parts.hostname:
            raise ValueError("has no host name")
        return v


class DeskSettings(_Strict):
    """Which service desk and queues to watch."""

    id: str = Field("", description="Service desk id; empty: the only one, or the one whose project key is `project`.")
    project: str = Field("", description="Service desk project key, e.g. SS.")
    queues: list[str] = Field(default_factory=list, description="Queue names or ids to show as tabs; empty: all of them.")


class MonitorSettings(_Strict):
    """How the queue is watched."""

    poll_seconds: float = Field(30.0, ge=5, le=3600, description="Seconds between polls.")
    reconcile_minutes: float = Field(10.0, ge=1, le=1440, description=(
        "Minutes between reconciles of a queue with Jira (which tickets it holds, asked whole); the polls "
        "between them ask only what changed. A failed poll is always followed by a reconcile."))
    bell: bool = Field(False, description="Ring the terminal bell with each alert.")
    unassigned_alert_minutes: int = Field(20, ge=1, le=1440, description="Alert when a ticket stays unassigned this long.")
    priority_installers: list[str] = Field(default_factory=list, description="Organizations with priority service (top tier).")
    priority_names: list[str] = Field(default_factory=lambda: list(DEFAULT_PRIORITY_NAMES), description=(
        "Priority names that also mean priority service: what the team's automation sets once a priority installer's "
        "organization is in (`queue-tui init` finds them on your site); [] to go by the organizations alone."))
    staff_domains: list[str] = Field(default_factory=list, description="Email domains of your company's staff, e.g. goeverbright.com.")
    follow_up_hours: float = Field(24.0, gt=0, description="Flag tickets waiting on support longer than this.")
    dev_projects: list[str] = Field(default_factory=lambda: ["DEV"], description=(
        "Project keys of the development team: a ticket linked to an active low-priority one of theirs may be closed "
        "(queue-triage-and-request-types.txt)."))
    low_priorities: list[str] = Field(default_factory=lambda: ["Low", "Lowest"], description=(
        "This site's Priority names that count as low priority for that rule."))

    @field_validator("staff_domains")
    @classmethod
    def _domains(cls, v: list[str]) -> list[str]:
        out = []
        for d in v:
            d = d.strip().lower().lstrip("@")
            if not d or "." not in d or " " in d:
                raise ValueError(f"'{d}' is not an email domain")
            out.append(d)
        return out


class NotifySettings(_Strict):
    """Alerts that also reach the desktop, for when the terminal is not in front: as terminal notifications (OSC 9 and OSC 777, which many terminals turn into desktop notifications) and through notify-send where it is installed."""

    terminal: list[Literal["osc9", "osc777"]] = Field(default_factory=lambda: ["osc9", "osc777"], description=(
        "Terminal notification sequences to send; [] for none. Keep the one your terminal shows if it shows both."))
    notify_send: bool = Field(True, description="Also run notify-send (Linux desktops), where it is installed.")
    new: bool = Field(True, description="Notify of a new ticket.")
    under_30m: bool = Field(True, description="Notify when a ticket has under 30 minutes left.")
    breached: bool = Field(True, description="Notify when an SLA is breached.")
    unassigned: bool = Field(True, description="Notify when a ticket stays unassigned too long.")
    changed: bool = Field(False, description="Notify when a ticket assigned to you changes (a reply, a status).")


class UiSettings(_Strict):
    """Look and keys."""

    theme: str = Field("", description="Theme name; empty: the last one you picked (or textual-dark).")
    keymap: dict[str, str] = Field(default_factory=dict, description="Binding id -> keys, e.g. assign_me = \"m\".")


class CsSettings(_Strict):
    """The Customer Success (configuration) project and its due-date rules."""

    project: str = Field("CS", description="Key of the CS project.")
    timezone: str = Field("", description="Team time zone for business days, e.g. America/Denver; empty: this computer's.")
    due_rules: list[dict[str, Any]] = Field(default_factory=list, description=(
        "Replace the SOP's due-date rules: tables with name, due, config, qa (24h / 3bd / nbd), "
        "and optional issue_types, top_tier, except_issue_types, and keywords or choice (a yes/no on the c form; "
        "keywords only suggest ticking it)."))

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        if v:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(v)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone '{v}'") from exc
        return v

    @field_validator("due_rules")
    @classmethod
    def _rules(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from queue_tui.core.due_rules import rules_from_data

        rules_from_data(v)
        return v


class Config(_Strict):
    """The whole configuration file."""

    _path: Path | None = PrivateAttr(default=None)  # the file it was read from, or would be (not a setting)

    jira: JiraSettings = Field(default_factory=JiraSettings)  # type: ignore[arg-type]
    desk: DeskSettings = Field(default_factory=DeskSettings)  # type: ignore[arg-type]
    monitor: MonitorSettings = Field(default_factory=MonitorSettings)  # type: ignore[arg-type]
    ui: UiSettings = Field(default_factory=UiSettings)  # type: ignore[arg-type]
    notify: NotifySettings = Field(default_factory=NotifySettings)  # type: ignore[arg-type]
    cs: CsSettings = Field(default_factory=CsSettings)  # type: ignore[arg-type]
    fields: dict[str, str] = Field(default_factory=dict, description="Custom field id overrides: logical name -> customfield_NNNNN.")
    roster: dict[str, str] = Field(default_factory=dict, description=(
        "Roles to people (account id, email or display name): approver, sales_lead, qa_assignee, supervisor, "
        "config_assignee, onboarding_reporter, anonymous_reporter, tesla_sunlight (Tesla-related Sunlight "
        "requests), financier_questions (integrated qualification, webhooks)..."))
    channel_partners: dict[str, str] = Field(default_factory=dict, description="Channel partner organization -> its channel manager's organization.")
    account_managers: dict[str, str] = Field(default_factory=dict, description="Organization -> its account manager (name, email or account id).")
    holidays: list[str] = Field(default_factory=list, description="Team holidays (YYYY-MM-DD) skipped by due dates.")
    request_type_aliases: dict[str, str] = Field(default_factory=dict, description=(
        "Your desk's request type -> the SOP type it stands for (one of the nine of queue-triage-and-request-types.txt), "
        "for names that differ; the same name matches by itself."))

    @field_validator("request_type_aliases")
    @classmethod
    def _aliases(cls, v: dict[str, str]) -> dict[str, str]:
        from queue_tui.core.request_types import SOP_TYPES, sop_type_of

        for site, sop in v.items():
            if sop_type_of(sop) is None:
                raise ValueError(f"'{sop}' (for '{site}') is not an SOP request type: one of {', '.join(SOP_TYPES)}")
        return v

    @field_validator("holidays")
    @classmethod
    def _holidays(cls, v: list[str]) -> list[str]:
        from datetime import date

        for d in v:
            try:
                date.fromisoformat(d)
            except ValueError as exc:
                raise ValueError(f"'{d}' is not a date like 2026-12-25") from exc
        return v

    def placed_at(self, path: Path) -> Config:
        """This config, as read from (or to be written to) `path`."""
        out = self.model_copy()
        out._path = path
        return out

    def where(self) -> str:
        """Where a setting goes, for messages: the file this came from (or would), in words."""
        if self._path is None:
            return "in the config file (`queue-tui init` writes one)"
        return f"in {self._path}" + ("" if self._path.exists() else " (no file there yet: `queue-tui init` writes it)")

    def priority_rule(self) -> PriorityRule:
        """Who gets priority service: the organizations listed, or a Priority named (doctor says which)."""
        m = self.monitor
        return PriorityRule.of(m.priority_installers, m.priority_names, "priority_names" in m.model_fields_set)

    def calendar(self) -> Any:
        """The team's business calendar (time zone and holidays)."""
        from datetime import date, datetime
        from zoneinfo import ZoneInfo

        from queue_tui.core.calendar import BusinessCalendar

        tz = ZoneInfo(self.cs.timezone) if self.cs.timezone else datetime.now().astimezone().tzinfo
        assert tz is not None
        return BusinessCalendar(tz, [date.fromisoformat(d) for d in self.holidays])

    def due_rules(self) -> Any:
        from queue_tui.core.due_rules import DEFAULT_RULES, rules_from_data

        return rules_from_data(self.cs.due_rules) if self.cs.due_rules else DEFAULT_RULES


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def parse_config(text: str, source: str) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    return config_from_dict(data, source)


def config_from_dict(data: dict[str, Any], source: str) -> Config:
    for secret in ("token", "api_token", "pat", "password"):
        if secret in (data.get("jira") or {}):
            raise ConfigError(f"{source}: jira.{secret}: secrets do not belong in the file; "
                              "set JIRA_API_TOKEN / JIRA_PAT or run `queue-tui init` to use the keyring")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown setting"
            lines.append(f"{source}: {_loc(err['loc'])}: {msg}")
        raise ConfigError("\n".join(lines)) from exc


def load_config(path: Path | None = None, required: bool = False) -> tuple[Config, Path]:
    """The file's config (defaults when it does not exist and is not required).

    A file named by QUEUE_TUI_CONFIG is required like one named by --config: the agent chose it, and
    running on defaults instead would hide a typo in its path."""
    if path is None and os.environ.get("QUEUE_TUI_CONFIG"):
        required = True
    path = path or default_config_path()
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: no such config file")
        cfg = Config()
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text") from exc
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
        cfg = parse_config(text, str(path))
    return cfg.placed_at(path), path


def jira_with_url(jira: JiraSettings, url: str, source: str) -> JiraSettings:
    """`jira` with another URL, checked like the file's (a bad one is a ConfigError naming `source`)."""
    try:
        return JiraSettings.model_validate({**jira.model_dump(), "url": url})
    except ValidationError as exc:
        raise ConfigError("\n".join(f"{source}: jira.{_loc(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                                     for e in exc.errors())) from exc


def apply_environment(cfg: Config, env: dict[str, str] | None = None) -> Config:
    env = dict(os.environ) if env is None else env
    jira = cfg.jira.model_copy()
    if env.get("JIRA_URL"):
        jira = jira_with_url(jira, env["JIRA_URL"], "JIRA_URL")
    if env.get("JIRA_EMAIL"):
        jira.email = env["JIRA_EMAIL"]
    if env.get("JIRA_PAT") and not env.get("JIRA_API_TOKEN"):
        jira.deployment = "dc"
    return cfg.model_copy(update={"jira": jira})


def is_loopback_host(host: str) -> bool:
    """This machine: `localhost` or a literal loopback address (127.0.0.0/8, ::1), never a name that
    merely starts like one (127.0.0.1.example.net is someone else's machine)."""
    import ipaddress

    host = host.lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url_safety(jira: JiraSettings) -> None:
    """http:// is only for this machine unless the user explicitly allows it."""
    from urllib.parse import urlsplit

    url = urlsplit(jira.url)
    if url.scheme == "http" and not jira.allow_http:
        if not is_loopback_host(url.hostname or ""):
            raise ConfigError(f"jira.url: {jira.url} is plain http:// to another machine; use https:// "
                              "(or set jira.allow_http = true / pass --allow-http if you really mean it)")
