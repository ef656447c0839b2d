"""Periods a dashboard shows: a month (``2026-11``) or a year (``2026``)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.core.errors import InvalidInput

TREND_MONTHS = 12
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    code: str  # "2026-11" or "2026"
    months: tuple[datetime.date, ...]

    @property
    def is_year(self) -> bool:
        return len(self.code) == 4

    @property
    def last(self) -> datetime.date:
        return self.months[-1]

    def trend_months(self) -> tuple[datetime.date, ...]:
        """The twelve months up to the period's last one (the trend charts)."""
        return tuple(add_months(self.last, -n) for n in range(TREND_MONTHS - 1, -1, -1))


def current_month(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()).replace(day=1)


def parse_period(text: str | None, *, today: datetime.date | None = None) -> Period:
    """The period named by ``text`` (this month when empty); a clear error otherwise."""
    now = current_month(today)
    text = (text or "").strip()
    if not text:
        return Period(f"{now:%Y-%m}", (now,))
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or year < 2000:
            raise InvalidInput(
                _("“%(text)s” is not a month: write it as 2026-11.") % {"text": text[:20]},
                code="period.invalid",
            )
        first = datetime.date(year, month, 1)
        if first > now:
            raise InvalidInput(
                _("%(period)s is in the future: there are no figures for it yet.")
                % {"period": text},
                code="period.future",
            )
        return Period(text, (first,))
    if match := _YEAR.match(text):
        year = int(match[1])
        if year < 2000:
            raise InvalidInput(
                _("“%(text)s” is not a year we have figures for.") % {"text": text},
                code="period.invalid",
            )
        if year > now.year:
            raise InvalidInput(
                _("%(period)s is in the future: there are no figures for it yet.")
                % {"period": text},
                code="period.future",
            )
        last = 12 if year < now.year else now.month
        return Period(text, tuple(datetime.date(year, m, 1) for m in range(1, last + 1)))
    raise InvalidInput(
        _("“%(text)s” is not a period: write a month as 2026-11 or a year as 2026.")
        % {"text": text[:20]},
        code="period.invalid",
    )
