"""The resident portal: find the nearest open point for a need; a page per point.

Works without JavaScript: a resident picks a need and their district, subdistrict
and community (each step a plain form). With JavaScript, "use my location" asks
the browser for the position and POSTs it, so it never appears in a URL, the
browser history or a proxy log; it is used for that one answer and not kept.
The map (Leaflet) is an addition to the list, never a replacement.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sihai.areas.models import AdministrativeArea
from sihai.core.errors import InvalidInput, NotFound, PageNotFound
from sihai.directory import hours, selectors
from sihai.directory.catalogue import LANGUAGES
from sihai.directory.forms import FindForm, NearbyForm
from sihai.directory.geo import walk_model, wgs84_to_gcj02
from sihai.directory.models import Location

RESULTS = 10


def map_point(location: Location, **extra: Any) -> dict[str, Any]:
    """A marker for the map, in the datum the configured tiles use."""
    lat, lon = location.latitude, location.longitude
    if settings.SIHAI_MAP_TILES_GCJ02:
        lat, lon = wgs84_to_gcj02(lat, lon)
    return {
        "name": location.name,
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "url": reverse("services:point", args=[location.pk]),
        **extra,
    }


def map_settings() -> dict[str, Any]:
    return {
        "tiles": settings.SIHAI_MAP_TILE_URL,
        "attribution": settings.SIHAI_MAP_TILE_ATTRIBUTION,
    }


def language_names(codes: list[str], english: bool) -> list[str]:
    return [LANGUAGES[c][1 if english else 0] for c in codes if c in LANGUAGES]


def _children(parent: str) -> list[AdministrativeArea]:
    return list(AdministrativeArea.objects.filter(parent_id=parent).order_by("code"))


def _choice(request: HttpRequest, name: str, options: list[AdministrativeArea]) -> str:
    value = request.GET.get(name, "")
    return value if any(a.code == value for a in options) else ""


@never_cache
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """GET: need and community (step by step); POST: need and the browser's position."""
    results = None
    error = ""
    origin = ""
    if request.method == "POST":
        form: FindForm = NearbyForm(request.POST)
        if form.is_valid():
            try:
                results = selectors.nearest(
                    latitude=form.cleaned_data["latitude"],
                    longitude=form.cleaned_data["longitude"],
                    need=form.cleaned_data["need"],
                    open_now=form.cleaned_data["open_now"],
                    limit=RESULTS,
                )
            except InvalidInput as exc:
                error = str(exc.message)
            origin = "here"
        else:
            error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        form = FindForm(request.GET or None)
    city = settings.SIHAI_CITY_CODE
    districts = _children(city)
    district = _choice(request, "district", districts)
    townships = _children(district) if district else []
    township = _choice(request, "township", townships)
    communities = _children(township) if township else []
    community = _choice(request, "community", communities)
    if request.method == "GET" and community and form.is_valid():
        results = selectors.nearest_from_community(
            community_code=community,
            need=form.cleaned_data["need"],
            open_now=form.cleaned_data["open_now"],
            limit=RESULTS,
        )
        origin = "community"
    english = (request.LANGUAGE_CODE or "").startswith("en")
    rows: list[dict[str, Any]] = [
        {
            "nearby": n,
            "minutes": selectors.walking_minutes_text(n.walk_minutes),
            "languages": language_names(list(n.languages), english),
            "access": n.accessibility_labels(),
        }
        for n in results or []
    ]
    return render(
        request,
        "directory/find.html",
        {
            "form": form,
            "districts": districts,
            "townships": townships,
            "communities": communities,
            "district": district,
            "township": township,
            "community": community,
            "rows": rows,
            "searched": results is not None,
            "origin": origin,
            "error": error,
            "method": walk_model().describe(),
            "map_data": {
                **map_settings(),
                "markers": [
                    map_point(r["nearby"].location, open=r["nearby"].status.is_open) for r in rows
                ],
            },
        },
    )


@never_cache
def point(request: HttpRequest, location_id: str) -> HttpResponse:
    try:
        location = selectors.location_public_get(location_id=location_id)
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    english = (request.LANGUAGE_CODE or "").startswith("en")
    return render(
        request,
        "directory/point.html",
        {
            "location": location,
            "status": selectors.status_of(location),
            "hours": [hours.describe(rule) for rule in selectors.rules_of(location)],
            "closures": [c for c in location.closures.all() if c.ends_on >= timezone.localdate()],
            "languages": language_names([lang.code for lang in location.languages.all()], english),
            "services": [sal.service for sal in location.service_at_locations.all()],
            "map_data": {**map_settings(), "markers": [map_point(location)]},
        },
    )
