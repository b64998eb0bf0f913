"""The `queue-tui` command: the app, `--demo`, and the `sandbox` simulator.

Configuration problems exit with code 2 and one clear message per problem; no traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from queue_tui import startup  # first of the app's modules: holds the collector until the first frame
from queue_tui.config import (
    Config,
    ConfigError,
    apply_environment,
    check_url_safety,
    config_from_dict,
    jira_with_url,
    load_config,
    state_dir,
)

DEMO_CONFIG = {
    "desk": {"project": "SS"},
    "monitor": {
        "poll_seconds": 10,
        "priority_installers": ["Helios Home Power", "Summit Solar Group", "Sunny Day Solar"],
        "staff_domains": ["goeverbright.com"],
        "unassigned_alert_minutes": 20,
    },
    "roster": {
        "approver": "David Ellis", "sales_lead": "Jordan Chriss", "qa_assignee": "Cherish Sharma",
        "supervisor": "Morgan Lee", "config_assignee": "Tomas Berg", "onboarding_reporter": "onboarding@goeverbright.com",
        "anonymous_reporter": "Anonymous", "tesla_sunlight": "Kira Gaza", "financier_questions": "Bhargav Gor",
    },
    "channel_partners": {"HW Solar": "Green Light Solar", "Mesa Solar": "Bright Path Energy"},
    "account_managers": {
        "Helios Home Power": "Rachel Kim", "Summit Solar Group": "Marcus Hale", "Sunny Day Solar": "Rachel Kim",
        "HW Solar": "Marcus Hale", "Green Light Solar": "Rachel Kim", "Sighten Solar": "Marcus Hale",
        "Bright Path Energy": "Rachel Kim", "Apex Roofing & Solar": "Marcus Hale", "Evergreen Installers": "Rachel Kim",
        "Blue Sky Renewables": "Marcus Hale", "Northwind Solar": "Rachel Kim", "Coastal Sun Co": "Marcus Hale",
        "Lakeside Electric": "Rachel Kim", "Mesa Solar": "Marcus Hale", "Redwood Power Systems": "Rachel Kim",
        "Granite State Solar": "Marcus Hale",
    },
}


class RedactFilter(logging.Filter):
    """Replace any secret that slips into a log record."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 4]

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        for s in self.secrets:
            msg = msg.replace(s, "[redacted]")
        record.msg, record.args = msg, None
        return True


def setup_logging(debug: bool, secrets: list[str]) -> Path:
    from queue_tui.service.local_files import private_dir, touch_private

    private_dir(state_dir())  # a state folder an older version left open to others is narrowed to 0700
    path = touch_private(state_dir() / "logs" / "queue-tui.log")  # 0600 in a 0700 folder before logging opens it
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secrets))
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for noisy in ("httpx", "httpcore", "urllib3", "jira"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if debug else logging.WARNING)
    return path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="queue-tui", description="Work a Jira Service Management queue from the terminal.")
    p.add_argument("--demo", action="store_true", help="run against the built-in service-desk simulator (no account needed)")
    p.add_argument("--config", type=Path, help="config file (default: the platform config dir, or QUEUE_TUI_CONFIG)")
    p.add_argument("--url", help="Jira site URL (overrides JIRA_URL and the file)")
    p.add_argument("--email", help="Atlassian account email for Cloud (overrides JIRA_EMAIL)")
    p.add_argument("--deployment", choices=["cloud", "dc"], help="cloud or dc (Data Center)")
    p.add_argument("--poll", type=float, help="seconds between polls")
    p.add_argument("--allow-http", action="store_true", help="allow plain http:// to a host that is not this machine")
    p.add_argument("--debug", action="store_true", help="log HTTP traces (secrets redacted) to the log file")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("init", help="set up: connect, pick desk and queues, find fields, store the token in the keyring")
    sub.add_parser("doctor", help="check config, credentials, permissions, fields, playbooks and roles")
    sv = sub.add_parser("serve", help="run the app in a browser tab on localhost (textual-serve)")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--host", default="127.0.0.1", help="a loopback address (the default) or localhost")
    sb = sub.add_parser("sandbox", help="run the service-desk simulator on 127.0.0.1")
    sb.add_argument("--port", type=int, default=8089)
    sb.add_argument("--mode", choices=["cloud", "dc"], default="cloud")
    sb.add_argument("--email", default="agent@goeverbright.com")
    sb.add_argument("--token", default="sandbox-token")
    sb.add_argument("--pat", default="sandbox-pat")
    sb.add_argument("--tickets", type=int, help="N synthetic tickets instead of the seeded scenarios")
    sb.add_argument("--live", action="store_true", help="new tickets and customer replies arrive every so often; the configuration team and the approver answer the partner SOPs")
    sb.add_argument("--seed", type=int, default=7)
    sb.add_argument("--request-types", choices=["sop", "site"], default="sop",
                    help="the SOP's nine request types, or another site's with other names and ids")
    sb.add_argument("--priority-automation", default="High", metavar="PRIORITY",
                    help="the Priority the team's automation sets on priority installers' tickets ('none': no rule)")
    sb.add_argument("--search-lag", type=float, default=0.0, metavar="SECONDS",
                    help="search sees a change this long after it happens, unless asked to reconcile it")
    sb.add_argument("--html-401", action="store_true", help="answer refused credentials with an HTML page")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is not None:
        startup.resume()  # the queue app resumes the collector once its first frame is drawn
    try:
        if args.command == "sandbox":
            return run_sandbox(args)
        if args.command == "init":
            from queue_tui.ui.init_app import run_init

            setup_logging(args.debug, [])  # where an unexpected error's details go
            return run_init(args.config)
        if args.command == "doctor":
            from queue_tui.doctor import doctor

            return doctor(args.config)
        if args.command == "serve":
            return run_serve(args)
        return run_app(args)
    except ConfigError as exc:
        print(f"queue-tui: configuration problem:\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - one line on screen; the traceback (never local variables) in the log
        logging.getLogger("queue_tui").error("unexpected error", exc_info=exc)
        print(f"queue-tui: stopped on an unexpected error ({type(exc).__name__}); details are in "
              f"{state_dir() / 'logs' / 'queue-tui.log'}", file=sys.stderr)
        return 1
    finally:
        startup.resume()  # an app that stopped before its first frame (main is also called in-process)


def run_sandbox(args: argparse.Namespace) -> int:
    import threading

    from queue_tui.sandbox import Credentials, LiveActivity, OtherTeams, start_sandbox

    creds = Credentials(args.mode, email=args.email, token=args.token, pat=args.pat, html_401=args.html_401)
    automation = None if args.priority_automation.lower() == "none" else args.priority_automation
    try:
        sb = start_sandbox(mode=args.mode, seed=args.seed, tickets=args.tickets, port=args.port, credentials=creds,
                           request_type_names=args.request_types, priority_automation=automation)
    except OSError as exc:
        print(f"queue-tui sandbox: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    sb.world.search_lag = args.search_lag
    live = LiveActivity(sb.world, teams=OtherTeams(sb.world)).start() if args.live else None
    print(f"{sb.base_url} mode={args.mode} {creds.describe()}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        if live:
            live.stop()
        sb.stop()
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """The same app in a browser on this machine, behind a secret; each browser tab runs its own app."""
    import shlex

    from queue_tui.config import is_loopback_host

    try:
        from queue_tui.serve import LockedServer
    except ImportError:
        print("queue-tui serve needs textual-serve: pip install 'queue-tui[serve]'", file=sys.stderr)
        return 2
    if not is_loopback_host(args.host):
        print("queue-tui serve: only this machine (127.0.0.1, ::1 or localhost) may be served: the app holds your "
              "Jira session", file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "queue_tui"] + (["--demo"] if args.demo else []) + (
        ["--config", str(args.config)] if args.config else [])
    LockedServer(shlex.join(command), host=args.host, port=args.port).serve()
    return 0


def _settings(args: argparse.Namespace) -> Config:
    if args.demo:
        return config_from_dict(DEMO_CONFIG, "demo settings")
    cfg, _path = load_config(args.config, required=args.config is not None)
    cfg = apply_environment(cfg)
    jira = cfg.jira.model_copy()
    if args.url:
        jira = jira_with_url(jira, args.url, "--url")
    if args.email:
        jira.email = args.email
    if args.deployment:
        jira.deployment = args.deployment
    if args.allow_http:
        jira.allow_http = True
    monitor = cfg.monitor.model_copy()
    if args.poll:
        monitor.poll_seconds = max(5.0, args.poll)
    return cfg.model_copy(update={"jira": jira, "monitor": monitor})


def run_app(args: argparse.Namespace) -> int:
    from queue_tui.service.gateway import Connection
    from queue_tui.service.secrets import read_secret

    cfg = _settings(args)
    sandbox = live = None
    if args.demo:
        from queue_tui.sandbox import LiveActivity, OtherTeams, start_sandbox

        sandbox = start_sandbox(mode="cloud")
        live = LiveActivity(sandbox.world, interval=40, teams=OtherTeams(sandbox.world)).start()
        c = sandbox.credentials
        conn = Connection(sandbox.base_url, "cloud", email=c.email, token=c.token)
    else:
        if not cfg.jira.url:
            raise ConfigError("jira.url: not set. Run `queue-tui init`, or set JIRA_URL (and JIRA_EMAIL + JIRA_API_TOKEN, "
                              "or JIRA_PAT for Data Center). Try `queue-tui --demo` to see the app first.")
        check_url_safety(cfg.jira)
        if cfg.jira.deployment == "cloud" and not cfg.jira.email:
            raise ConfigError("jira.email: not set; Cloud signs in with your email and an API token (or set JIRA_EMAIL)")
        secret = read_secret(cfg.jira.url, cfg.jira.email, cfg.jira.deployment)
        if not secret:
            var = "JIRA_API_TOKEN" if cfg.jira.deployment == "cloud" else "JIRA_PAT"
            raise ConfigError(f"credentials: no {'API token' if cfg.jira.deployment == 'cloud' else 'personal access token'} "
                              f"found; set {var} or run `queue-tui init` to store it in the OS keyring")
        conn = Connection(cfg.jira.url, cfg.jira.deployment, email=cfg.jira.email,
                          token=secret if cfg.jira.deployment == "cloud" else "",
                          pat=secret if cfg.jira.deployment == "dc" else "", verify_tls=cfg.jira.verify_tls,
                          timeout=cfg.jira.timeout_seconds, max_wait=cfg.jira.max_wait_seconds)
    setup_logging(args.debug, [conn.token, conn.pat])
    from queue_tui.terminal_watch import watch_terminal
    from queue_tui.ui.app import QueueApp

    app = QueueApp(conn, cfg, desk_label="EverBright Support (demo)" if args.demo else "")
    watch_terminal()
    try:
        app.run()
    finally:
        if live:
            live.stop()
        if sandbox:
            sandbox.stop()
    return app.return_code or 0
