"""The CS ticket form (`c`): fully filled in from the SS ticket; `ctrl+s` creates it.

Before the form, open CS tickets for the same customer are shown so the agent can link one
instead (cs-ticket-creation.txt: "check if a ticket has already been filed"). The due-date rules
that are the agent's call (a basic onboarding, a configuration error blocking jobs) are boxes to
tick, left unticked even when the ticket's words suggest it (the sentence is shown beside it, for
the agent to tick); ticking one, or changing the issue type, counts the three dates again, over
the ones the agent has not typed: a typed date stays, the rule's is said under the dates (ctrl+r
takes the rule's again). A weekend day or a due date before QA is a warning under its field, not a
refusal; one already linked to the SS ticket is shown as such, with nothing to link. The customer's attachments are listed: they are
copied to the CS ticket once it exists. Linked Issues offers the site's own link types, each as the
CS ticket's side reads it ("this CS ticket blocks SS-12"), and the Issue it links to (the SS ticket).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from queue_tui.core.calendar import BusinessCalendar
from queue_tui.core.cs_ticket import ISSUE_TYPES, SOP_SET, CsDraft
from queue_tui.core.date_entry import day_warning, day_words, order_warnings, read_date
from queue_tui.core.due_rules import DueDates
from queue_tui.core.link_types import LinkChoice
from queue_tui.core.models import Ticket
from queue_tui.ui.commands import bindings


class ExistingCsScreen(ModalScreen[str | None]):
    """Open CS tickets for this customer: link one (returns its key), file a new one ("new"), or cancel."""

    DEFAULT_CSS = """
    ExistingCsScreen { align: center middle; }
    ExistingCsScreen > Vertical { width: 100; max-width: 100%; height: 20; max-height: 100%; border: thick $warning; background: $surface; padding: 0 1; }
    ExistingCsScreen OptionList { height: 1fr; }
    ExistingCsScreen #existing-says { height: auto; color: $warning; }
    """
    COMMAND_SCOPE: ClassVar[str] = "existing_cs"
    BINDINGS = bindings("existing_cs")

    def __init__(self, ss_key: str, tickets: list[Ticket]) -> None:
        super().__init__()
        self.ss_key = ss_key
        self.tickets = tickets

    def _linked(self, t: Ticket) -> bool:
        """Already linked to the SS ticket (either way, any type): nothing to write for it."""
        return any(lk.key == self.ss_key for lk in t.links)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"{len(self.tickets)} CS ticket(s) already filed: linked to {self.ss_key}, or open for this "
                             "customer", style="bold"))
            yield Static("Enter or l: link the highlighted one to " + self.ss_key + "   n: file a new one   esc: cancel")
            yield OptionList(*[Option(Text.assemble(f"{t.key}  [{t.status}]  ",
                                                    ("already linked  ", "bold") if self._linked(t) else "", t.summary),
                                      id=t.key) for t in self.tickets])
            yield Static("", id="existing-says")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _link(self, t: Ticket) -> None:
        if self._linked(t):
            self.query_one("#existing-says", Static).update(Text(
                f"{t.key} is already linked to {self.ss_key}: nothing to link (n: file a new one, esc: cancel)",
                style="bold"))
            return
        self.dismiss(t.key)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._link(self.tickets[event.option_index])

    def action_link(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self._link(self.tickets[ol.highlighted])

    def action_new(self) -> None:
        self.dismiss("new")

    def action_cancel(self) -> None:
        self.dismiss(None)


DATE_FIELDS = {"due": "Due date", "config": "Configuration", "qa": "QA due"}
PRIORITIES = ("Highest", "High", "Medium", "Low", "Lowest")
# cs-ticket-creation.txt's issue types, in its words.
TYPE_WORDS = ("Doc: document requests; Onboarding; Int Fin: integrated financing; Config Finance: configured "
              "financing; Task: the default when none fits")


_SHORT = {"due": "due", "config": "configuration", "qa": "QA"}


def _why(reason: str) -> str:
    return reason if reason == SOP_SET else f"suggested: {reason}"


def _date_text(cal: BusinessCalendar, moment: datetime) -> str:
    return cal.due_date(moment).isoformat()


class CsFormScreen(ModalScreen[CsDraft | None]):
    """Every field of the CS ticket, editable; dismisses with the (edited) draft to create."""

    DEFAULT_CSS = """
    CsFormScreen { align: center middle; }
    CsFormScreen > Vertical { width: 110; max-width: 100%; height: 95%; border: thick $accent; background: $surface; }
    CsFormScreen #cs-head { height: 1; }
    CsFormScreen VerticalScroll { height: 1fr; padding: 0 1; }
    CsFormScreen .row { height: auto; margin-bottom: 0; }
    CsFormScreen .label { width: 16; text-style: bold; }
    CsFormScreen Input { height: 1; border: none; padding: 0 1; background: $boost; }
    /* Input's and Checkbox's own :focus rules draw a tall border, which in one row leaves no room for the text. */
    CsFormScreen Input:focus { border: none; background: $accent 30%; }
    CsFormScreen Checkbox:focus { border: none; background: $accent 30%; }
    CsFormScreen .field { width: 1fr; }
    CsFormScreen Static.field { padding: 0 1; }
    CsFormScreen .why { color: $text-muted; padding-left: 16; }
    CsFormScreen TextArea { height: 8; }
    CsFormScreen Checkbox { border: none; padding: 0; margin-left: 16; height: 1; }
    CsFormScreen .warn { color: $warning; padding-left: 16; display: none; }
    CsFormScreen #problems { color: $error; text-style: bold; height: auto; }
    CsFormScreen #actions { height: 3; align: right middle; }
    """
    COMMAND_SCOPE: ClassVar[str] = "cs_form"
    BINDINGS = bindings("cs_form")

    def __init__(self, d: CsDraft, cal: BusinessCalendar, components: list[str], epics: list[str],
                 assignee_sop: str = "", link_options: tuple[LinkChoice, ...] = (), checked: str = "") -> None:
        super().__init__()
        self.checked = checked  # what "check if a ticket has already been filed" looked at, and found
        self.draft = d
        self.link_options = link_options  # the site's link types, each read from the CS ticket's side
        self.assignee_sop = assignee_sop  # the SOP says who: the roster's default is only a default
        self.cal = cal
        self.components = components
        self.epics = epics
        self._shown_dates = d.dates
        # What the rules last gave each date field: a field showing anything else was typed by hand.
        self._rule_text = {wid: _date_text(cal, moment) for wid, moment in
                           (("due", d.dates.due), ("config", d.dates.config), ("qa", d.dates.qa))}

    def compose(self) -> ComposeResult:
        d = self.draft

        def row(label: str, widget: Widget, why: str = "", why_id: str | None = None) -> ComposeResult:
            # Built from constructor arguments, not `with` blocks: the form is composed from a worker.
            yield Horizontal(Label(label, classes="label"), widget, classes="row")
            if why:
                yield Static(Text(why), classes="why", id=why_id)

        with Vertical():
            yield Static(Text.assemble((f" New CS ticket for {d.ss_key} ", "bold reverse"), "  ", " ".join(d.summary.split()),
                                       no_wrap=True, overflow="ellipsis", end=""), id="cs-head")
            with VerticalScroll():
                if self.checked:
                    yield from row("Already filed", Static(Text(self.checked), classes="field", id="checked"))
                yield from row("Project", Input(d.project, id="project", classes="field"))
                yield from row("Issue type", Input(d.issue_type, id="issue_type", classes="field",
                                                   suggester=SuggestFromList(ISSUE_TYPES, case_sensitive=False)),
                               f"{_why(d.issue_type_reason)} · {TYPE_WORDS}")
                yield from row("Summary", Input(d.summary, id="summary", classes="field"), d.summary_reason)
                comps = sorted(set(self.components) | {d.component})
                yield from row("Component", Input(d.component, id="component", classes="field",
                                                  suggester=SuggestFromList(comps, case_sensitive=False)), "; ".join(d.notes))
                yield from row("Priority", Input(d.priority, id="priority", classes="field",
                                                 suggester=SuggestFromList(PRIORITIES, case_sensitive=False)),
                               f"{d.priority}: {d.priority_reason}" if d.priority_reason else "")
                epics = sorted(set(self.epics) | {d.epic})
                yield from row("Epic", Input(d.epic, id="epic", classes="field",
                                            suggester=SuggestFromList(epics, case_sensitive=False)),
                               f"{_why(d.epic_reason)} (required: tickets without an epic get lost)")
                yield from row("Assignee", Input(d.assignee, id="assignee", classes="field"),
                               f"the roster's default (config_assignee): check it against {self.assignee_sop}"
                               if self.assignee_sop else "", why_id="assignee-why")
                yield from row("QA assignee", Input(d.qa_assignee, id="qa_assignee", classes="field"), d.qa_reason)
                if self.link_options:
                    yield from row("Linked issues", Input(d.link.words if d.link else "", id="link", classes="field",
                                                          suggester=SuggestFromList([c.words for c in self.link_options],
                                                                                    case_sensitive=False)))
                    yield from row("Issue", Input(d.link_to or d.ss_key, id="link_to", classes="field"),
                                   self._link_says(d.link.words if d.link else "", d.link_to or d.ss_key), why_id="link-says")
                else:
                    yield from row("Linked issues", Static(Text("this site offers no issue link types: not linked "
                                                                 f"(the note on {d.ss_key} names the CS ticket)"), classes="field"))
                for wid, label in DATE_FIELDS.items():
                    yield from row(label, Input(self._rule_text[wid], id=wid, classes="field"))
                    yield Static("", classes="warn", id=f"{wid}-warn")
                yield Static(Text(f"rule: {d.dates.rule}"), classes="why", id="rule")
                yield Static("", classes="warn", id="date-note")
                for n, (_cid, name, said) in enumerate(d.choices):
                    yield Checkbox(name.split(":")[0] + "?", _cid in d.chosen, id=f"choice-{n}")
                    yield Static(Text(f"suggested: “{said}”" if said else "not suggested by the ticket's words: "
                                      "your call"), classes="why")
                if d.attachments:
                    names = ", ".join(a.filename for a in d.attachments)
                    yield from row("Attachments", Static(Text(names), classes="field"),
                                   f"copied from {d.ss_key} to the CS ticket once it is created")
                yield Label("Description", classes="label")
                yield TextArea(d.description, id="description")
                yield Static("", id="problems")
            with Horizontal(id="actions"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Create (ctrl+s)", id="create", variant="success")
        yield Footer()

    def _link_choice(self, words: str) -> LinkChoice | None:
        want = " ".join(words.lower().split())
        return next((c for c in self.link_options if c.words.strip().lower() == want), None)

    def _link_says(self, words: str, key: str) -> str:
        chosen = self._link_choice(words)
        offered = ", ".join(c.words for c in self.link_options)
        head = chosen.says(key.strip() or "?") if chosen else f"'{words}' is not a link type of this site"
        return f"{head} (the site offers: {offered})"

    @on(Input.Changed, "#link")
    @on(Input.Changed, "#link_to")
    def _link_changed(self) -> None:
        try:
            words, key = self.query_one("#link", Input).value, self.query_one("#link_to", Input).value
            self.query_one("#link-says", Static).update(Text(self._link_says(words, key)))
        except NoMatches:
            return

    def on_mount(self) -> None:
        self.query_one("#create", Button).focus()
        self._check_dates()

    def chosen(self) -> frozenset[str]:
        return frozenset(cid for n, (cid, _name, _said) in enumerate(self.draft.choices)
                         if self.query_one(f"#choice-{n}", Checkbox).value)

    @on(Checkbox.Changed)
    @on(Input.Changed, "#issue_type")
    def _redate(self) -> None:
        """Count the dates again by the rules, after a choice or the issue type changed."""
        try:
            issue_type = self.query_one("#issue_type", Input).value.strip()
            dates = self.draft.redate(self.cal, issue_type, self.chosen())
        except NoMatches:
            return
        for wid, moment in (("due", dates.due), ("config", dates.config), ("qa", dates.qa)):
            field, text = self.query_one(f"#{wid}", Input), _date_text(self.cal, moment)
            if field.value.strip() == self._rule_text[wid]:  # only a date the agent has not typed follows the rule
                field.value = text
            self._rule_text[wid] = text
        self.query_one("#rule", Static).update(Text(f"rule: {dates.rule}"))
        self._shown_dates = dates
        self._check_dates()

    def action_reset_dates(self) -> None:
        """The three dates as the rule gives them again, over what was typed."""
        for wid, text in self._rule_text.items():
            self.query_one(f"#{wid}", Input).value = text
        self._check_dates()

    @on(Input.Changed, "#due")
    @on(Input.Changed, "#config")
    @on(Input.Changed, "#qa")
    def _check_dates(self) -> None:
        """Under each date: why it is not a date, a weekend day or out of order; under the three, what
        the rule gives for the ones typed by hand. Warnings only: the agent may know better."""
        try:
            fields = {wid: self.query_one(f"#{wid}", Input).value for wid in DATE_FIELDS}
        except NoMatches:
            return
        days: dict[str, date | None] = {}
        warns: dict[str, list[str]] = {wid: [] for wid in DATE_FIELDS}
        for wid, raw in fields.items():
            try:
                day = read_date(DATE_FIELDS[wid], raw)
            except ValueError as exc:
                days[wid] = None
                warns[wid].append(str(exc))
                continue
            days[wid] = day
            if said := day_warning(self.cal, day):
                warns[wid].append(said)
        for wid, said in order_warnings(days["due"], days["config"], days["qa"]).items():
            warns[wid].append(said)
        for wid, lines in warns.items():
            self._say(f"#{wid}-warn", "; ".join(lines))
        typed = [(wid, day) for wid, day in days.items() if fields[wid].strip() != self._rule_text[wid]]
        note = ""
        if typed:
            name = self._shown_dates.rule.split(":")[0].strip()
            gives = ", ".join(f"{_SHORT[wid]} {day_words(date.fromisoformat(self._rule_text[wid]))}" for wid, _ in typed)
            mine = ", ".join(f"{_SHORT[wid]} {day_words(day) if day else fields[wid].strip()}" for wid, day in typed)
            note = f"the {name[:1].lower()}{name[1:]} rule gives {gives}; you typed {mine}: ctrl+r resets to the rule"
        self._say("#date-note", note)

    def _say(self, wid: str, text: str) -> None:
        w = self.query_one(wid, Static)
        w.update(Text(text))
        w.display = bool(text)

    def _date(self, widget_id: str, original: datetime) -> datetime:
        raw = self.query_one(f"#{widget_id}", Input).value.strip()
        if raw == _date_text(self.cal, original):
            return original
        d = read_date(DATE_FIELDS[widget_id], raw)
        return datetime.combine(d, time(17, 0), self.cal.tz)

    def collect(self) -> CsDraft:
        def val(wid: str) -> str:
            w = self.query_one(f"#{wid}")
            if isinstance(w, TextArea):
                return w.text
            assert isinstance(w, Input)
            return w.value.strip()

        d = self.draft
        if self.link_options:
            d = replace(d, link=self._link_choice(val("link")), link_to=val("link_to").upper())
        shown = self._shown_dates
        dates = DueDates(self._date("due", shown.due), self._date("config", shown.config), self._date("qa", shown.qa),
                         shown.rule)
        return replace(d, project=val("project"), issue_type=val("issue_type"), summary=val("summary"),
                       component=val("component"), priority=val("priority"), epic=val("epic"),
                       assignee=val("assignee"), qa_assignee=val("qa_assignee"), description=val("description"),
                       dates=dates, chosen=self.chosen())

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        try:
            d = self.collect()
        except NoMatches:
            return  # still being laid out: a key pressed this early does nothing
        except ValueError as exc:
            self.query_one("#problems", Static).update(Text(f"Cannot create: {exc}"))
            return
        problems = d.problems()
        if self.link_options and d.link is None:
            problems.append("Linked issues must be one of " + ", ".join(c.words for c in self.link_options))
        if self.link_options and not re.fullmatch(r"[A-Z][A-Z0-9_]*-[0-9]+", d.link_to):
            problems.append(f"Issue must be a ticket key like {d.ss_key}")
        if d.epic and d.epic not in self.epics:
            problems.append(f"'{d.epic}' is not an epic of {d.project} (type to pick one)")
        if d.priority not in PRIORITIES:
            problems.append(f"priority must be one of {', '.join(PRIORITIES)}")
        if problems:
            self.query_one("#problems", Static).update(Text("Cannot create: " + "; ".join(problems)))
            return
        self.dismiss(d)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
