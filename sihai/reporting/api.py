"""The metrics API: the same figures as the dashboards, scoped and suppressed identically.

``GET /api/v1/metrics/indicators`` lists the registry; ``GET /api/v1/metrics/areas/{code}``
gives an area's figures for a period (a staff token; outside the token holder's
jurisdiction, 404 as for a missing area). A suppressed cell has ``value: null`` and
its ``suppressed`` reason; the figures are built by the same code as the pages.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from sihai.accounts.api import StaffToken
from sihai.core.errors import InvalidInput
from sihai.reporting.figures import (
    Dashboard,
    IndicatorView,
    area_for_actor,
    dashboard_for_actor,
    reason_text,
    value_of,
)
from sihai.reporting.periods import parse_period
from sihai.reporting.registry import Indicator, indicator, indicators
from sihai.reporting.suppression import TOTAL, Cell

router = Router()


class ErrorOut(Schema):
    code: str
    message: str


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    computation: str
    unit: str
    kind: str
    dimensions: list[str]
    people: bool
    stock: bool
    as_of_today: bool
    sensitive: bool
    app: str

    @staticmethod
    def of(ind: Indicator) -> IndicatorOut:
        return IndicatorOut(
            code=ind.code,
            name=str(ind.name),
            definition=str(ind.definition),
            computation=str(ind.computation),
            unit=str(ind.unit.value),
            kind=str(ind.kind.value),
            dimensions=sorted(str(d.value) for d in ind.dimensions),
            people=ind.people,
            stock=ind.stock,
            as_of_today=ind.as_of_today,
            sensitive=ind.sensitive,
            app=ind.app,
        )


class CellOut(Schema):
    area: str
    category: str
    value: float | None
    suppressed: str | None
    reason: str | None


class TrendOut(Schema):
    month: str
    value: float | None
    suppressed: str | None


class ComparisonOut(Schema):
    """The registered (户籍) residents' published figure and the equalisation gap."""

    value: float
    area: str
    year: int
    source: str
    gap: float | None  # migrants minus registered residents, percentage points


class FigureOut(Schema):
    indicator: str
    name: str
    unit: str
    period: str
    total: CellOut | None
    cells: list[CellOut]
    trend: list[TrendOut]
    refused: str | None
    comparison: ComparisonOut | None = None


class AreaFiguresOut(Schema):
    area: str
    name: str
    level: str
    period: str
    k: int
    children: list[str]
    figures: list[FigureOut]


def _cell(ind: Indicator, area: str, category: str, cell: Cell, k: int) -> CellOut:
    return CellOut(
        area=area,
        category=category,
        value=value_of(ind, cell),
        suppressed=cell.reason or None,
        reason=reason_text(cell.reason, k) if cell.reason else None,
    )


def _figure(board: Dashboard, view: IndicatorView) -> FigureOut:
    ind = view.indicator
    table = view.table
    period = "today" if ind.as_of_today else board.period.code
    if table is None:
        return FigureOut(
            indicator=ind.code,
            name=str(ind.name),
            unit=str(ind.unit.value),
            period=period,
            total=None,
            cells=[],
            trend=[],
            refused=view.refused,
        )
    cells = []
    for place in view.rows:
        if place.code != board.area.code:
            for column in view.columns:
                cells.append(
                    _cell(
                        ind,
                        place.code,
                        column.code,
                        table.cells[(place.code, column.code)],
                        board.k,
                    )
                )
            if view.has_categories and place.code in table.row_totals:
                cells.append(_cell(ind, place.code, TOTAL, table.row_totals[place.code], board.k))
    if view.has_categories:
        for column in view.columns:
            cells.append(
                _cell(ind, board.area.code, column.code, table.column_totals[column.code], board.k)
            )
    comparison = (
        ComparisonOut(
            value=view.comparison.value,
            area=view.comparison.area_code,
            year=view.comparison.year,
            source=view.comparison.source,
            gap=view.gap,
        )
        if view.comparison is not None
        else None
    )
    return FigureOut(
        indicator=ind.code,
        name=str(ind.name),
        unit=str(ind.unit.value),
        period=period,
        comparison=comparison,
        total=_cell(ind, board.area.code, TOTAL, table.total, board.k),
        cells=cells,
        trend=[
            TrendOut(
                month=f"{p.month:%Y-%m}",
                value=value_of(ind, p.cell),
                suppressed=p.cell.reason or None,
            )
            for p in view.trend
        ],
        refused=None,
    )


@router.get("/indicators", response={200: list[IndicatorOut]}, summary="The KPI registry")
def indicator_list(request: HttpRequest) -> list[IndicatorOut]:
    return [IndicatorOut.of(i) for i in indicators()]


@router.get(
    "/areas/{code}",
    auth=StaffToken(),
    response={200: AreaFiguresOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="An area's figures for a period, as its dashboard shows them (suppressed)",
)
def area_figures(
    request: HttpRequest, code: str, period: str = "", indicator_code: str = ""
) -> AreaFiguresOut:
    area_for_actor(actor=request.user, code=code)
    parsed = parse_period(period)
    only = None
    if indicator_code:
        if indicator(indicator_code) is None:
            raise InvalidInput(
                _("There is no indicator “%(code)s”.") % {"code": indicator_code[:40]},
                code="indicator.unknown",
            )
        only = [indicator_code]
    board = dashboard_for_actor(actor=request.user, code=code, period=parsed, only=only)
    return AreaFiguresOut(
        area=board.area.code,
        name=board.area.name,
        level=board.level,
        period=board.period.code,
        k=board.k,
        children=[c.code for c in board.children],
        figures=[_figure(board, v) for v in board.views],
    )
