"""Monthly reports: each area's dashboard for a month, kept as the figures shown.

Written by the task worker (``monthly_reports_task``) for the city, its districts
and subdistricts (communities too when asked); a report is the suppressed figures,
so it can be downloaded as Excel by whoever may see the area's dashboard.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction

from sihai.areas.models import AdministrativeArea
from sihai.reporting.exports import figure_rows
from sihai.reporting.figures import build_dashboard
from sihai.reporting.models import MonthlyReport
from sihai.reporting.periods import Period

DEFAULT_LEVELS = ("city", "county", "township")


def monthly_reports_generate(*, month: datetime.date, levels: Iterable[str] | None = None) -> int:
    """Write (or rewrite) the report of every area of ``levels`` for ``month``; how many."""
    period = Period(f"{month:%Y-%m}", (month.replace(day=1),))
    areas = AdministrativeArea.objects.filter(level__in=list(levels or DEFAULT_LEVELS)).order_by(
        "code"
    )
    written = 0
    for area in areas.iterator():
        figures = [list(row) for row in figure_rows(build_dashboard(area, period))]
        with transaction.atomic():
            MonthlyReport.objects.update_or_create(
                area_code=area.code, month=period.months[0], defaults={"figures": figures}
            )
        written += 1
    return written
