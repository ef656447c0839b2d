"""Decision deadlines in working days (Monday to Friday).

A narrow seam: the integrator replaces the body with the shared working calendar
(``sihai/core/workcalendar.py``, public holidays and 调休 make-up days) after the merge.
"""

from __future__ import annotations

import datetime

SATURDAY = 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (Mon–Fri; holidays not yet known)."""
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < SATURDAY:
            left -= 1
    return day
