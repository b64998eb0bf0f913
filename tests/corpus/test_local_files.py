"""Local files: private from the moment they exist, a state file of the wrong shape never stops
the app, two copies of the app on one account keep each other's drafts, and an unexpected error
shows one line, never a traceback with local variables, on screen or in the log."""

from __future__ import annotations

import json
import logging
import os
import pty
import signal
import stat
import sys
import time
from pathlib import Path

import pytest

from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.ui.drafts import DraftStore
from tests.ui.helpers import make_app, notifications, queue_screen, wait_until
from tests.ui.test_terminal import ROOT, _exit_status, _read_until


def _modes(home: Path) -> dict[str, str]:
    out = {}
    for p in sorted(home.rglob("*")):
        out[str(p.relative_to(home))] = oct(stat.S_IMODE(p.stat().st_mode))
    return out


def test_a_real_run_leaves_only_private_folders_and_files(tmp_path: Path) -> None:
    env = {**os.environ, "QUEUE_TUI_HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
    pid, master = pty.fork()
    if pid == 0:
        os.umask(0o022)  # the usual umask: modes must not depend on it
        os.execve(sys.executable, [sys.executable, "-m", "queue_tui", "--demo"], env)
    try:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
        assert b"SS-" in _read_until(master, b"SS-", 90), "the queue never painted"
        os.write(master, b"m")  # the reply composer: typing saves a draft
        time.sleep(1.5)
        os.write(master, b"On it")
        drafts = tmp_path / "state" / "drafts"
        end = time.monotonic() + 20
        while not any(drafts.glob("*.json")) and time.monotonic() < end:
            _read_until(master, b"\x00", 0.3)
        os.write(master, b"\x1b")  # close, draft kept
        time.sleep(1.0)
        os.write(master, b"a")  # assign to me: a write, so an audit line
        time.sleep(1.0)
        os.write(master, b"y")  # if someone else holds it, the app asks first
        audit = tmp_path / "state" / "audit.jsonl"
        end = time.monotonic() + 20
        while not audit.exists() and time.monotonic() < end:
            _read_until(master, b"\x00", 0.3)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            _exit_status(pid, 5)
        except ChildProcessError:
            pass
        os.close(master)
    modes = _modes(tmp_path)
    for want in ("state", "state/logs", "state/logs/queue-tui.log", "state/drafts", "state/audit.jsonl"):
        assert want in modes, f"{want} was not written: {modes}"
    wrong = {p: m for p, m in modes.items() if m != ("0o700" if (tmp_path / p).is_dir() else "0o600")}
    assert wrong == {}


async def test_a_state_file_of_the_wrong_shape_is_set_aside_and_the_app_starts(sandbox: Sandbox, clock: ManualClock,
                                                                                tmp_path: Path) -> None:
    state = Path(os.environ["QUEUE_TUI_HOME"]) / "state"
    state.mkdir(parents=True)
    (state / "ui.json").write_text(json.dumps({"theme": ["x"]}))
    app = make_app(sandbox, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await queue_screen(app, pilot)
        assert screen.table.row_count > 0
        assert "ui.json has 'theme' that is not text; set it aside as ui.json.corrupt and started fresh" in notifications(app)
    assert (state / "ui.json.corrupt").exists() and not (state / "ui.json").exists()


def test_two_copies_of_the_app_keep_each_others_drafts(tmp_path: Path) -> None:
    one, two = DraftStore(tmp_path / "drafts"), DraftStore(tmp_path / "drafts")
    one.save("SS-1", "first", False, "general")
    two.save("SS-2", "second", True, "probing")
    one.save("SS-1", "first, edited", False, "general")
    one.drop("SS-3")
    assert two.get("SS-1") == {"body": "first, edited", "public": False, "kind": "general"}
    assert one.get("SS-2") == {"body": "second", "public": True, "kind": "probing"}
    two.drop("SS-2")
    assert one.get("SS-2") is None and DraftStore(tmp_path / "drafts").get("SS-1") is not None


def test_a_draft_of_the_wrong_shape_is_set_aside_with_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "SS-4.json").write_text(json.dumps({"body": 42, "public": "yes", "kind": "general"}))
    store = DraftStore(folder)
    assert store.problem == "SS-4.json has 'body' that is not text; set it aside as SS-4.json.corrupt and started fresh"
    assert store.get("SS-4") is None


def test_drafts_of_the_former_single_file_are_kept(tmp_path: Path) -> None:
    (tmp_path / "drafts.json").write_text(json.dumps({"SS-9": {"body": "old", "public": False, "kind": "general"}}))
    assert DraftStore(tmp_path / "drafts").get("SS-9") == {"body": "old", "public": False, "kind": "general"}


async def test_an_unexpected_error_shows_one_line_and_logs_no_local_variables(
        sandbox: Sandbox, clock: ManualClock, capsys: pytest.CaptureFixture[str]) -> None:
    from queue_tui.cli import setup_logging

    log_path = setup_logging(False, [])
    app = make_app(sandbox, clock)

    def explode() -> None:
        customer_secret = "Helios gate code 4471"  # noqa: F841 - a local a traceback printer would show
        raise RuntimeError("the table broke")

    try:
        with pytest.raises(RuntimeError, match="the table broke"):  # the test run hears of the error
            async with app.run_test(size=(120, 30)) as pilot:
                await queue_screen(app, pilot)
                app.call_later(explode)
                await wait_until(pilot, lambda: app.return_code == 1, "the crash")
    finally:
        for h in list(logging.getLogger().handlers):
            h.close()
            logging.getLogger().removeHandler(h)
    screen = capsys.readouterr()
    shown = screen.out + screen.err
    assert f"queue-tui stopped on an unexpected error (RuntimeError). Your drafts are saved. Details for whoever " \
           f"looks into it are in {log_path}" in " ".join(shown.split())
    assert "Traceback" not in shown and "the table broke" not in shown
    assert "Helios gate code" not in shown and "customer_secret" not in shown
    logged = log_path.read_text()
    assert "RuntimeError: the table broke" in logged and "Traceback" in logged
    assert "Helios gate code" not in logged
