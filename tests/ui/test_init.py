"""`queue-tui init` as a newcomer meets it: the keys on the site URL, values from the environment,
the chosen deployment readable, everything else offered from the site, and an honest word on
where the token went."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from textual.widgets import Input, RadioButton, Select, SelectionList
from textual.widgets.select import InvalidSelectValueError

from queue_tui.config import Config, load_config
from queue_tui.doctor import run_checks
from queue_tui.sandbox import ManualClock, Sandbox, start_sandbox
from queue_tui.service.gateway import Connection
from queue_tui.ui.init_app import InitApp
from tests.ui.helpers import wait_until

SIZE = (120, 60)


class ForgetfulKeyring(KeyringBackend):
    """A keyring that accepts every write and keeps nothing, as some misconfigured backends do."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


@pytest.fixture
def forgetful_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(ForgetfulKeyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def site_desk(clock: ManualClock) -> Iterator[Sandbox]:
    """Another site: its own request type names, and an automation that sets Priority "Top tier"."""
    sb = start_sandbox(clock=clock, request_type_names="site", priority_automation="Top tier")
    yield sb
    sb.stop()


async def test_init_starts_on_the_site_url_with_values_from_the_environment(tmp_path: Path) -> None:
    env = {"JIRA_URL": "https://ourteam.atlassian.net", "JIRA_EMAIL": "me@example.com"}
    app = InitApp(tmp_path / "config.toml", Config(), env=env)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "url"
        assert app.query_one("#email", Input).value == "me@example.com"
        await pilot.press("end", "/")  # typing goes to the URL, not to another field
        assert app.query_one("#url", Input).value == "https://ourteam.atlassian.net/"


async def test_the_chosen_deployment_reads_differently_and_data_center_needs_no_email(tmp_path: Path) -> None:
    app = InitApp(tmp_path / "config.toml", Config(), env={})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cloud, dc = app.query_one("#cloud", RadioButton), app.query_one("#dc", RadioButton)
        assert "selected" in str(cloud.label) and "selected" not in str(dc.label)
        dc.value = True
        await pilot.pause()
        assert "selected" in str(dc.label) and "selected" not in str(cloud.label)
        assert app.query_one("#email", Input).disabled


async def _connect(app: InitApp, pilot: Any, sb: Sandbox, secret: str | None = None) -> None:
    app.query_one("#url", Input).value = sb.base_url
    app.query_one("#email", Input).value = sb.credentials.email
    if secret is not None:
        app.query_one("#secret", Input).value = secret
    app.query_one("#connect").press()
    await wait_until(pilot, lambda: "Connected" in str(app.query_one("#status").content), "the connection")
    await wait_until(pilot, lambda: app.desk is not None, "the desk's offers")
    await pilot.pause()


async def test_url_enter_email_enter_token_enter_fills_each_field_and_connects(
        tmp_path: Path, sandbox: Sandbox) -> None:
    app = InitApp(tmp_path / "config.toml", Config(), env={})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        creds = sandbox.credentials
        for typed in (sandbox.base_url, creds.email, creds.token):
            await pilot.press(*typed, "enter")
        assert app.query_one("#url", Input).value == sandbox.base_url
        assert app.query_one("#email", Input).value == creds.email
        assert app.query_one("#secret", Input).value == creds.token
        await wait_until(pilot, lambda: "Connected" in str(app.query_one("#status").content), "the connection")


async def test_init_says_the_token_was_not_stored_when_the_keyring_keeps_nothing(
        tmp_path: Path, sandbox: Sandbox, forgetful_keyring: None) -> None:
    app = InitApp(tmp_path / "config.toml", Config(), env={})
    async with app.run_test(size=SIZE) as pilot:
        await _connect(app, pilot, sandbox, sandbox.credentials.token)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.return_value is not None, "the save")
    assert "NOT stored" in app.result and "JIRA_API_TOKEN" in app.result and "ForgetfulKeyring" in app.result
    assert "is in the OS keyring" not in app.result


async def test_init_leaves_a_token_from_the_environment_where_it_is(tmp_path: Path, sandbox: Sandbox) -> None:
    app = InitApp(tmp_path / "config.toml", Config(), env={"JIRA_API_TOKEN": sandbox.credentials.token})
    async with app.run_test(size=SIZE) as pilot:
        assert "JIRA_API_TOKEN" in app.query_one("#secret", Input).placeholder
        await _connect(app, pilot, sandbox)  # nothing typed: the environment's token signs in
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.return_value is not None, "the save")
    assert "stays in JIRA_API_TOKEN" in app.result


async def test_init_offers_what_the_site_says_roles_priority_and_request_type_aliases(
        tmp_path: Path, site_desk: Sandbox, forgetful_keyring: None) -> None:
    path = tmp_path / "new" / "config.toml"
    app = InitApp(path, Config(), env={})
    async with app.run_test(size=SIZE) as pilot:
        await _connect(app, pilot, site_desk, site_desk.credentials.token)
        approver = app.query_one("#role-approver", Select)
        assert approver.value == Select.NULL  # offered below, not chosen for the agent
        assert app.query_one("#role-anonymous_reporter", Select).value == "Anonymous"
        names = app.query_one("#priority-names", SelectionList)
        assert names.selected == ["Top tier"]  # the desk's "Priority installers" queue selects by it
        assert "Not for support\tNon-Platform Request" in app.query_one("#aliases", SelectionList).selected
        approver.value = "David Ellis"  # a Select refuses a value it does not offer
        with pytest.raises(InvalidSelectValueError):
            approver.value = "Nobody McNobody"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.return_value is not None, "the save")
    cfg, _ = load_config(path)
    assert cfg.roster["anonymous_reporter"] == "Anonymous" and cfg.roster["approver"] == "David Ellis"
    assert cfg.monitor.priority_names == ["Top tier"]
    assert cfg.request_type_aliases["Not for support"] == "Non-Platform Request"
    assert (path.parent.stat().st_mode & 0o777) == 0o700 and (path.stat().st_mode & 0o777) == 0o600
    conn = Connection(cfg.jira.url, "cloud", email=cfg.jira.email, token=site_desk.credentials.token)
    checks = {c.name: c for c in await run_checks(cfg, str(path), conn)}
    assert not [c for c in checks.values() if not c.ok and c.blocking]
    assert checks["priority service"].ok and "Top tier" in checks["priority service"].detail


async def test_an_unexpected_error_during_setup_shows_one_line_not_the_typed_token(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = InitApp(tmp_path / "config.toml", Config(), env={})

    def explode() -> None:
        token = app.query_one("#secret", Input).value  # noqa: F841 - a local a traceback printer would show
        raise RuntimeError("setup broke")

    with pytest.raises(RuntimeError, match="setup broke"):
        async with app.run_test(size=SIZE) as pilot:
            app.query_one("#secret", Input).value = "ATATT-typed-secret"
            app.call_later(explode)
            await wait_until(pilot, lambda: app.return_code == 1, "the crash")
    shown = capsys.readouterr()
    words = " ".join((shown.out + shown.err).split())
    assert "queue-tui stopped on an unexpected error (RuntimeError)." in words
    assert "ATATT-typed-secret" not in words and "Traceback" not in words
