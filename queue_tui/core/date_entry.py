"""Dates an agent types on the CS form: read with a message naming the field and what is wrong,
and the warnings cs-ticket-creation.txt's dates call for ("not including weekends"; the QA due date
comes before the due date). Warnings only: the agent may know better.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from queue_tui.core.calendar import BusinessCalendar

_SHAPE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_words(d: date) -> str:
    """'Fri 27 Nov': the weekday an agent checks a date by (not the machine's locale)."""
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]}"


def read_date(label: str, text: str) -> date:
    """The date typed in the field `label`; ValueError says which field and why it is not a date."""
    raw = text.strip()
    m = _SHAPE.match(raw)
    if not m:
        raise ValueError(f"{label}: '{raw}' must look like 2026-11-25" if raw else f"{label} is empty (like 2026-11-25)")
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"{label}: {raw} is not a date (there is no month {month})")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"{label}: {raw} is not a date ({calendar.month_name[month]} has {last} days in {year})")
    return date(year, month, day)


def day_warning(cal: BusinessCalendar, d: date) -> str:
    """Why `d` is not a working day ('' when it is)."""
    if d.weekday() >= 5:
        return f"{day_words(d)} is a weekend day"
    if not cal.is_business_day(d):
        return f"{day_words(d)} is a team holiday"
    return ""


def order_warnings(due: date | None, config: date | None, qa: date | None) -> dict[str, str]:
    """Field -> what is out of order: configuration, then QA, then the ticket's due date."""
    out: dict[str, str] = {}
    if due and qa and due < qa:
        out["due"] = f"due is before the QA due date ({day_words(qa)})"
    if qa and config and qa < config:
        out["qa"] = f"QA is due before the configuration date ({day_words(config)})"
    return out
