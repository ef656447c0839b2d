"""The workbench's 15-minute service circle: coverage per kind, the gaps, and placement."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from sihai.core.errors import InvalidInput, NotFound, PageNotFound
from sihai.core.policy import roots_for
from sihai.directory.catalogue import Kind
from sihai.directory.coverage import CoverageReport, coverage
from sihai.directory.forms import CoverageForm, PlacementForm
from sihai.directory.placement import placement
from sihai.directory.policies import COVERAGE_VIEW
from sihai.directory.portal_views import map_settings

GAPS_SHOWN = 100
# Counts of 1 to 4 registered residents are shown as "<5" (small-cell suppression).
SMALL_CELL = 5


def suppressed(count: int) -> str:
    return f"<{SMALL_CELL}" if 0 < count < SMALL_CELL else f"{count:,}"


def _roots(request: HttpRequest) -> list[str]:
    roots = roots_for(request.user, COVERAGE_VIEW)
    if not roots:
        raise PageNotFound(NotFound.default_message())
    return roots


def _summary(report: CoverageReport) -> list[dict[str, Any]]:
    return [
        {"kind": Kind(kind).label, "code": kind, "points": k.points, "total": k.total}
        for kind, k in report.kinds.items()
    ]


@never_cache
@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    roots = _roots(request)
    form = CoverageForm(request.GET or None, initial={"kind": Kind.INSURANCE_POINT})
    kind = (
        form.cleaned_data["kind"]
        if form.is_valid() and form.cleaned_data["kind"]
        else Kind.INSURANCE_POINT
    )
    report = coverage(roots=roots)
    chosen = report.kinds[kind]
    gaps = chosen.gaps
    return render(
        request,
        "directory/coverage.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "report": report,
            "summary": _summary(report),
            "chosen": chosen,
            "gaps": [
                {"row": r, "residents": suppressed(r.community.residents)}
                for r in gaps[:GAPS_SHOWN]
            ],
            "gap_count": len(gaps),
            "map_data": {
                **map_settings(),
                "small": True,
                "markers": [
                    {
                        "name": r.community.name,
                        "lat": round(r.community.latitude, 5),
                        "lon": round(r.community.longitude, 5),
                        "covered": r.covered,
                        "minutes": round(r.minutes) if r.minutes is not None else None,
                    }
                    for r in chosen.rows
                ],
            },
            "roots": roots,
        },
    )


@never_cache
@login_required
def placement_page(request: HttpRequest) -> HttpResponse:
    roots = _roots(request)
    form = PlacementForm(request.GET or None, initial={"kind": Kind.INSURANCE_POINT, "budget": 10})
    result = None
    error = ""
    if form.is_valid():
        try:
            result = placement(
                kind=form.cleaned_data["kind"], budget=form.cleaned_data["budget"], roots=roots
            )
        except InvalidInput as exc:
            error = str(exc.message)
    markers = []
    if result is not None:
        exact = {c.code for c in result.exact.sites}
        greedy = {c.code for c in result.greedy.sites}
        for site in {c.code: c for c in result.exact.sites + result.greedy.sites}.values():
            markers.append(
                {
                    "name": site.name,
                    "lat": round(site.latitude, 5),
                    "lon": round(site.longitude, 5),
                    "covered": site.code in exact,
                    "both": site.code in exact and site.code in greedy,
                }
            )
    return render(
        request,
        "directory/placement.html",
        {
            "form": form,
            "result": result,
            "error": error,
            "map_data": {**map_settings(), "markers": markers},
            "roots": roots,
        },
    )
