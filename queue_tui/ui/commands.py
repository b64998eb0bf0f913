"""Every action an agent can take, declared once: its id, default key, description, where it lives
and when it is available.

The bindings of each screen and widget are built from this registry, so the footer, the help
screen, the command palette and the agent's keymap (`[ui] keymap`, by id) all read the same
entries. An id never changes once shipped: agents' configs refer to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App

    from queue_tui.ui.screens.queue import QueueScreen
    from queue_tui.ui.widgets.playbook_panel import PlaybookPanel

# Where a command lives, and the title the help screen gives it; in the order help lists them.
SCOPES: dict[str, str] = {
    "queue": "Queue",
    "table": "Moving in the queue",
    "panel": "SOP panel",
    "detail": "Ticket detail",
    "reply": "Reply composer",
    "cs_form": "CS ticket form",
    "existing_cs": "Open CS tickets of the customer",
    "confirm": "Questions",
    "picker": "Pickers",
    "history": "Customer history",
    "bulk": "One action on the marked tickets",
    "close_channel": "The channel (asked again at close; e on the SOP panel's channel step)",
    "team": "Team",
    "audit": "Audit log",
    "help": "This help",
    "app": "Everywhere",
    "init": "Setup (queue-tui init)",
}


@dataclass(frozen=True)
class Command:
    """One action. `when` is asked of the node that owns the scope (the screen or widget) and
    decides whether the palette offers it now; None means always."""

    id: str
    scope: str
    key: str
    action: str
    description: str
    footer: bool = True
    key_display: str | None = None
    when: Callable[[Any], bool] | None = None
    more: str = ""  # said after the description in the help and the tooltip, never in the footer

    @property
    def help(self) -> str:
        return f"{self.description} — {self.more}" if self.more else self.description

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.description, show=self.footer, key_display=self.key_display,
                       id=self.id, tooltip=self.help)

    def available(self, owner: object) -> bool:
        return self.when is None or bool(self.when(owner))


# -- when: predicates on the owning screen or widget ----------------------------------------------
def _ticket(screen: QueueScreen) -> bool:
    return screen.table.current_ticket() is not None


def _panel_open(screen: QueueScreen) -> bool:
    return screen.panel_open


def _marked(screen: QueueScreen) -> bool:
    return bool(screen.marked)


def _filtering(screen: QueueScreen) -> bool:
    return screen.filtering


def _step(panel: PlaybookPanel) -> bool:
    return panel.selected() is not None


def _manual_step(panel: PlaybookPanel) -> bool:
    step = panel.selected()
    return step is not None and step.status == "manual"


def _plans(panel: PlaybookPanel) -> bool:
    return bool(panel.plans)


def _c(id: str, scope: str, key: str, action: str, description: str, **kw: Any) -> Command:  # noqa: A002
    return Command(id, scope, key, action, description, **kw)


COMMANDS: tuple[Command, ...] = (
    # The queue screen.
    _c("assign_me", "queue", "a", "on_ticket('assign_me')", "Assign to me", when=_ticket),
    _c("assign_other", "queue", "A", "on_ticket('assign_other')", "Assign to…", footer=False, when=_ticket),
    _c("take_next", "queue", "n", "take_next", "Take next",
       more="assigns you the unassigned priority-installer ticket nearest its SLA; only when none is left, any other"),
    _c("mark", "queue", "space", "toggle_mark", "Mark for one action on several", footer=False, when=_ticket),
    _c("mark_shown", "queue", "asterisk", "mark_shown", "Mark all shown", key_display="*", footer=False),
    _c("clear_marks", "queue", "u", "clear_marks", "Clear the marks", footer=False, when=_marked),
    _c("team_view", "queue", "T", "team_view", "Team"),
    _c("detail", "queue", "enter", "on_ticket('detail')", "Detail", footer=False, when=_ticket),
    _c("create_cs", "queue", "c", "on_ticket('create_cs')", "Create CS ticket", when=_ticket),
    _c("sop_panel", "queue", "p", "toggle_panel", "SOP panel"),
    _c("request_type", "queue", "t", "on_ticket('request_type')", "Request type", when=_ticket),
    _c("reply", "queue", "m", "on_ticket('reply')", "Reply", when=_ticket),
    _c("non_platform", "queue", "x", "on_ticket('non_platform')", "Non-platform SOP", when=_ticket),
    _c("sop_apply_all", "queue", "G", "panel('apply_all')", "SOP: apply all", footer=False, when=_panel_open),
    _c("ready_to_close", "queue", "R", "ready_to_close", "Ready to close", footer=False),
    _c("close_ticket", "queue", "C", "on_ticket('close')", "Close ticket", footer=False, when=_ticket),
    _c("sop_apply_step", "queue", "g", "panel('apply_step')", "SOP: apply step", footer=False, when=_panel_open),
    _c("sop_fix", "queue", "e", "panel('fix_step')", "SOP: choose a value", footer=False, when=_panel_open),
    _c("sop_switch", "queue", "tab", "switch_focus", "Keys to the SOP panel and back", footer=False,
       when=_panel_open),
    _c("open_browser", "queue", "o", "on_ticket('open_browser')", "Open in browser", footer=False, when=_ticket),
    _c("refresh", "queue", "r", "refresh", "Refresh now", footer=False),
    _c("filter", "queue", "slash", "filter", "Filter", key_display="/"),
    _c("sort", "queue", "s", "cycle_sort", "Sort", footer=False),
    _c("next_queue", "queue", "right_square_bracket", "next_tab", "Next queue", key_display="]", footer=False),
    _c("prev_queue", "queue", "left_square_bracket", "prev_tab", "Previous queue", key_display="[", footer=False),
    _c("clear_filter", "queue", "escape", "clear_filter", "Clear filter", footer=False, when=_filtering),
    # The queue table, when it has the keys (enter is the queue's Detail).
    _c("table_down", "table", "down", "cursor_down", "Next ticket", footer=False),
    _c("table_up", "table", "up", "cursor_up", "Previous ticket", footer=False),
    _c("table_page_down", "table", "pagedown", "page_down", "Page down", footer=False),
    _c("table_page_up", "table", "pageup", "page_up", "Page up", footer=False),
    _c("table_first", "table", "home,ctrl+home", "first", "First ticket", footer=False),
    _c("table_last", "table", "end,ctrl+end", "last", "Last ticket", footer=False),
    # The SOP panel, when it has the keys.
    _c("pb_apply_step", "panel", "g", "apply_step", "Apply step", when=_step),
    _c("pb_apply_all", "panel", "G", "apply_all", "Apply all", when=_plans),
    _c("pb_tick", "panel", "space", "tick", "Tick manual step", when=_manual_step),
    _c("pb_pick", "panel", "P", "pick_playbook", "Other playbook"),
    _c("pb_fix", "panel", "e", "fix_step", "Choose value", when=_step),
    _c("pb_back", "panel", "escape", "back_to_queue", "Back to the queue"),
    # The ticket detail.
    _c("detail_back", "detail", "escape", "app.pop_screen", "Back"),
    _c("detail_assign_me", "detail", "a", "assign_me", "Assign to me"),
    _c("detail_assign_other", "detail", "A", "assign_other", "Assign to…", footer=False),
    _c("detail_create_cs", "detail", "c", "create_cs", "Create CS ticket", footer=False),
    _c("detail_open", "detail", "o", "open_browser", "Open in browser", footer=False),
    _c("detail_reply", "detail", "m", "reply", "Reply"),
    _c("detail_sop_panel", "detail", "p", "sop_panel", "SOP panel"),
    _c("detail_request_type", "detail", "t", "request_type", "Request type"),
    _c("detail_non_platform", "detail", "x", "non_platform", "Non-platform SOP"),
    _c("detail_close_ticket", "detail", "C", "close_ticket", "Close ticket", footer=False),
    _c("detail_history", "detail", "h", "history", "Customer history"),
    _c("detail_reload", "detail", "r", "reload", "Reload"),
    # The reply composer.
    _c("reply_probing", "reply", "f1", "template('probing')", "Probing questions"),
    _c("reply_first_step", "reply", "f2", "template('first_step')", "First step"),
    _c("reply_general", "reply", "f3", "template('general')", "General initial response"),
    _c("reply_toggle", "reply", "ctrl+t", "toggle_visibility", "Internal / public"),
    _c("reply_send", "reply", "ctrl+s", "send", "Send"),
    _c("reply_close", "reply", "escape", "close", "Close (draft kept)"),
    # The CS ticket: the form, and the open CS tickets shown before it.
    _c("cs_create", "cs_form", "ctrl+s", "create", "Create CS ticket"),
    _c("cs_cancel", "cs_form", "escape", "cancel", "Cancel"),
    _c("cs_reset_dates", "cs_form", "ctrl+r", "reset_dates", "Dates by the rule"),
    _c("existing_cancel", "existing_cs", "escape", "cancel", "Cancel"),
    _c("existing_new", "existing_cs", "n", "new", "File a new CS ticket"),
    _c("existing_link", "existing_cs", "l", "link", "Link the highlighted one"),
    # Dialogs.
    _c("confirm_no", "confirm", "escape", "no", "Cancel"),
    _c("confirm_yes", "confirm", "y", "yes", "Yes"),
    _c("confirm_no_key", "confirm", "n", "no", "No", footer=False),
    _c("picker_cancel", "picker", "escape", "cancel", "Cancel"),
    _c("bulk_yes", "bulk", "y", "yes", "Apply to the tickets listed"),
    _c("bulk_include", "bulk", "i", "include", "Include colleagues' tickets"),
    _c("bulk_cancel", "bulk", "escape,n", "cancel", "Cancel / close"),
    _c("close_channel_yes", "close_channel", "y", "confirm", "These channels",
       more="at C: close with the ticked channels; from the SOP panel: set them"),
    _c("close_channel_skip", "close_channel", "k", "skip", "Close without a channel",
       more="only while the channel is empty; the SOP asks for phone, email or chat"),
    _c("close_channel_cancel", "close_channel", "escape", "cancel", "Cancel", more="at C: nothing is closed"),
    _c("team_back", "team", "escape", "back", "Back"),
    _c("team_reassign", "team", "A", "reassign", "Reassign…"),
    _c("team_reload", "team", "r", "reload", "Reload"),
    _c("history_back", "history", "escape", "app.pop_screen", "Back"),
    _c("history_open", "history", "enter", "open", "Read the ticket"),
    _c("audit_back", "audit", "escape,L", "app.pop_screen", "Back"),
    _c("audit_bookkeeping", "audit", "b", "toggle_bookkeeping", "App bookkeeping",
       more="shows or hides the app's own writes (SOP step progress, the claim on a send), dimmed"),
    _c("help_close", "help", "escape,question_mark,q", "dismiss", "Close"),
    # Everywhere.
    _c("help", "app", "question_mark", "help", "Help", key_display="?"),
    _c("audit_log", "app", "L", "audit_log", "Audit log", footer=False),
    _c("quit", "app", "q", "quit", "Quit"),
    # `queue-tui init`, a separate app.
    _c("init_save", "init", "ctrl+s", "save", "Save config"),
    _c("init_quit", "init", "escape", "quit", "Quit"),
)

BY_ID: dict[str, Command] = {c.id: c for c in COMMANDS}


def in_scope(scope: str) -> list[Command]:
    return [c for c in COMMANDS if c.scope == scope]


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of a screen or widget: what its BINDINGS are set to."""
    assert scope in SCOPES, scope
    return [c.binding() for c in in_scope(scope)]


def scope_of(node: object) -> str | None:
    """The scope a screen or widget (or app) owns, from its class attribute COMMAND_SCOPE."""
    scope = getattr(type(node), "COMMAND_SCOPE", None)
    return scope if isinstance(scope, str) else None


def key_text(command: Command, app: App[Any], keymap: Mapping[str, str]) -> str:
    """The keys an agent presses for `command`: the keymap's when it remaps the id, else the default."""
    remapped = keymap.get(command.id)
    if remapped:
        keys: Iterable[Binding] = [Binding(k.strip(), command.action) for k in remapped.split(",") if k.strip()]
    elif command.key_display:
        return command.key_display
    else:
        keys = [Binding(k.strip(), command.action) for k in command.key.split(",")]
    return " ".join(app.get_key_display(b) for b in keys)


def unknown_ids(keymap: Mapping[str, str]) -> list[str]:
    """Ids in an agent's keymap that no command has (a typo would otherwise do nothing silently)."""
    return sorted(k for k in keymap if k not in BY_ID)
