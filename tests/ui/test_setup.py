"""Setup and everyday fit: init through Pilot, doctor's checks, config precedence, serve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from queue_tui.cli import DEMO_CONFIG
from queue_tui.config import apply_environment, config_from_dict, load_config
from queue_tui.doctor import run_checks
from queue_tui.sandbox import ManualClock, Sandbox, start_sandbox
from queue_tui.service.gateway import Connection
from queue_tui.service.secrets import read_secret
from queue_tui.ui.init_app import InitApp
from tests.ui.helpers import wait_until


class MemoryKeyring(KeyringBackend):
    """A keyring double, used because CI machines have no OS keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Any:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)




@pytest.mark.parametrize("mode", ["cloud", "dc"])
async def test_init_writes_a_config_that_doctor_passes_and_keeps_the_secret_out(
        tmp_path: Path, clock: ManualClock, memory_keyring: MemoryKeyring, mode: str) -> None:
    sb = start_sandbox(mode=mode, clock=clock)
    path = tmp_path / "config.toml"
    existing = config_from_dict({"roster": DEMO_CONFIG["roster"]}, "test")  # re-running init starts from these
    app = InitApp(path, existing)
    secret = sb.credentials.token if mode == "cloud" else sb.credentials.pat
    try:
        async with app.run_test(size=(120, 60)) as pilot:
            from textual.widgets import Input, SelectionList

            app.query_one("#url", Input).value = sb.base_url
            if mode == "cloud":
                app.query_one("#email", Input).value = sb.credentials.email
            app.query_one("#secret", Input).value = secret
            app.query_one("#connect").press()
            await wait_until(pilot, lambda: "Connected" in str(app.query_one("#status").content), "the connection")
            assert app.gateway is not None and app.gateway.conn.deployment == mode  # detected from serverInfo
            inst = app.query_one("#installers", SelectionList)
            for name in ("Helios Home Power", "Summit Solar Group"):
                inst.select(name)
            fields_text = str(app.query_one("#fields").content)
            assert "request_type: customfield_10010" in fields_text
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.return_value is not None, "the save")
        text = path.read_text()
        assert secret not in text
        assert "# queue-tui configuration" in text and "[roster]" in text
        cfg, _ = load_config(path)
        assert cfg.jira.deployment == mode and cfg.desk.project == "SS"
        assert cfg.monitor.priority_installers == ["Helios Home Power", "Summit Solar Group"]
        stored = read_secret(cfg.jira.url, cfg.jira.email, cfg.jira.deployment, env={})
        assert stored == secret  # in the keyring, not the file
        conn = Connection(cfg.jira.url, cfg.jira.deployment, email=cfg.jira.email,
                          token=stored if mode == "cloud" else "", pat=stored if mode == "dc" else "")
        checks = await run_checks(cfg, str(path), conn)
        # Everything init offers is set; only the account managers (per organization) are left to finish.
        assert [c.name for c in checks if not c.ok] == ["account managers"], "\n".join(c.line() for c in checks)
    finally:
        sb.stop()


async def _doctor(sb: Sandbox, extra: dict[str, Any] | None = None, token: str | None = None) -> list[Any]:
    cfg = config_from_dict({**DEMO_CONFIG, **(extra or {})}, "test")
    c = sb.credentials
    conn = Connection(sb.base_url, "cloud", email=c.email, token=token or c.token)
    return await run_checks(cfg, "test", conn)


def _problems(checks: list[Any]) -> dict[str, Any]:
    return {c.name: c for c in checks if not c.ok}


async def test_doctor_reports_a_wrong_token_with_its_fix(sandbox: Sandbox) -> None:
    p = _problems(await _doctor(sandbox, token="wrong"))
    assert "sign-in" in p and "queue-tui init" in p["sign-in"].fix


async def test_doctor_reports_a_missing_permission(sandbox: Sandbox) -> None:
    sandbox.world.permissions["ASSIGN_ISSUES"] = False
    p = _problems(await _doctor(sandbox))
    assert "missing ASSIGN_ISSUES" in p["permissions (SS)"].detail and "admin" in p["permissions (SS)"].fix


async def test_doctor_reports_an_unmapped_field(sandbox: Sandbox) -> None:
    import json

    from queue_tui.sandbox.render import FIELDS

    fields = [{"id": f, "name": n, "custom": f.startswith("customfield"), "schema": {"type": t}}
              for f, n, _k, t, _i in FIELDS if n != "QA Assignee"]
    sandbox.canned[("GET", "/rest/api/2/field")] = (200, "application/json", json.dumps(fields).encode())
    p = _problems(await _doctor(sandbox))
    assert "qa_assignee" in p["field mapping"].detail and "[fields]" in p["field mapping"].fix


async def test_doctor_reports_an_unknown_role(sandbox: Sandbox) -> None:
    demo_roster = DEMO_CONFIG["roster"]
    assert isinstance(demo_roster, dict)
    roster = {k: v for k, v in demo_roster.items() if k != "approver"}
    roster["qa_assignee"] = "Nobody McNobody"
    p = _problems(await _doctor(sandbox, {"roster": roster}))
    assert p["role approver"].detail.startswith("not mapped") and "[roster]" in p["role approver"].fix
    assert "not found in Jira" in p["role qa_assignee"].detail


def test_config_precedence_command_line_over_environment_over_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from queue_tui.cli import _parser, _settings

    path = tmp_path / "c.toml"
    path.write_text("[jira]\nurl = 'https://file.example.net'\nemail = 'file@example.net'\n[monitor]\npoll_seconds = 60\n")
    monkeypatch.setenv("QUEUE_TUI_CONFIG", str(path))
    cfg = _settings(_parser().parse_args([]))
    assert (cfg.jira.url, cfg.jira.email, cfg.monitor.poll_seconds) == ("https://file.example.net", "file@example.net", 60)
    monkeypatch.setenv("JIRA_URL", "https://env.example.net")
    monkeypatch.setenv("JIRA_EMAIL", "env@example.net")
    cfg = _settings(_parser().parse_args([]))
    assert (cfg.jira.url, cfg.jira.email) == ("https://env.example.net", "env@example.net")
    cfg = _settings(_parser().parse_args(["--url", "https://cli.example.net", "--poll", "15"]))
    assert (cfg.jira.url, cfg.monitor.poll_seconds) == ("https://cli.example.net", 15)
    monkeypatch.setenv("JIRA_PAT", "x")
    assert apply_environment(load_config(path)[0]).jira.deployment == "dc"  # a PAT alone means Data Center
