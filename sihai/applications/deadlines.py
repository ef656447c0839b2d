"""Decision deadlines in working days, on the shared working calendar.

Working days are Monday to Friday less the public holidays, plus the weekend days made
working days (调休上班) by the State Council's yearly notice (``sihai/core/workcalendar.py``).
"""

from __future__ import annotations

import datetime

from sihai.core.workcalendar import WorkCalendar, default_calendar


def add_working_days(
    start: datetime.date, days: int, *, calendar: WorkCalendar | None = None
) -> datetime.date:
    """The date ``days`` working days after ``start``."""
    cal = calendar or default_calendar()
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if cal.is_working_day(day):
            left -= 1
    return day
