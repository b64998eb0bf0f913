"""Doctor tells problems (the app cannot work: exit 1) from things to finish (exit 0 with how)."""

from __future__ import annotations

from typing import Any

import pytest

from queue_tui.cli import DEMO_CONFIG
from queue_tui.config import config_from_dict
from queue_tui.doctor import doctor, run_checks
from queue_tui.sandbox import Sandbox
from queue_tui.service.gateway import Connection


async def _checks(sb: Sandbox, settings: dict[str, Any]) -> dict[str, Any]:
    c = sb.credentials
    checks = await run_checks(config_from_dict(settings, "test"), "test", Connection(sb.base_url, "cloud", email=c.email,
                                                                                     token=c.token))
    return {c.name: c for c in checks}


async def test_doctor_says_which_priority_rule_is_in_force(sandbox: Sandbox) -> None:
    check = (await _checks(sandbox, {}))["priority service"]
    assert check.ok and check.detail == "Priority is High (default)"
    check = (await _checks(sandbox, DEMO_CONFIG))["priority service"]
    assert check.detail == "organization is one of 3 priority installer(s) or Priority is High (default)"


async def test_doctor_asks_to_finish_a_priority_name_the_site_does_not_have(sandbox: Sandbox) -> None:
    check = (await _checks(sandbox, {"monitor": {"priority_names": ["Top tier"]}}))["priority service"]
    assert not check.ok and not check.blocking
    assert "no Priority Top tier" in check.detail and "High, Medium" in check.fix and "priority_names" in check.fix


def _env_only(monkeypatch: pytest.MonkeyPatch, sb: Sandbox, token: str | None = None) -> None:
    c = sb.credentials
    monkeypatch.setenv("JIRA_URL", sb.base_url)
    monkeypatch.setenv("JIRA_EMAIL", c.email)
    monkeypatch.setenv("JIRA_API_TOKEN", token or c.token)


async def _doctor_run(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    import asyncio

    rc = await asyncio.to_thread(doctor, None)  # doctor runs its own event loop, as on the command line
    return rc, capsys.readouterr().out


async def test_doctor_passes_with_credentials_alone_and_lists_what_to_finish(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _env_only(monkeypatch, sandbox)
    rc, out = await _doctor_run(capsys)
    assert rc == 0, out
    assert "PROBLEM" not in out
    finish = [line for line in out.splitlines() if line.startswith("finish")]
    assert any("role approver" in line for line in finish), out
    assert "to finish, 0 problem(s)" in out


async def test_doctor_fails_when_jira_refuses_the_credentials(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _env_only(monkeypatch, sandbox, token="wrong")
    rc, out = await _doctor_run(capsys)
    assert rc == 1 and "PROBLEM  sign-in" in out


async def test_doctor_names_the_steps_a_role_serves_and_the_file_to_set_it_in(sandbox: Sandbox, tmp_path: Any) -> None:
    c = sandbox.credentials
    path = tmp_path / "config.toml"
    checks = await run_checks(config_from_dict({}, "test"), "defaults + environment",
                              Connection(sandbox.base_url, "cloud", email=c.email, token=c.token), config_path=path)
    by_name = {ch.name: ch for ch in checks}
    approver = by_name["role approver"]
    assert not approver.ok and not approver.blocking and "everbright-onboarding" in approver.detail
    assert f'add approver = "Name or email" under [roster] in {path}' in approver.fix
    reporter = by_name["role anonymous_reporter"]
    assert reporter.ok and "anonymous customer, Anonymous" in reporter.detail  # the site answers it


async def test_doctor_names_the_alias_a_desk_with_its_own_type_names_needs(clock: Any) -> None:
    from queue_tui.sandbox import start_sandbox

    sb = start_sandbox(clock=clock, request_type_names="site")
    try:
        check = (await _checks(sb, {}))["request type Non-Platform Request"]
        assert check.ok and 'uses this desk\'s "Not for support", which reads like it' in check.detail
        assert '"Not for support" = "Non-Platform Request" under [request_type_aliases]' in check.detail
        aliased = await _checks(sb, {"request_type_aliases": {"Not for support": "Non-Platform Request"}})
        assert aliased["request type Non-Platform Request"].detail == "on this desk"
        sb.world.request_types = {k: v for k, v in sb.world.request_types.items() if v.name != "Not for support"}
        check = (await _checks(sb, {}))["request type Non-Platform Request"]
        assert not check.ok and not check.blocking and "under [request_type_aliases]" in check.fix
    finally:
        sb.stop()


def test_doctor_without_a_site_says_where_to_set_it_once(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert doctor(tmp_path / "config.toml") == 2
    out = capsys.readouterr().out
    assert "jira.url: not set in " + str(tmp_path / "config.toml") in out
    assert "fix: run `queue-tui init`, or set JIRA_URL" in out and "setting named above" not in out
