"""Driving the app against the simulator with a clock the test moves: the app, its queue, its
notifications and screen, the SOP panel and the CS form, as an agent reaches them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from textual.notifications import SeverityLevel
from textual.widgets import OptionList

from queue_tui.cli import DEMO_CONFIG
from queue_tui.config import config_from_dict
from queue_tui.core.context import Context
from queue_tui.core.step_plan import StepPlan
from queue_tui.sandbox import ManualClock, Sandbox
from queue_tui.service.gateway import Connection
from queue_tui.service.playbook_runner import replan
from queue_tui.ui.app import QueueApp
from queue_tui.ui.screens.modals import ConfirmScreen
from queue_tui.ui.screens.queue import QueueScreen
from queue_tui.ui.widgets.playbook_panel import PlaybookPanel

TEST_CONFIG: dict[str, Any] = DEMO_CONFIG


@dataclass(frozen=True)
class Shown:
    """A notification as the agent saw it."""

    message: str
    title: str
    severity: str


class WatchedApp(QueueApp):
    """The queue app, remembering every notification it showed, for tests to read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown: list[Shown] = []

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        self.shown.append(Shown(message, title, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


def make_app(sb: Sandbox, clock: ManualClock, extra: dict[str, Any] | None = None) -> WatchedApp:
    c = sb.credentials
    conn = Connection(sb.base_url, "cloud" if c.mode == "cloud" else "dc", email=c.email, token=c.token, pat=c.pat,
                      timeout=2.0)
    cfg = config_from_dict({**TEST_CONFIG, **(extra or {})}, "test")

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)

    return WatchedApp(conn, cfg, clock=clock.now, auto_poll=False, auto_tick=False,
                      gateway_kwargs={"sleep": sleep})


async def queue_screen(app: QueueApp, pilot: Any) -> QueueScreen:
    """Wait until the queue screen has connected and shown its first poll."""
    for _ in range(200):
        await pilot.pause()
        screen = next((s for s in app.screen_stack if isinstance(s, QueueScreen)), None)
        if screen is not None and screen.feed.polls >= 1 and screen.table.row_count:
            return screen
        await pilot.pause(0.02)
    raise AssertionError("the queue never loaded")


def notifications(app: WatchedApp) -> list[str]:
    return [n.message for n in app.shown]


def text_of(widget: Any, width: int = 200) -> str:
    """What a Static shows, as plain text (rich renderables rendered through a console)."""
    from rich.console import Console

    content = getattr(widget, "content", None)
    if isinstance(content, str):
        return content
    console = Console(record=True, width=width, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(content)
    return console.export_text()


async def wait_until(pilot: Any, cond: Any, what: str, tries: int = 400) -> None:
    """Let the app run until `cond()` holds (or fail naming what never happened)."""
    for _ in range(tries):
        await pilot.pause(0.01)
        if cond():
            return
    raise AssertionError(f"timed out waiting for {what}")


def screen_lines(app: Any) -> list[str]:
    """What the terminal shows, line by line, as plain text (read from Textual's own screenshot)."""
    import html
    import re

    # Runs of blanks are not written as text, only the cells around them: each text goes where
    # its x puts it (a cell is 12.2 units wide in Textual's screenshots).
    lines: dict[int, str] = {}
    pattern = r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>'
    for x, n, text in re.findall(pattern, app.export_screenshot()):
        column = round(float(x) / 12.2)
        lines[int(n)] = lines.get(int(n), "").ljust(column) + html.unescape(text).replace("\xa0", " ")
    return [lines.get(n, "") for n in range(max(lines, default=-1) + 1)]


async def cs_form_open(app: Any, pilot: Any, ready: str = "#epic") -> Any:
    """After `c` (or a CS step's g): past the list of the customer's CS tickets if it comes (n: a
    new one), to the CS form with `ready` drawn; the form screen."""
    from queue_tui.ui.screens.cs_form import CsFormScreen, ExistingCsScreen

    await wait_until(pilot, lambda: isinstance(app.screen, CsFormScreen | ExistingCsScreen) and bool(app.screen.query("*")),
                     "the CS form")
    if isinstance(app.screen, ExistingCsScreen):
        await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, CsFormScreen) and bool(app.screen.query(ready)), "the form")
    return app.screen


# -- the seeded tickets, as a test needs them ----------------------------------------------------
def typed_ticket(sb: Sandbox, summary: str, request_type: str) -> str:
    """The seeded ticket whose summary starts with `summary`, of the request type the agent settled on."""
    w = sb.world
    issue = next(i for i in w.issues.values() if i.summary.startswith(summary))
    issue.request_type = next(r.id for r in w.request_types.values() if r.name == request_type)
    return issue.key


def set_aside_approval_ticket(sb: Sandbox) -> None:
    """The seed's separate approval ticket, made an old closed one of the approver's: not an answer to this onboarding."""
    w = sb.world
    onboarding = next(i for i in w.issues.values() if i.summary == "EverBright Partner Onboarding")
    for other in [x for x in w.issues.values() if x.summary.startswith("RE: EverBright Partner Onboarding")]:
        w.set_status(other, "Closed")
        other.summary = "old"
        other.created = other.updated = onboarding.created - timedelta(days=30)


async def plan_now(app: Any, key: str, pb_id: str) -> tuple[Context, list[StepPlan]]:
    """What the SOP panel would show for `key` under playbook `pb_id`, read from Jira now."""
    s = app.services
    return await replan(s.runner(), key, s.playbooks[pb_id], s.desk_id)


# -- the SOP panel ------------------------------------------------------------------------------
async def open_panel(app: Any, pilot: Any, key: str) -> PlaybookPanel:
    """`p` on `key`'s row: the SOP panel beside the queue with this ticket's plan drawn and the keys on
    its steps (each test opens it once: `p` again closes it)."""
    screen = await queue_screen(app, pilot)
    screen.table.cursor_to(key)
    await pilot.press("p")
    panel = screen.panel
    await wait_until(pilot, lambda: panel.plans and panel.ticket and panel.ticket.key == key
                     and panel._planned_for == (key, panel.pb.id if panel.pb else ""), "the plan")
    await wait_until(pilot, lambda: panel.query_one(OptionList).has_focus, "the keys on the panel")
    return panel


def step_status(panel: PlaybookPanel, step_id: str) -> str:
    return next(str(p.status) for p in panel.plans if p.step.id == step_id)


async def press_on(pilot: Any, panel: PlaybookPanel, step_id: str, *keys: str) -> None:
    """Put the panel's cursor on a step (with the arrow keys, as an agent would) and press keys."""
    ol = panel.query_one(OptionList)
    panel.focus_steps()
    target = [p.step.id for p in panel.plans].index(step_id)
    while ol.highlighted != target:
        await pilot.press("down" if (ol.highlighted or 0) < target else "up")
    await pilot.press(*keys)


async def apply_all_in_panel(pilot: Any, panel: PlaybookPanel) -> None:
    """G, read the preview, y."""
    panel.last_result = ""
    panel.focus_steps()
    await pilot.press("G")
    await wait_until(pilot, lambda: isinstance(panel.app.screen, ConfirmScreen), "the preview of apply-all")
    await pilot.press("y")
    await wait_until(pilot, lambda: "Applied:" in panel.last_result, "apply all")
    assert "Stopped" not in panel.last_result, panel.last_result


async def answer_in_panel(pilot: Any, panel: PlaybookPanel, step_id: str) -> None:
    """g on a step that needs the agent: a suggestion is confirmed at once, a decision after its question."""
    decide = step_status(panel, step_id) == "decide"
    await press_on(pilot, panel, step_id, "g")
    if decide:
        await wait_until(pilot, lambda: isinstance(panel.app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
    await wait_until(pilot, lambda: step_status(panel, step_id) in ("met", "done"), f"{step_id} answered")
