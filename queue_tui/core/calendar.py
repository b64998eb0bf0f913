"""Business time: weekdays only, team holidays optional, in the team's time zone.

"24 hours, not including weekends" means 24 hours of weekday clock time: filed Friday 16:00,
due Monday 16:00. "N business days out" keeps the time of day and skips weekends and
holidays. Pure functions; `now` is always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo


class BusinessCalendar:
    def __init__(self, tz: tzinfo, holidays: Iterable[date] = ()) -> None:
        self.tz = tz
        self.holidays = frozenset(holidays)

    def is_business_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.holidays

    def _midnight(self, d: date) -> datetime:
        return datetime.combine(d, time(0), self.tz)

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """`hours` of business-day clock time after `start`."""
        cur = start.astimezone(self.tz)
        left = timedelta(hours=hours)
        while True:
            if not self.is_business_day(cur.date()):
                cur = self._midnight(cur.date() + timedelta(days=1))
                continue
            day_end = self._midnight(cur.date() + timedelta(days=1))
            avail = day_end - cur
            if left <= avail:
                return cur + left
            left -= avail
            cur = day_end

    def add_days(self, start: datetime, days: int) -> datetime:
        """`days` business days after `start`, at the same time of day."""
        cur = start.astimezone(self.tz)
        d = cur.date()
        n = 0
        while n < days:
            d += timedelta(days=1)
            if self.is_business_day(d):
                n += 1
        return datetime.combine(d, cur.timetz().replace(tzinfo=None), self.tz)

    def next_business_day(self, start: datetime) -> datetime:
        """The end of the next business day after `start`'s date."""
        d = start.astimezone(self.tz).date() + timedelta(days=1)
        while not self.is_business_day(d):
            d += timedelta(days=1)
        return datetime.combine(d, time(17, 0), self.tz)

    def due_date(self, moment: datetime) -> date:
        """The calendar date a deadline falls on; exactly midnight belongs to the day before."""
        local = moment.astimezone(self.tz)
        if local.time() == time(0):
            return local.date() - timedelta(days=1)
        return local.date()
