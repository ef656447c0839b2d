"""Dashboards (one per level, scoped by jurisdiction), their exports, reports, transparency.

Every figure comes from :mod:`sihai.reporting.figures` (suppressed there); the
views only parse the request and render. An area outside the actor's jurisdiction
is answered exactly like a missing one (404); a bad or future period gets a clear
message and a 400, with nothing else shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.areas.models import AdministrativeArea
from sihai.core.errors import InvalidInput, NotFound, PageNotFound
from sihai.reporting import exports
from sihai.reporting.comparisons import (
    ComparisonInput,
    compare_roots,
    comparison_delete,
    comparison_set,
    comparisons_visible,
)
from sihai.reporting.figures import (
    Dashboard,
    IndicatorView,
    area_for_actor,
    area_place,
    build_dashboard,
    dashboard_for_actor,
    insight_roots,
    reason_text,
    text_of,
    value_of,
)
from sihai.reporting.forms import ComparisonForm
from sihai.reporting.models import MonthlyReport
from sihai.reporting.periods import Period, parse_period
from sihai.reporting.registry import indicator, indicators
from sihai.reporting.suppression import Reason, table_reasons

LEVEL_TITLES = {
    "city": gettext_lazy("City dashboard"),
    "county": gettext_lazy("District dashboard"),
    "township": gettext_lazy("Subdistrict dashboard"),
    "village": gettext_lazy("Community dashboard"),
}


def _only(request: HttpRequest) -> list[str] | None:
    code = request.GET.get("indicator", "").strip()
    if not code:
        return None
    if indicator(code) is None:
        raise InvalidInput(
            _("There is no indicator “%(code)s”.") % {"code": code[:40]}, code="indicator.unknown"
        )
    return [code]


def _chart(view: IndicatorView) -> dict[str, Any]:
    """What the chart script draws: the children's totals (or categories) and the trend."""
    ind = view.indicator
    table = view.table
    bars: list[dict[str, Any]] = []
    if table is not None:
        if len(view.rows) > 1 and table.row_totals:
            bars = [
                {"name": p.name, "value": value_of(ind, table.row_totals[p.code])}
                for p in view.rows
            ]
        elif view.has_categories:
            bars = [
                {"name": c.name, "value": value_of(ind, table.column_totals[c.code])}
                for c in view.columns
            ]
    return {
        "unit": str(ind.unit.label),
        "bars": bars,
        "trend": [
            {"month": f"{p.month:%Y-%m}", "value": value_of(ind, p.cell)} for p in view.trend
        ],
        "suppressed": _("suppressed"),
    }


def _rows(view: IndicatorView, dashboard: Dashboard) -> list[dict[str, Any]]:
    """The drill-down table's rows, ready to print: each cell's text and reason."""
    table = view.table
    if table is None:
        return []
    out = []
    ind = view.indicator
    for place in view.rows:
        cells = [table.cells[(place.code, c.code)] for c in view.columns]
        total = table.row_totals.get(place.code) if view.has_categories else None
        out.append(
            {
                "place": place,
                "link": place.code != dashboard.area.code,
                "cells": [(text_of(ind, c), c.reason) for c in cells],
                "total": (text_of(ind, total), total.reason) if total is not None else None,
            }
        )
    return out


def _gap_text(gap: float | None) -> str:
    if gap is None:
        return ""
    return _("%(points)s percentage points") % {"points": f"{gap:+.1f}"}


def _context(dashboard: Dashboard) -> dict[str, Any]:
    k = dashboard.k
    sections = []
    reasons: set[str] = set()
    for view in dashboard.views:
        ind = view.indicator
        if view.table is not None:
            reasons |= set(table_reasons(view.table))
        elif view.refused:
            reasons.add(view.refused)
        reasons |= {p.cell.reason for p in view.trend if p.cell.reason}
        totals = (
            [
                (
                    text_of(ind, view.table.column_totals[c.code]),
                    view.table.column_totals[c.code].reason,
                )
                for c in view.columns
            ]
            if view.table is not None and view.has_categories and len(view.rows) > 1
            else []
        )
        sections.append(
            {
                "view": view,
                "ind": ind,
                "headline": text_of(ind, view.headline) if view.table is not None else "",
                "headline_reason": view.headline.reason if view.headline.suppressed else "",
                "rows": _rows(view, dashboard),
                "column_totals": totals,
                "trend": [(p.month, text_of(ind, p.cell), p.cell.reason) for p in view.trend],
                "league": [(row.rank, row.place, text_of(ind, row.cell)) for row in view.league],
                "chart": _chart(view),
                "chart_id": f"chart-{ind.code.replace('.', '-')}",
                "comparison": view.comparison,
                "gap": _gap_text(view.gap),
            }
        )
    legend = [(r, reason_text(r, k)) for r in [*Reason.values, "not_additive"] if r in reasons]
    return {
        "dashboard": dashboard,
        "sections": sections,
        "legend": legend,
        "level_title": LEVEL_TITLES[dashboard.level],
        "k": k,
    }


@never_cache
@login_required
def index(request: HttpRequest) -> HttpResponse:
    roots = insight_roots(request.user)
    if not roots:
        raise PageNotFound(NotFound.default_message())
    query = request.GET.urlencode()
    url = reverse("insight:dashboard", args=[roots[0]])
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def _dashboard_or_error(request: HttpRequest, code: str) -> Dashboard | HttpResponse:
    try:
        area_for_actor(actor=request.user, code=code)
    except NotFound as exc:
        raise PageNotFound(str(exc)) from exc
    try:
        period = parse_period(request.GET.get("period"))
        only = _only(request)
    except InvalidInput as exc:
        area = area_place(code)
        return render(
            request,
            "reporting/dashboard_error.html",
            {"error": exc.message, "area": area, "period": request.GET.get("period", "")},
            status=400,
        )
    return dashboard_for_actor(actor=request.user, code=code, period=period, only=only)


@never_cache
@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    board = _dashboard_or_error(request, code)
    if isinstance(board, HttpResponse):
        return board
    context = _context(board)
    context["query"] = request.GET.urlencode()
    context["indicator_choices"] = [(i.code, i.name) for i in indicators()]
    context["chosen"] = request.GET.get("indicator", "")
    context["can_compare"] = bool(compare_roots(request.user))
    return render(request, "reporting/dashboard.html", context)


def _filename(board: Dashboard, ext: str) -> str:
    return f"sihai-{board.area.code}-{board.period.code}.{ext}"


@never_cache
@login_required
def export_csv(request: HttpRequest, code: str) -> HttpResponseBase:
    board = _dashboard_or_error(request, code)
    if isinstance(board, HttpResponse):
        return board
    response = StreamingHttpResponse(
        exports.csv_stream(exports.headers(), exports.figure_rows(board)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(board, "csv")}"'
    return response


@never_cache
@login_required
def export_xlsx(request: HttpRequest, code: str) -> HttpResponseBase:
    board = _dashboard_or_error(request, code)
    if isinstance(board, HttpResponse):
        return board
    title = f"{board.area.name} {board.area.code} · {board.period.code}"
    return FileResponse(
        exports.xlsx_file(board, title=title),
        as_attachment=True,
        filename=_filename(board, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@never_cache
@login_required
def reports(request: HttpRequest, code: str) -> HttpResponse:
    try:
        area = area_for_actor(actor=request.user, code=code)
    except NotFound as exc:
        raise PageNotFound(str(exc)) from exc
    rows = MonthlyReport.objects.filter(area_code=area.code).order_by("-month")[:36]
    return render(request, "reporting/reports.html", {"area": area, "reports": rows})


@never_cache
@login_required
def report_xlsx(request: HttpRequest, code: str, month: str) -> HttpResponseBase:
    try:
        area = area_for_actor(actor=request.user, code=code)
        period = parse_period(month)
    except (NotFound, InvalidInput) as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    report = MonthlyReport.objects.filter(area_code=area.code, month=period.months[0]).first()
    if report is None:
        raise PageNotFound(NotFound.default_message())
    title = _("Monthly report: %(area)s, %(month)s") % {"area": area.short_name, "month": month}
    return FileResponse(
        exports.xlsx_file(None, title=title, rows=report.figures),
        as_attachment=True,
        filename=f"sihai-report-{area.code}-{month}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def public_dashboard(period: Period) -> Dashboard:
    """The city-wide figures of the public indicators (service figures, suppressed)."""
    from django.conf import settings  # noqa: PLC0415

    city = area_place(settings.SIHAI_CITY_CODE)
    return build_dashboard(city, period, only=[i.code for i in indicators() if i.public])


def transparency(request: HttpRequest) -> HttpResponse:
    try:
        period = parse_period(request.GET.get("period"))
    except InvalidInput as exc:
        return render(request, "reporting/transparency.html", {"error": exc.message}, status=400)
    context = _context(public_dashboard(period))
    context["public"] = True
    return render(request, "reporting/transparency.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def comparisons(request: HttpRequest) -> HttpResponse:
    """The registered residents' published figures the equalisation gaps compare with."""
    roots = compare_roots(request.user)
    if not roots:
        raise PageNotFound(NotFound.default_message())
    form = ComparisonForm(request.POST or None, roots=roots)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            comparison_set(
                actor=request.user,
                data=ComparisonInput(
                    data["indicator_code"],
                    data["area_code"],
                    data["year"],
                    data["value"],
                    data["source"],
                ),
            )
        except (InvalidInput, NotFound) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Saved: the dashboards now show the gap."))
            return redirect("insight:comparisons")
    names = {i.code: i.name for i in indicators()}
    figures = comparisons_visible(request.user)
    places = dict(
        AdministrativeArea.objects.filter(code__in={f.area_code for f in figures}).values_list(
            "code", "short_name"
        )
    )
    rows = [
        (f, names.get(f.indicator_code, f.indicator_code), places.get(f.area_code, ""))
        for f in figures
    ]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reporting/comparisons.html",
        {"form": form, "rows": rows, "home": roots[0]},
        status=status,
    )


@login_required
@require_POST
def comparison_remove(request: HttpRequest, comparison_id: int) -> HttpResponse:
    try:
        comparison_delete(actor=request.user, comparison_id=comparison_id)
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    messages.success(request, _("Removed."))
    return redirect("insight:comparisons")
