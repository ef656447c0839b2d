"""The workbench area browser: city → district → subdistrict → community, with counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sihai.areas import policies, selectors
from sihai.areas.codes import is_valid_code, validate_code
from sihai.areas.models import AdministrativeArea
from sihai.core.errors import InvalidInput, NotFound, PageNotFound


def _not_found() -> PageNotFound:
    # The same page whether the area does not exist or lies outside the actor's scope.
    return PageNotFound(NotFound.default_message())


@login_required
def browser_index(request: HttpRequest) -> HttpResponse:
    roots = policies.browse_roots(request.user)
    if not roots:
        raise _not_found()
    if len(roots) == 1:
        return redirect("areas:detail", code=roots[0])
    areas = list(AdministrativeArea.objects.filter(code__in=roots).order_by("code"))
    return render(request, "areas/browser_index.html", {"areas": areas})


@login_required
def browser_detail(request: HttpRequest, code: str) -> HttpResponse:
    if not is_valid_code(code):
        try:
            validate_code(code)
        except InvalidInput as exc:
            raise PageNotFound(exc.message, code=exc.code) from exc
    if not policies.can_browse(request.user, code):
        raise _not_found()
    try:
        area = selectors.area_get(code=code)
    except NotFound as exc:
        raise _not_found() from exc
    path = [
        (step, policies.can_browse(request.user, step.code))
        for step in selectors.area_path(area=area)
    ]
    columns, rows = selectors.area_children_with_counts(area=area)
    return render(
        request,
        "areas/browser_detail.html",
        {"area": area, "path": path, "columns": columns, "rows": rows},
    )
