"""The bad-input corpus: broken config, broken theme files, and malformed or surprising server
answers. Each gets a clear message; config errors exit 2 naming the field; nothing crashes;
ticket text can never inject markup or terminal control sequences. (Broken playbooks are in
tests/unit/test_playbook_engine.py.)"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from queue_tui.cli import main
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service import parse
from queue_tui.service.errors import JiraError, UnavailableError
from queue_tui.service.fields import discover
from queue_tui.ui.themes import load_theme_file
from tests.conftest import make_gateway

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)

# -- configuration: exit 2, naming the file and the field ------------------------------------
CONFIGS = [
    ("not-toml", "[jira\nurl = 'x'", "not valid TOML"),
    ("unknown-section", "[jria]\nurl = 'https://x.atlassian.net'", "jria: unknown setting"),
    ("unknown-key", "[jira]\nurl = 'https://x.atlassian.net'\nusername = 'me'", "jira.username: unknown setting"),
    ("url-without-scheme", "[jira]\nurl = 'x.atlassian.net'", "jira.url: must start with https://"),
    ("bad-deployment", "[jira]\ndeployment = 'server'", "jira.deployment"),
    ("poll-too-fast", "[monitor]\npoll_seconds = 1", "monitor.poll_seconds"),
    ("poll-not-a-number", "[monitor]\npoll_seconds = 'fast'", "monitor.poll_seconds"),
    ("bad-staff-domain", "[monitor]\nstaff_domains = ['not a domain']", "monitor.staff_domains: 'not a domain' is not an email domain"),
    ("token-in-file", "[jira]\nurl = 'https://x.atlassian.net'\ntoken = 'abc123'", "jira.token: secrets do not belong in the file"),
    ("pat-in-file", "[jira]\npat = 'abc123'", "jira.pat: secrets do not belong in the file"),
    ("unknown-timezone", "[cs]\ntimezone = 'Mars/Olympus'", "cs.timezone: unknown time zone"),
    ("bad-holiday", "holidays = ['next friday']", "holidays: 'next friday' is not a date"),
    ("unknown-sop-request-type", "[request_type_aliases]\n'Report a problem' = 'Bugs'",
     "request_type_aliases: 'Bugs' (for 'Report a problem') is not an SOP request type"),
    ("bad-due-offset", "[cs]\ndue_rules = [{name='x', due='3 days', config='24h', qa='48h'}]", "not like 24h, 3bd or nbd"),
    ("due-rule-missing-qa", "[cs]\ndue_rules = [{name='x', due='3bd', config='24h'}]", "due_rules[1]: missing 'qa'"),
    ("keymap-not-a-table", "[ui]\nkeymap = 'a'", "ui.keymap"),
    ("roster-not-strings", "[roster]\napprover = 3", "roster.approver"),
    ("timeout-zero", "[jira]\ntimeout_seconds = 0", "jira.timeout_seconds"),
    ("url-with-query", "[jira]\nurl = 'https://x.atlassian.net?x=1'", "jira.url: must not have a query"),
    ("url-with-fragment", "[jira]\nurl = 'https://x.atlassian.net/#top'", "jira.url: must not have a fragment"),
    ("url-with-password", "[jira]\nurl = 'https://me:pw@x.atlassian.net'", "jira.url: must not hold a user name"),
    ("max-wait-zero", "[jira]\nmax_wait_seconds = 0", "jira.max_wait_seconds"),
]


@pytest.mark.parametrize(("name", "text", "message"), CONFIGS, ids=[c[0] for c in CONFIGS])
def test_bad_config_exits_2_naming_file_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  name: str, text: str, message: str) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    assert main(["--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and message in err
    assert "Traceback" not in err


def test_config_that_is_not_utf8_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes("[jira]\nurl = 'https://caf\xe9.example'\n".encode("latin-1"))
    assert main(["--config", str(path)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_missing_config_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(tmp_path / "nope.toml")]) == 2
    assert "no such config file" in capsys.readouterr().err


def test_config_named_by_the_environment_that_is_not_there_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # A typo in QUEUE_TUI_CONFIG must not quietly run on defaults ("jira.url: not set").
    monkeypatch.setenv("QUEUE_TUI_CONFIG", str(tmp_path / "conifg.toml"))
    monkeypatch.setenv("JIRA_URL", "https://example.atlassian.net")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "conifg.toml: no such config file" in err and "Traceback" not in err


def test_plain_http_to_another_host_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIRA_API_TOKEN", "secret-token-123")
    path = tmp_path / "http.toml"
    path.write_text("[jira]\nurl = 'http://jira.example.com'\nemail = 'me@example.com'\n")
    assert main(["--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "plain http://" in err and "secret-token-123" not in err


@pytest.mark.parametrize("url", ["http://127.0.0.1.attacker.net", "http://localhost.attacker.net:8080",
                                 "http://127.attacker.net", "http://10.0.0.1"])
def test_plain_http_to_a_host_that_only_looks_local_is_refused(url: str) -> None:
    from queue_tui.config import ConfigError, JiraSettings, check_url_safety

    with pytest.raises(ConfigError, match="jira.url: .* is plain http:// to another machine"):
        check_url_safety(JiraSettings(url=url))


@pytest.mark.parametrize("url", ["http://localhost:8089", "http://127.0.0.1:8089", "http://127.8.9.10",
                                 "http://[::1]:8089", "http://LOCALHOST"])
def test_plain_http_to_this_machine_is_allowed(url: str) -> None:
    from queue_tui.config import JiraSettings, check_url_safety

    check_url_safety(JiraSettings(url=url))


def test_a_context_path_in_the_url_is_kept() -> None:
    from queue_tui.config import JiraSettings

    assert JiraSettings(url="https://jira.example.com/jira/").url == "https://jira.example.com/jira"


@pytest.mark.parametrize("where", ["--url", "JIRA_URL"])
def test_a_url_with_a_query_from_the_command_line_or_environment_exits_2(
        where: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://x.atlassian.net?x=1"
    if where == "JIRA_URL":
        monkeypatch.setenv("JIRA_URL", url)
    assert main(["--url", url] if where == "--url" else []) == 2
    err = capsys.readouterr().err
    assert f"{where}: jira.url: must not have a query" in err and "Traceback" not in err


def test_no_url_says_how_to_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "queue-tui init" in err and "--demo" in err


# -- theme files -----------------------------------------------------------------------------
THEMES = [
    ("not-toml", "name = 'x", "not valid TOML"),
    ("no-name", "primary = '#ffffff'", "'name' is required"),
    ("no-primary", "name = 'x'", "'primary' colour is required"),
    ("bad-colour", "name = 'x'\nprimary = 'blurple'", "primary: 'blurple' is not a colour"),
    ("unknown-key", "name = 'x'\nprimary = '#fff'\nsparkle = true", "unknown keys ['sparkle']"),
]


@pytest.mark.parametrize(("name", "text", "message"), THEMES, ids=[t[0] for t in THEMES])
def test_broken_theme_file_is_refused_with_its_name(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    with pytest.raises(ValueError) as err:
        load_theme_file(path)
    assert str(err.value).startswith(f"{name}.toml") and message in str(err.value)


# -- surprising ticket JSON: parsed without raising ------------------------------------------
FM = discover([{"id": "customfield_10010", "name": "Request Type", "schema": {"custom": "com.atlassian.servicedesk:vp-origin"}},
               {"id": "customfield_10002", "name": "Organizations", "schema": {"custom": "com.atlassian.servicedesk:sd-customer-organizations"}},
               {"id": "customfield_10030", "name": "Time to first response", "schema": {"custom": "com.atlassian.servicedesk:sd-sla-field"}}])

TICKETS = [
    ("no-fields", {"key": "SS-1"}),
    ("nulls", {"key": "SS-1", "fields": {"summary": None, "status": None, "priority": None, "assignee": None,
                                         "created": None, "labels": None, "issuelinks": None}}),
    ("wrong-types", {"key": "SS-1", "fields": {"summary": 42, "status": "open", "labels": "EB", "assignee": ["x"],
                                               "customfield_10002": {"id": 1}, "issuelinks": {"a": 1}}}),
    ("unknown-request-type", {"key": "SS-1", "fields": {"customfield_10010": {"requestType": {"id": "99"}}}}),
    ("bad-sla", {"key": "SS-1", "fields": {"customfield_10030": {"ongoingCycle": "soon"}}}),
    ("sla-without-numbers", {"key": "SS-1", "fields": {"customfield_10030": {"ongoingCycle": {"paused": False}}}}),
    ("bad-timestamps", {"key": "SS-1", "fields": {"created": "yesterday-ish", "updated": "2026-13-45T99:00"}}),
    ("org-ids-not-numbers", {"key": "SS-1", "fields": {"customfield_10002": [{"id": "abc", "name": "Helios"}]}}),
    ("huge-text", {"key": "SS-1", "fields": {"summary": "x" * 1_000_000, "description": "y" * 2_000_000}}),
]


@pytest.mark.parametrize(("name", "raw"), TICKETS, ids=[t[0] for t in TICKETS])
def test_surprising_ticket_json_never_raises(name: str, raw: dict) -> None:  # type: ignore[type-arg]
    t = parse.ticket(raw, FM, NOW)
    assert t is not None and t.key == "SS-1" and isinstance(t.summary, str)


def test_a_ticket_without_a_key_is_skipped() -> None:
    assert parse.ticket({"fields": {"summary": "x"}}, FM, NOW) is None
    assert parse.comment({"body": "no id"}) is None


def test_control_characters_in_ticket_text_cannot_reach_the_terminal() -> None:
    raw = {"key": "SS-1", "fields": {"summary": "hi\x1b[2J\x1b]0;pwned\x07 there", "description": "a\x00b\x9bc\nnext line",
                                     "reporter": {"accountId": "1", "displayName": "Eve\x1b[31m"}}}
    t = parse.ticket(raw, FM, NOW)
    assert t is not None
    for text in (t.summary, t.description, t.reporter.name if t.reporter else ""):
        assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text) and "\x9b" not in text
    assert "next line" in t.description


# -- surprising HTTP answers: a clear, typed error, never a traceback -------------------------
ANSWERS = [
    ("proxy-html-502", 502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>", "web page (HTTP 502)"),
    ("html-200", 200, "text/html", b"<html>Login</html>", "not valid JSON"),
    ("non-utf8", 200, "application/json", b'{"displayName": "\xff\xfe"}', "not valid JSON"),
    ("truncated-json", 200, "application/json", b'{"accountId": "1", "displ', "not valid JSON"),
    ("empty-500", 500, "application/json", b"", "Jira error 500"),
]


@pytest.mark.parametrize(("name", "status", "ctype", "body", "message"), ANSWERS, ids=[a[0] for a in ANSWERS])
async def test_broken_server_answers_become_one_clear_line(sandbox: Sandbox, clock: ManualClock, name: str, status: int,
                                                           ctype: str, body: bytes, message: str) -> None:
    gw = make_gateway(sandbox, clock)
    sandbox.canned[("GET", "/rest/api/2/myself")] = (status, ctype, body)
    with pytest.raises(UnavailableError) as err:
        await gw.open()
    assert message in err.value.short()
    await gw.close()


async def test_search_answer_without_issues_is_an_error_not_an_empty_queue(sandbox: Sandbox, clock: ManualClock) -> None:
    gw = await make_gateway(sandbox, clock).open()
    sandbox.canned[("GET", "/rest/api/2/search/jql")] = (200, "application/json", json.dumps({"isLast": True}).encode())
    with pytest.raises(JiraError, match="without issues"):
        await gw.search_tickets("project = SS")
    sandbox.canned[("GET", "/rest/servicedeskapi/servicedesk/1/queue")] = (200, "application/json", b'{"size": 0}')
    with pytest.raises(JiraError, match="without values"):
        await gw.queues("1")
    await gw.close()


async def test_a_jira_error_body_becomes_its_message(sandbox: Sandbox, clock: ManualClock) -> None:
    gw = await make_gateway(sandbox, clock).open()
    with pytest.raises(JiraError) as err:
        await gw.edit("SS-1", fields={"duedate": "next week"})
    assert "duedate" in err.value.short() and "yyyy-MM-dd" in err.value.short()
    await gw.close()
