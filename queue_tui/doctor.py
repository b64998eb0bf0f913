"""`queue-tui doctor`: check config, credentials, reachability, permissions, fields, playbooks,
roles and the priority rule; print each with its fix.

Two kinds of failure: a problem means the app cannot work (no credentials, Jira unreachable or
refusing them, no right to browse the desk): exit 1. A thing to finish means the app works but
one feature needs a setting (a playbook's role, a field id, the CS project's permissions): exit 0,
with the warning and where to set it, so a new user's first run passes with credentials alone.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from queue_tui.config import Config, ConfigError, apply_environment, check_url_safety, load_config
from queue_tui.service.errors import AuthError, JiraError
from queue_tui.service.fields import WANTED
from queue_tui.service.gateway import Connection, Gateway
from queue_tui.service.secrets import read_secret

DESK_PERMISSIONS = ("BROWSE_PROJECTS", "ASSIGN_ISSUES", "EDIT_ISSUES", "ADD_COMMENTS", "TRANSITION_ISSUES")
CS_PERMISSIONS = ("CREATE_ISSUES", "LINK_ISSUES")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    blocking: bool = True  # when not ok: True, the app cannot work; False, a feature needs finishing

    @property
    def label(self) -> str:
        return "ok     " if self.ok else ("PROBLEM" if self.blocking else "finish ")

    def line(self) -> str:
        head = f"{self.label}  {self.name:<22} {self.detail}"
        return head + (f"\n         {'fix' if self.blocking else 'how'}: {self.fix}" if not self.ok and self.fix else "")


async def run_checks(cfg: Config, source: str, conn: Connection | None, gateway: Gateway | None = None,
                     config_path: Path | None = None) -> list[Check]:
    """Every check in order; `config_path` is where the fixes say to write (the file, or where it would be)."""
    from queue_tui.config import config_dir
    from queue_tui.service.playbooks import load_all, playbook_dirs

    checks = [Check("config", True, source)]
    if conn is None:
        return checks + [Check("credentials", False, "no token / PAT found",
                               "set JIRA_API_TOKEN (Cloud) or JIRA_PAT (Data Center), or run `queue-tui init` to use the keyring")]
    checks.append(Check("credentials", True, f"{conn.deployment}: {'email + API token' if conn.cloud else 'personal access token'}"))
    gw = gateway or Gateway(conn, field_overrides=cfg.fields, max_retries=1)
    try:
        try:
            info = await gw.server_info()
            checks.append(Check("reachability", True, f"{conn.base_url} ({info.get('deploymentType', '?')} {info.get('version', '')})"))
        except JiraError as exc:
            return checks + [Check("reachability", False, exc.short(), "check jira.url, the network or a proxy")]
        try:
            await gw.open()
            me = gw.me.name if gw.me else "?"
            checks.append(Check("sign-in", True, f"signed in as {me}"))
        except AuthError:
            return checks + [Check("sign-in", False, "Jira refused the credentials (401)",
                                   "create a new API token (Cloud) or PAT (Data Center) and store it again with `queue-tui init`")]
        desks = await gw.service_desks()
        project = cfg.desk.project or (str(desks[0].get("projectKey")) if desks else "")
        perms = await gw.permissions(list(DESK_PERMISSIONS), project or None)
        missing = [p for p, ok in perms.items() if not ok]
        checks.append(Check(f"permissions ({project})", not missing, "all present" if not missing else "missing " + ", ".join(missing),
                            "ask a Jira admin to grant these in the service desk project's permission scheme",
                            blocking="BROWSE_PROJECTS" in missing))
        cs_perms = await gw.permissions(list(CS_PERMISSIONS), cfg.cs.project)
        cs_missing = [p for p, ok in cs_perms.items() if not ok]
        checks.append(Check(f"permissions ({cfg.cs.project})", not cs_missing,
                            "can create and link CS tickets" if not cs_missing else "missing " + ", ".join(cs_missing),
                            f"ask a Jira admin for Create/Link issues in project {cfg.cs.project}", blocking=False))
        unmapped = gw.fields.missing()
        mapping = ", ".join(f"{k}={v}" for k, v in sorted(gw.fields.ids.items()))
        checks.append(Check("field mapping", not unmapped, mapping if not unmapped else "not found: " + ", ".join(unmapped),
                            "add the ids under [fields] in the config, e.g. " + ", ".join(f"{k} = \"customfield_NNNNN\"" for k in unmapped[:2]),
                            blocking=False))
        checks.append(await priority_check(cfg, gw))
        books, problems = load_all(playbook_dirs(config_dir()))
        checks.append(Check("playbooks", not problems, f"{len(books)} loaded" if not problems else "; ".join(problems),
                            "fix the file and line named above (see the playbook authoring guide in the README)", blocking=False))
        desk = _desk(desks, cfg)
        checks += await need_checks(cfg, gw, books, desk, config_path or (Path(source) if source.endswith(".toml") else None))
    except JiraError as exc:
        checks.append(Check("jira", False, exc.short(), "run again; if it persists, see Troubleshooting in the README"))
    finally:
        if gateway is None:
            await gw.close()
    return checks


def doctor(config_path: Path | None) -> int:
    try:
        cfg, path = load_config(config_path)
        cfg = apply_environment(cfg)
        if not cfg.jira.url:
            print(Check("config", False, f"jira.url: not set {cfg.where()}", "run `queue-tui init`, or set JIRA_URL").line())
            return 2
        check_url_safety(cfg.jira)
    except ConfigError as exc:
        print(Check("config", False, str(exc), "correct the setting named above").line())
        return 2
    secret = read_secret(cfg.jira.url, cfg.jira.email, cfg.jira.deployment)
    conn = None
    if secret:
        conn = Connection(cfg.jira.url, cfg.jira.deployment, email=cfg.jira.email,
                          token=secret if cfg.jira.deployment == "cloud" else "",
                          pat=secret if cfg.jira.deployment == "dc" else "", verify_tls=cfg.jira.verify_tls,
                          timeout=cfg.jira.timeout_seconds, max_wait=cfg.jira.max_wait_seconds)
    checks = asyncio.run(run_checks(cfg, str(path) if path.exists() else "defaults + environment", conn, config_path=path))
    for c in checks:
        print(c.line())
    bad = [c for c in checks if not c.ok and c.blocking]
    todo = [c for c in checks if not c.ok and not c.blocking]
    print(f"\n{len(checks) - len(bad) - len(todo)} ok, {len(todo)} to finish, {len(bad)} problem(s)")
    return 0 if not bad else 1


def _desk(desks: list[dict[str, Any]], cfg: Config) -> dict[str, Any]:
    """The desk the app will show: the configured one, else the first (as the app picks it)."""
    for d in desks:
        if (cfg.desk.id and str(d.get("id")) == cfg.desk.id) or (
                cfg.desk.project and str(d.get("projectKey", "")).upper() == cfg.desk.project.upper()):
            return d
    return desks[0] if desks else {}


async def need_checks(cfg: Config, gw: Gateway, books: dict[str, Any], desk: dict[str, Any],
                      config_path: Path | None) -> list[Check]:
    """One line per setting the playbooks and the CS ticket use: met (and found in Jira), working
    on a fallback the site offers, or to finish, with the steps that need it and where to set it."""
    from queue_tui.core.readiness import needs
    from queue_tui.core.roles import anonymous_customer

    desk_id = str(desk.get("id", ""))
    site_types, anonymous = [], None
    if desk_id:
        site_types = await gw.request_types(desk_id)
        try:
            anonymous = anonymous_customer(await gw.customers(desk_id, "anonymous"))
        except JiraError:
            anonymous = None  # the account may not see the desk's customers: no fallback then
    where = (cfg.placed_at(config_path) if config_path is not None else cfg).where()
    out: list[Check] = []
    for n in needs(books, cfg.roster, cfg.account_managers, site_types, cfg.request_type_aliases, anonymous):
        used = "; ".join(n.used_by[:3]) + (f" and {len(n.used_by) - 3} more" if len(n.used_by) > 3 else "")
        if n.met and n.what.startswith("role "):
            role = n.what[5:]
            ref = cfg.roster[role]
            found = await gw.find_users(ref)
            hit = [p for p in found if ref.lower() in (p.name.lower(), p.email.lower(), p.id.lower())]
            out.append(Check(n.what, bool(hit), f"{ref} → {hit[0].name}" if hit else f"'{ref}' not found in Jira",
                             f"set [roster] {role} to the exact name, email or account id {where}", blocking=False))
        elif n.met:
            out.append(Check(n.what, True, "set" if n.setting != "request_type_aliases" else "on this desk"))
        elif n.fallback:
            sure = f"; {n.how(where)} to make it sure" if n.setting == "request_type_aliases" else ""
            out.append(Check(n.what, True, f"not mapped: uses {n.fallback} ({used}){sure}"))
        else:
            offer = "; `queue-tui init` offers the people it finds" if n.setting == "roster" else ""
            out.append(Check(n.what, False, f"not mapped, needed by {used}", n.how(where) + offer, blocking=False))
    return out


async def priority_check(cfg: Config, gw: Gateway) -> Check:
    """Which rule makes a ticket priority service, and whether the site has the Priority names it uses."""
    rule = cfg.priority_rule()
    names = cfg.monitor.priority_names
    site = await gw.priorities()
    unknown = [n for n in names if n.lower() not in {p.lower() for p in site}]
    detail = rule.describe(names)
    if unknown:
        return Check("priority service", False, f"{detail}; this site has no Priority {', '.join(unknown)}",
                     f"set [monitor] priority_names to the Priority your automation sets (this site has {', '.join(site)}), "
                     "or run `queue-tui init`", blocking=False)
    return Check("priority service", True, detail)


_ = WANTED
