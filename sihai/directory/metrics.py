"""The directory's indicators (collected by ``sihai.reporting``): points and the 15-minute circle.

Both read the directory as it is (a few hundred points, no rollups needed): points
by kind at the end of each month (by when they were added), and the coverage of the
15-minute circle today (``coverage.py``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sihai.directory.catalogue import Kind
from sihai.directory.coverage import CoverageReport, circle_minutes, coverage
from sihai.directory.models import CommunityCentroid, Location
from sihai.reporting.registry import (
    Dimension,
    Indicator,
    Key,
    Measure,
    Query,
    Unit,
    register_indicator,
)
from sihai.reporting.registry import (
    Kind as MeasureKind,
)
from sihai.residents.models import ResidenceChange, Resident

WITH_KIND = frozenset({Dimension.AREA, Dimension.PERIOD, Dimension.CATEGORY})


def _month_end(month: datetime.date) -> datetime.datetime:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))


def _points(query: Query) -> dict[Key, Measure]:
    """Points added up to each month's end: one grouped query, then running totals."""
    rows = (
        Location.objects.filter(
            published=True,
            area__code__startswith=query.area,
            created_at__lt=_month_end(query.months[-1]),
        )
        .annotate(group=Substr("area_id", 1, query.group_len), month=TruncMonth("created_at"))
        .values("group", "kind", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    added: dict[tuple[str, str], list[tuple[datetime.date, int]]] = defaultdict(list)
    for row in rows:
        if len(row["group"]) == query.group_len:
            month = row["month"]
            day = month.date() if isinstance(month, datetime.datetime) else month
            added[(row["group"], row["kind"])].append((day, int(row["n"])))
    out: dict[Key, Measure] = {}
    for (group, kind), points in added.items():
        for month in query.months:
            n = sum(count for day, count in points if day <= month)
            out[(group, kind, month)] = Measure(float(n), n)
    return out


register_indicator(
    Indicator(
        code="directory.points",
        name=_("Service points"),
        definition=_("Published service points in the area at the end of the period, by kind."),
        computation=_("Count of published points by the area they belong to and their kind."),
        unit=Unit.COUNT,
        compute=_points,
        people=False,
        stock=True,
        public=True,
        dimensions=WITH_KIND,
        categories=lambda: dict(Kind.choices),
        app="directory",
        order=30,
    )
)


_report: dict[tuple[object, ...], CoverageReport] = {}


def _state() -> tuple[object, ...]:
    """What the city's coverage depends on, cheaply: points, residents, moves, centres."""
    points = Location.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    # Max of the ids only (index lookups): a resident row is never deleted, only erased.
    residents = Resident.objects.aggregate(last=Max("id"))
    moves = ResidenceChange.objects.aggregate(last=Max("id"))
    centres = CommunityCentroid.objects.aggregate(
        n=Count("pk"), lat=Sum("latitude"), lon=Sum("longitude")
    )
    return (
        points["n"],
        points["last"],
        residents["last"],
        moves["last"],
        centres["n"],
        centres["lat"],
        centres["lon"],
        circle_minutes(),
    )


def city_coverage() -> tuple[tuple[object, ...], CoverageReport]:
    """The whole city's coverage, computed again only when what it depends on changed."""
    key = _state()
    if key not in _report:
        _report.clear()
        _cells.clear()
        _report[key] = coverage(roots=[settings.SIHAI_CITY_CODE])
    return key, _report[key]


_cells: dict[tuple[object, ...], dict[tuple[str, str], tuple[int, int]]] = {}


def _coverage_cells(query: Query, *, residents: bool) -> dict[Key, Measure]:
    state, report = city_coverage()
    cache_key = (state, query.area, query.group_len, residents)
    if cache_key not in _cells:
        sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for kind, by_kind in report.kinds.items():
            for row in by_kind.rows:
                code = row.community.code
                if not code.startswith(query.area):
                    continue
                cell = sums[(code[: query.group_len], kind)]
                n = row.community.residents if residents else 1
                cell[0] += n if row.covered else 0
                cell[1] += n
        _cells[cache_key] = {key: (covered, n) for key, (covered, n) in sums.items()}
    month = query.months[-1]
    return {
        (group, kind, month): Measure(float(covered), n, float(n))
        for (group, kind), (covered, n) in _cells[cache_key].items()
    }


def _circle_communities(query: Query) -> dict[Key, Measure]:
    return _coverage_cells(query, residents=False)


def _circle_residents(query: Query) -> dict[Key, Measure]:
    return _coverage_cells(query, residents=True)


register_indicator(
    Indicator(
        code="directory.circle_communities",
        name=_("Communities within the 15-minute circle"),
        definition=_(
            "Share of the area's communities whose centre is within 15 minutes' walk of a "
            "published point of the kind, today."
        ),
        computation=_(
            "Straight-line distance × detour factor at walking speed from each community's "
            "centre to the nearest point (see the 15-minute circle page for the method)."
        ),
        unit=Unit.PERCENT,
        compute=_circle_communities,
        kind=MeasureKind.RATIO,
        people=False,
        as_of_today=True,
        additive_categories=False,
        public=True,
        dimensions=frozenset({Dimension.AREA, Dimension.CATEGORY}),
        categories=lambda: dict(Kind.choices),
        app="directory",
        order=31,
    )
)
register_indicator(
    Indicator(
        code="directory.circle_residents",
        name=_("Registered residents within the 15-minute circle"),
        definition=_(
            "Share of the area's registered residents who live in a community within 15 "
            "minutes' walk of a published point of the kind, today."
        ),
        computation=_(
            "Registered residents of the covered communities over all registered residents "
            "(suppressed where fewer than the minimum number of residents)."
        ),
        unit=Unit.PERCENT,
        compute=_circle_residents,
        kind=MeasureKind.RATIO,
        as_of_today=True,
        additive_categories=False,
        public=True,
        dimensions=frozenset({Dimension.AREA, Dimension.CATEGORY}),
        categories=lambda: dict(Kind.choices),
        app="directory",
        order=32,
    )
)
