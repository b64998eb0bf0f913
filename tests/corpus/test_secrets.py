"""Secrets and privacy: the token is in no log, audit log, state file, screenshot or error output;
TLS verification is on by default; internal comments are never shown or sent as public."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from queue_tui.cli import RedactFilter, setup_logging
from queue_tui.config import JiraSettings, state_dir
from queue_tui.sandbox import Credentials, ManualClock, Sandbox, start_sandbox
from queue_tui.service.gateway import Connection, Gateway
from tests.ui.helpers import make_app, queue_screen

TOKEN = "ATATT3xFfGF0-very-secret-token-4711"


def _grep_tree(root: Path, needle: str) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            hits.append(str(path))
    return hits


def test_the_token_never_reaches_logs_audit_state_or_screenshots(clock: ManualClock) -> None:
    sb = start_sandbox(clock=clock, credentials=Credentials("cloud", token=TOKEN))
    try:
        log_path = setup_logging(debug=True, secrets=[TOKEN])
        logging.getLogger("queue_tui.test").info("connecting with %s", TOKEN)  # even a careless log line
        app = make_app(sb, clock)

        async def run() -> str:
            async with app.run_test(size=(160, 40)) as pilot:
                screen = await queue_screen(app, pilot)
                key = next(iter(screen.table.tickets))
                await app.services.gateway.add_comment(key, "A note for the audit log", public=False)
                await app.services.gateway.assign(key, app.services.gateway.me)
                return app.export_screenshot()

        import asyncio

        svg = asyncio.run(run())
    finally:
        sb.stop()
        for h in list(logging.getLogger().handlers):
            h.flush()
    assert TOKEN not in svg
    assert log_path.exists() and "[redacted]" in log_path.read_text()
    assert _grep_tree(state_dir(), TOKEN) == []
    assert (state_dir() / "audit.jsonl").exists()


def test_redaction_filter_replaces_every_occurrence() -> None:
    rec = logging.LogRecord("x", logging.INFO, __file__, 1, "a %s b %s", (TOKEN, TOKEN), None)
    RedactFilter([TOKEN]).filter(rec)
    assert TOKEN not in rec.getMessage() and rec.getMessage().count("[redacted]") == 2


def test_error_output_never_shows_the_token(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[jira]\nurl = 'http://jira.example.com'\nemail = 'me@example.com'\n")
    env = {**os.environ, "JIRA_API_TOKEN": TOKEN, "QUEUE_TUI_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-m", "queue_tui", "--config", str(cfg)], capture_output=True, text=True,
                         env=env, timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 2
    assert TOKEN not in out.stdout + out.stderr and "Traceback" not in out.stderr


def test_connection_repr_hides_the_secret() -> None:
    conn = Connection("https://x.atlassian.net", "cloud", email="me@x.com", token=TOKEN)
    assert TOKEN not in repr(conn)


def test_tls_verification_is_on_by_default() -> None:
    assert JiraSettings().verify_tls is True
    assert Connection("https://x.atlassian.net").verify_tls is True
    gw = Gateway(Connection("https://x.atlassian.net", email="a", token="b"))
    # httpx verifies with a context that requires certificates.
    import ssl

    pool = gw.transport.client._transport._pool  # noqa: SLF001 - the only place httpx keeps its SSL context
    assert pool._ssl_context.verify_mode == ssl.CERT_REQUIRED  # noqa: SLF001


async def test_internal_comments_are_never_sent_public_by_default(sandbox: Sandbox, clock: ManualClock) -> None:
    from tests.conftest import make_gateway

    gw = await make_gateway(sandbox, clock).open()
    import inspect

    assert inspect.signature(gw.add_comment).parameters["public"].default is inspect.Parameter.empty
    from queue_tui.ui.screens.reply import ReplyScreen

    t = await gw.issue("SS-2")
    screen = ReplyScreen(t, "Alex", drafts=_Drafts())
    assert screen.public is False  # the composer opens internal
    await gw.close()


class _Drafts:
    def get(self, key: str) -> None:
        return None
