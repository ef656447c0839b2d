"""The figures of one area for one period: what dashboards, exports and the API all show.

``dashboard_for_actor`` checks the area is in the actor's jurisdiction (else the
same not-found as a missing area) and builds a :class:`Dashboard`: for every
indicator, the table of the area's children (drill-down) × categories, suppressed
(``suppression.py``, with what the parent's table hid kept hidden), a twelve-month
trend of the area's total, and a league table of the children that respects the
minimum sample. Only aggregates: no personal data is read here but counted.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sihai.areas.codes import ancestor_codes, child_code_length, is_valid_code, level_of
from sihai.areas.models import AdministrativeArea
from sihai.core.errors import NotFound
from sihai.core.policy import roots_for
from sihai.reporting.comparisons import Comparison, comparisons_for
from sihai.reporting.periods import Period, current_month
from sihai.reporting.policies import INSIGHT_VIEW
from sihai.reporting.registry import (
    ZERO,
    Dimension,
    Indicator,
    Kind,
    Measure,
    Query,
    indicators,
)
from sihai.reporting.rollups import scanning
from sihai.reporting.suppression import (
    NOT_ADDITIVE,
    TOTAL,
    Cell,
    Reason,
    Table,
    min_cell,
    sensitive_allowed,
    suppress_table,
)


@dataclass(frozen=True)
class Place:
    code: str
    name: str


@dataclass(frozen=True)
class TrendPoint:
    month: datetime.date
    cell: Cell


@dataclass(frozen=True)
class LeagueRow:
    rank: int | None  # None: too few to rank
    place: Place
    cell: Cell


@dataclass
class IndicatorView:
    indicator: Indicator
    columns: list[Place]
    rows: list[Place]
    table: Table | None
    refused: str = ""
    trend: list[TrendPoint] = field(default_factory=list)
    league: list[LeagueRow] = field(default_factory=list)
    # The registered residents' published figure, and migrants minus it (percentage
    # points; None while the migrant figure is not shown): the equalisation gap.
    comparison: Comparison | None = None
    gap: float | None = None

    @property
    def headline(self) -> Cell:
        return self.table.total if self.table is not None else Cell(ZERO, Reason.LEVEL.value)

    @property
    def has_categories(self) -> bool:
        return self.columns != [Place("", "")]


@dataclass
class Dashboard:
    area: Place
    level: str
    period: Period
    parents: list[Place]
    children: list[Place]
    views: list[IndicatorView]
    k: int

    @property
    def has_data(self) -> bool:
        """Did anything happen in the period (figures of today do not count)?"""
        return any(
            v.table is not None
            and not v.indicator.as_of_today
            and any(c.measure.base or c.measure.value for c in v.table.cells.values())
            for v in self.views
        )


def value_of(indicator: Indicator, cell: Cell) -> float | None:
    """The number a cell shows, or None (suppressed, nothing to divide by)."""
    if cell.suppressed:
        return None
    m = cell.measure
    if indicator.kind is Kind.RATIO:
        return None if not m.denominator else round(100 * m.value / m.denominator, 1)
    if indicator.kind is Kind.MEAN:
        return None if not m.base else round(m.value / m.base, 1)
    return m.value


def text_of(indicator: Indicator, cell: Cell) -> str:
    value = value_of(indicator, cell)
    if cell.suppressed:
        return _("not shown") if cell.reason == NOT_ADDITIVE else _("suppressed")
    if value is None:
        return "—"
    if indicator.kind is Kind.COUNT:
        return f"{int(value):,}"
    suffix = " %" if indicator.kind is Kind.RATIO else ""
    return f"{value:,.1f}{suffix}"


def reason_text(reason: str, k: int | None = None) -> str:
    k = k or min_cell()
    if reason == Reason.SMALL:
        return _("Fewer than %(k)s people: not shown, so no one can be recognised.") % {"k": k}
    if reason == Reason.COMPLEMENTARY:
        return _(
            "Hidden as well, so that a cell of fewer than %(k)s people cannot be worked out "
            "from the totals."
        ) % {"k": k}
    if reason == Reason.LEVEL:
        return _("Ethnic group and religion are counted only for a district or above.")
    if reason == NOT_ADDITIVE:
        return _("The kinds do not add up (a community counts under each), so no total.")
    return ""


def _names(codes: Iterable[str]) -> dict[str, str]:
    return dict(
        AdministrativeArea.objects.filter(code__in=list(codes)).values_list("code", "short_name")
    )


def _children(code: str) -> list[Place]:
    rows = AdministrativeArea.objects.filter(parent_id=code).order_by("code")
    return [Place(c, n) for c, n in rows.values_list("code", "short_name")]


# month → (group code, category) → measure: one indicator's figures, indexed by month.
ByMonth = dict[datetime.date, dict[tuple[str, str], Measure]]


class _Builder:
    """One dashboard's computation, with the parents' tables cached for inheritance."""

    def __init__(self, period: Period, parent: _Builder | None = None) -> None:
        self.period = period
        self.k = min_cell()
        self.tables: dict[tuple[str, str], tuple[Table | None, list[Place], list[Place]]] = {}
        # Shared with the builders of single months (trends, years): fetched once.
        self.child_places: dict[str, list[Place]] = parent.child_places if parent else {}
        self.data: dict[tuple[str, str], tuple[frozenset[datetime.date], ByMonth]] = (
            parent.data if parent else {}
        )
        self.month_builders: dict[datetime.date, _Builder] = parent.month_builders if parent else {}
        # Each indicator's category labels, read once per dashboard (not once per month).
        self.labels: dict[str, dict[str, str]] = parent.labels if parent else {}

    def for_month(self, month: datetime.date) -> _Builder:
        """The builder of one month's page, whose suppression a trend or a year must follow."""
        if len(self.period.months) == 1 and self.period.months[0] == month:
            return self
        if month not in self.month_builders:
            self.month_builders[month] = _Builder(Period(f"{month:%Y-%m}", (month,)), self)
        return self.month_builders[month]

    def fetch(
        self, indicator: Indicator, code: str, group_len: int, months: tuple[datetime.date, ...]
    ) -> ByMonth:
        key = (indicator.code, f"{code}/{group_len}")
        cached = self.data.get(key)
        if cached is not None and set(months) <= cached[0]:
            return cached[1]
        # One query serves the table and the trend: the trend's months are asked for too.
        asked = (
            months
            if indicator.as_of_today
            else tuple(sorted(set(months) | set(self.period.trend_months())))
        )
        by_month: ByMonth = {}
        for (group, category, month), measure in indicator.compute(
            Query(code, group_len, asked)
        ).items():
            by_month.setdefault(month, {})[(group, category)] = measure
        self.data[key] = (frozenset(asked), by_month)
        return by_month

    def children(self, code: str) -> list[Place]:
        if code not in self.child_places:
            self.child_places[code] = _children(code)
        return self.child_places[code]

    def months(self, indicator: Indicator) -> tuple[datetime.date, ...]:
        return (current_month(),) if indicator.as_of_today else self.period.months

    def collapse(
        self, indicator: Indicator, data: ByMonth, months: tuple[datetime.date, ...]
    ) -> dict[tuple[str, str], Measure]:
        """The period's cells from the monthly ones: the sum, or the last month of a stock."""
        chosen = [months[-1]] if (indicator.stock or indicator.as_of_today) else list(months)
        if len(chosen) == 1:
            return data.get(chosen[0], {})
        out: dict[tuple[str, str], Measure] = {}
        for month in chosen:
            for cell, measure in data.get(month, {}).items():
                out[cell] = out.get(cell, ZERO) + measure
        return out

    def columns(self, indicator: Indicator, found: Iterable[str]) -> list[Place]:
        if Dimension.CATEGORY not in indicator.dimensions:
            return [Place("", "")]
        labels = self.labels.get(indicator.code)
        if labels is None:
            labels = {code: str(label) for code, label in indicator.categories().items()}
            self.labels[indicator.code] = labels
        seen = set(found)
        listed = [Place(c, n) for c, n in labels.items() if c in seen or not indicator.sensitive]
        extra = sorted(seen - set(labels))
        return listed + [Place(c, c or _("unspecified")) for c in extra]

    def table(
        self, indicator: Indicator, code: str
    ) -> tuple[Table | None, list[Place], list[Place]]:
        key = (indicator.code, code)
        if key in self.tables:
            return self.tables[key]
        child_len = child_code_length(code) or len(code)
        rows = self.children(code) if child_len != len(code) else [Place(code, "")]
        if indicator.sensitive and not sensitive_allowed(code, child_len):
            if not sensitive_allowed(code, len(code)):
                self.tables[key] = (None, [], [])
                return self.tables[key]
            child_len, rows = len(code), [Place(code, "")]
        months = self.months(indicator)
        data = self.fetch(indicator, code, child_len, months)
        cells = self.collapse(indicator, data, months)
        columns = self.columns(indicator, {category for _g, category in cells})
        forced: dict[str, str] = {}
        parents = ancestor_codes(code)
        if indicator.people and parents:
            parent, _r, _c = self.table(indicator, parents[-1])
            if parent is not None and code in parent.rows:
                for column in columns:
                    if (code, column.code) in parent.cells:
                        cell = parent.cells[(code, column.code)]
                        if cell.suppressed:
                            forced[column.code] = cell.reason
                total = parent.row_totals.get(code)
                if total is not None and total.suppressed:
                    forced[TOTAL] = total.reason
        table = suppress_table(
            [r.code for r in rows],
            [c.code for c in columns],
            cells,
            people=indicator.people,
            forced=forced,
            forced_cells=self.from_months(indicator, code),
            k=self.k,
            row_totals=indicator.additive_categories,
        )
        self.tables[key] = (table, rows, columns)
        return self.tables[key]

    def from_months(self, indicator: Indicator, code: str) -> dict[tuple[str, str], str]:
        """Entries of a several-month table hidden on one of its months' own pages.

        A year's flow is the sum of its months, each published on its own page (and in
        the trends): an entry hidden in any month stays hidden in the sum. A stock's year
        is its last month.
        """
        if len(self.period.months) < 2 or not indicator.people or indicator.as_of_today:
            return {}
        months = self.period.months[-1:] if indicator.stock else self.period.months
        hidden: dict[tuple[str, str], str] = {}
        for month in months:
            table, _rows, _columns = self.for_month(month).table(indicator, code)
            if table is None:
                continue
            for (row, column), cell in table.cells.items():
                if cell.suppressed:
                    hidden.setdefault((row, column), Reason.COMPLEMENTARY.value)
            for row, cell in table.row_totals.items():
                if cell.suppressed:
                    hidden.setdefault((row, TOTAL), Reason.COMPLEMENTARY.value)
            for column, cell in table.column_totals.items():
                if cell.suppressed:
                    hidden.setdefault((TOTAL, column), Reason.COMPLEMENTARY.value)
            if table.total.suppressed and table.total.reason != NOT_ADDITIVE:
                hidden.setdefault((TOTAL, TOTAL), Reason.COMPLEMENTARY.value)
        return hidden

    def trend(self, indicator: Indicator, code: str, headline: Cell) -> list[TrendPoint]:
        """Each month's total as that month's own page shows it (same suppression)."""
        if indicator.as_of_today or not indicator.additive_categories:
            return []
        points = []
        for month in self.period.trend_months():
            table, _rows, _columns = self.for_month(month).table(indicator, code)
            if table is None:
                return []
            points.append(TrendPoint(month, table.total))
        return points

    def league(self, indicator: Indicator, view: IndicatorView) -> list[LeagueRow]:
        table = view.table
        if table is None or len(view.rows) < 2 or not table.row_totals:
            return []
        ranked, unranked = [], []
        for place in view.rows:
            cell = table.row_totals[place.code]
            value = value_of(indicator, cell)
            too_few = indicator.people and cell.measure.base < self.k
            if value is None or too_few:
                unranked.append(LeagueRow(None, place, cell))
            else:
                ranked.append((value, place, cell))
        ranked.sort(key=lambda r: (-r[0] if indicator.higher_is_better else r[0], r[1].code))
        rows = [LeagueRow(n + 1, place, cell) for n, (_v, place, cell) in enumerate(ranked)]
        return rows + unranked

    def view(self, indicator: Indicator, code: str) -> IndicatorView:
        table, rows, columns = self.table(indicator, code)
        if table is None:
            return IndicatorView(indicator, [], [], None, refused=Reason.LEVEL.value)
        view = IndicatorView(indicator, columns, rows, table)
        view.trend = self.trend(indicator, code, table.total)
        view.league = self.league(indicator, view)
        return view


def area_place(code: str) -> AdministrativeArea:
    if not is_valid_code(code):
        raise NotFound(NotFound.default_message())
    area = AdministrativeArea.objects.filter(code=code).first()
    if area is None:
        raise NotFound(NotFound.default_message())
    return area


def insight_roots(actor: Any) -> list[str]:
    return roots_for(actor, INSIGHT_VIEW)


def area_for_actor(*, actor: Any, code: str) -> AdministrativeArea:
    """The area if it lies in the actor's jurisdiction; the same NotFound otherwise."""
    roots = insight_roots(actor)
    if not any(code.startswith(root) for root in roots):
        raise NotFound(NotFound.default_message())
    return area_place(code)


# Built dashboards, kept in the process for SIHAI_DASHBOARD_CACHE_SECONDS and only while
# every rollup watermark stands where it stood when they were built: a figure from the
# rollups is never older than the rollups themselves; a live ("as of today") figure is at
# most that many seconds old. Bounded; 0 turns it off (the tests do).
_BUILT: OrderedDict[tuple[object, ...], tuple[float, Dashboard]] = OrderedDict()
_BUILT_LOCK = threading.Lock()
_BUILT_MAX = 256


def _watermarks() -> tuple[object, ...]:
    """What a built dashboard depends on besides the clock: the rollups' watermarks and
    the comparison figures entered (a new one shows at once)."""
    from sihai.reporting.models import ComparisonFigure, RollupWatermark  # noqa: PLC0415

    marks = tuple(RollupWatermark.objects.order_by("source").values_list("source", "last_id"))
    entered = ComparisonFigure.objects.aggregate(n=Count("id"), last=Max("entered_at"))
    return (*marks, (entered["n"], entered["last"]))


def build_dashboard(
    area: AdministrativeArea,
    period: Period,
    *,
    only: Iterable[str] | None = None,
    visible_roots: Iterable[str] | None = None,
) -> Dashboard:
    """Every indicator (or those in ``only``) for ``area`` and ``period``, suppressed."""
    ttl = float(getattr(settings, "SIHAI_DASHBOARD_CACHE_SECONDS", 0))
    chosen_codes = tuple(sorted(only)) if only is not None else None
    roots_key = tuple(sorted(visible_roots)) if visible_roots is not None else None
    if ttl <= 0 or scanning():
        return _build_dashboard(area, period, only=chosen_codes, visible_roots=roots_key)
    key = (
        area.code,
        period.code,
        chosen_codes,
        roots_key,
        get_language(),
        min_cell(),
        timezone.localdate(),
        _watermarks(),
    )
    now = time.monotonic()
    with _BUILT_LOCK:
        hit = _BUILT.get(key)
        if hit is not None and now - hit[0] < ttl:
            _BUILT.move_to_end(key)
            return hit[1]
    board = _build_dashboard(area, period, only=chosen_codes, visible_roots=roots_key)
    with _BUILT_LOCK:
        _BUILT[key] = (now, board)
        while len(_BUILT) > _BUILT_MAX:
            _BUILT.popitem(last=False)
    return board


def _build_dashboard(
    area: AdministrativeArea,
    period: Period,
    *,
    only: Iterable[str] | None = None,
    visible_roots: Iterable[str] | None = None,
) -> Dashboard:
    builder = _Builder(period)
    chosen = [i for i in indicators() if only is None or i.code in set(only)]
    roots = list(visible_roots) if visible_roots is not None else [area.code]
    parents = [
        code for code in ancestor_codes(area.code) if any(code.startswith(root) for root in roots)
    ]
    names = _names(parents)
    try:
        views = [builder.view(indicator, area.code) for indicator in chosen]
    finally:
        # The month builders share this dict and hold it: a cycle of some 30,000 objects
        # (every month's tables) left for the garbage collector unless it is broken here.
        builder.month_builders.clear()
    _compare(views, area.code, period)
    return Dashboard(
        area=Place(area.code, area.short_name),
        level=str(level_of(area.code)),
        period=period,
        parents=[Place(c, names.get(c, c)) for c in parents],
        views=views,
        children=builder.children(area.code),
        k=builder.k,
    )


def _compare(views: list[IndicatorView], code: str, period: Period) -> None:
    """The equalisation gap of each comparable figure (``comparisons.py``)."""
    comparable = [v for v in views if v.indicator.comparable and v.table is not None]
    if not comparable:
        return
    today = timezone.localdate().year
    by_year: dict[int, dict[str, Comparison]] = {}
    for view in comparable:
        year = today if view.indicator.as_of_today else period.last.year
        if year not in by_year:
            by_year[year] = comparisons_for(code, year)
        view.comparison = by_year[year].get(view.indicator.code)
        if view.comparison is not None:
            view.gap = view.comparison.gap(value_of(view.indicator, view.headline))


def dashboard_for_actor(
    *, actor: Any, code: str, period: Period, only: Iterable[str] | None = None
) -> Dashboard:
    area = area_for_actor(actor=actor, code=code)
    return build_dashboard(area, period, only=only, visible_roots=insight_roots(actor))
