"""The resident portal: mobile-first, works without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sihai.areas import selectors as area_selectors
from sihai.core.errors import InvalidInput, NotFound, PageNotFound
from sihai.core.navigation import portal_nav


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"entries": portal_nav.for_user(request.user)})


def area_lookup(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """ "Which community am I in?": step down from the city to a community (public data only)."""
    try:
        area = area_selectors.area_get(code=code or settings.SIHAI_CITY_CODE)
    except InvalidInput as exc:
        raise PageNotFound(exc.message, code=exc.code) from exc
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    return render(
        request,
        "portal/areas.html",
        {
            "area": area,
            "path": area_selectors.area_path(area=area),
            "children": area_selectors.area_children(area=area),
        },
    )
