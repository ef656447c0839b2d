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


# Forms that send the resident here to find their community, and take the code back.
PICK_FOR = {"register": "my_data:register", "move": "my_data:move"}


def area_lookup(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """ "Which community am I in?": step down from the city to a community (public data only).

    With ``?for=register`` or ``?for=move`` the walk ends with a button that takes the chosen
    community's code back to that form, so nobody has to type a 12-digit code.
    """
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
            "pick_for": request.GET.get("for") if request.GET.get("for") in PICK_FOR else "",
            "pick_url": PICK_FOR.get(request.GET.get("for", ""), ""),
        },
    )
