"""A working calendar: Chinese public holidays, make-up working days, office hours.

Deadlines that staff promise (a request answered within 8 working hours, a decision
within 15 working days) count only office time: Monday to Friday, except the public
holidays the State Council announces each year, plus the weekend days it turns into
working days (调休上班) to make the holidays longer.

The tables below are the State Council General Office's notices for 2025 (国办发明电
〔2024〕12号) and 2026 (国办发明电〔2025〕7号). A year without a table counts plain
weekdays; add the next year's notice here when it is published (each December).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

_D = datetime.date


def _span(first: datetime.date, last: datetime.date) -> set[datetime.date]:
    return {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}


HOLIDAYS: frozenset[datetime.date] = frozenset(
    # 2025
    _span(_D(2025, 1, 1), _D(2025, 1, 1))  # 元旦
    | _span(_D(2025, 1, 28), _D(2025, 2, 4))  # 春节
    | _span(_D(2025, 4, 4), _D(2025, 4, 6))  # 清明节
    | _span(_D(2025, 5, 1), _D(2025, 5, 5))  # 劳动节
    | _span(_D(2025, 5, 31), _D(2025, 6, 2))  # 端午节
    | _span(_D(2025, 10, 1), _D(2025, 10, 8))  # 国庆节、中秋节
    # 2026
    | _span(_D(2026, 1, 1), _D(2026, 1, 3))  # 元旦
    | _span(_D(2026, 2, 15), _D(2026, 2, 23))  # 春节
    | _span(_D(2026, 4, 4), _D(2026, 4, 6))  # 清明节
    | _span(_D(2026, 5, 1), _D(2026, 5, 5))  # 劳动节
    | _span(_D(2026, 6, 19), _D(2026, 6, 21))  # 端午节
    | _span(_D(2026, 9, 25), _D(2026, 9, 27))  # 中秋节
    | _span(_D(2026, 10, 1), _D(2026, 10, 7))  # 国庆节
)

# Weekend days that are working days (调休上班).
MAKEUP_WORKDAYS: frozenset[datetime.date] = frozenset(
    {
        _D(2025, 1, 26),
        _D(2025, 2, 8),
        _D(2025, 4, 27),
        _D(2025, 9, 28),
        _D(2025, 10, 11),
        _D(2026, 1, 4),
        _D(2026, 2, 14),
        _D(2026, 2, 28),
        _D(2026, 5, 9),
        _D(2026, 9, 20),
        _D(2026, 10, 10),
    }
)

# Office hours of a government service window: 9:00–12:00 and 13:30–17:30 (7 hours a day).
OFFICE_HOURS: tuple[tuple[datetime.time, datetime.time], ...] = (
    (datetime.time(9, 0), datetime.time(12, 0)),
    (datetime.time(13, 30), datetime.time(17, 30)),
)


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays, make-up days and office hours in one time zone (configurable for tests)."""

    holidays: frozenset[datetime.date] = HOLIDAYS
    makeup_workdays: frozenset[datetime.date] = MAKEUP_WORKDAYS
    hours: tuple[tuple[datetime.time, datetime.time], ...] = OFFICE_HOURS
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_hours(self, start: datetime.datetime, hours: float) -> datetime.datetime:
        """The moment ``hours`` of office time after ``start`` (aware; answered in ``tz``)."""
        remaining = datetime.timedelta(hours=hours)
        moment = start.astimezone(self.tz)
        day = moment.date()
        for _ in range(3660):  # ten years of days: a bound, never reached in practice
            if self.is_working_day(day):
                for opens, closes in self.hours:
                    begin = datetime.datetime.combine(day, opens, self.tz)
                    end = datetime.datetime.combine(day, closes, self.tz)
                    begin = max(begin, moment)
                    if begin >= end:
                        continue
                    available = end - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += datetime.timedelta(days=1)
            moment = datetime.datetime.combine(day, datetime.time(0), self.tz)
        msg = "working-hour deadline beyond ten years"
        raise ValueError(msg)

    def working_hours_between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        """Office hours from ``start`` to ``end`` (0 when ``end`` is not after ``start``)."""
        if end <= start:
            return 0.0
        total = datetime.timedelta()
        first, last = start.astimezone(self.tz), end.astimezone(self.tz)
        day = first.date()
        while day <= last.date():
            if self.is_working_day(day):
                for opens, closes in self.hours:
                    begin = max(datetime.datetime.combine(day, opens, self.tz), first)
                    finish = min(datetime.datetime.combine(day, closes, self.tz), last)
                    if finish > begin:
                        total += finish - begin
            day += datetime.timedelta(days=1)
        return total.total_seconds() / 3600


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    return WorkCalendar()
