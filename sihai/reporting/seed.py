"""Insight in the demo city: a year of registrations, the rollups, last month's reports.

The synthetic residents are all inserted at seeding time; so that the trends show
a year, their registration times are spread over the last twelve months (imported
residents only, one UPDATE, idempotent). Then every rollup source is rebuilt, and
the monthly reports of last month are written for the city and its districts.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Min
from django.utils import timezone

from sihai.core.seeding import SeedContext, seeder
from sihai.reporting.periods import add_months, current_month
from sihai.reporting.reports import monthly_reports_generate
from sihai.reporting.rollups import rollups_rebuild

SPREAD_DAYS = 365


@seeder("insight_history", order=90)
def seed_registration_history(ctx: SeedContext) -> None:
    from sihai.residents.models import RegisteredVia, Resident  # noqa: PLC0415

    now = timezone.now()
    imported = Resident.objects.filter(registered_via=RegisteredVia.IMPORT)
    fresh = imported.filter(created_at__gte=now - datetime.timedelta(days=1))
    if imported.filter(created_at__lt=now - datetime.timedelta(days=2)).exists():
        return
    # Consecutive id ranges, one per day back: deterministic, about as many each day,
    # and one indexed UPDATE per day even for a million rows.
    bounds = fresh.aggregate(first=Min("id"), last=Max("id"))
    if bounds["first"] is None:
        return
    first, last = bounds["first"], bounds["last"]
    step = max(1, (last - first + 1) // SPREAD_DAYS + 1)
    spread = 0
    for day in range(SPREAD_DAYS):
        low = first + day * step
        if low > last:
            break
        spread += fresh.filter(id__gte=low, id__lt=low + step).update(
            created_at=now - datetime.timedelta(days=day, hours=day % 9)
        )
    ctx.note("registrations spread over a year", spread)


@seeder("insight_rollups", order=91)
def seed_rollups(ctx: SeedContext) -> None:
    for result in rollups_rebuild():
        ctx.note(f"rollup rows ({result.source})", result.events)


# Published figures for registered residents that the equalisation gaps compare with. In the
# demo they are invented (and say so); a deployment enters the bureaus' own.
DEMO_COMPARISONS = (
    ("applications.school_seat_share", "5301", 99.2),
    ("applications.insurance_coverage", "5301", 97.5),
    ("applications.insurance_coverage", "530102", 98.1),
)
DEMO_SOURCE = "演示数据，非真实统计 (demo figure, not a real statistic)"


@seeder("insight_comparisons", order=89)
def seed_comparisons(ctx: SeedContext) -> None:
    from sihai.reporting.models import ComparisonFigure  # noqa: PLC0415

    year = timezone.localdate().year - 1
    made = 0
    for code, area, value in DEMO_COMPARISONS:
        _figure, created = ComparisonFigure.objects.get_or_create(
            indicator_code=code,
            area_code=area,
            year=year,
            defaults={"value": value, "source": DEMO_SOURCE},
        )
        made += int(created)
    ctx.note("figures for registered residents", made)


@seeder("insight_reports", order=92)
def seed_reports(ctx: SeedContext) -> None:
    from sihai.reporting.models import MonthlyReport  # noqa: PLC0415

    month = add_months(current_month(), -1)
    if MonthlyReport.objects.filter(month=month).exists():
        return
    # The city and its districts; subdistricts' come from `sihai reports monthly`.
    ctx.note("monthly reports", monthly_reports_generate(month=month, levels=["city", "county"]))
