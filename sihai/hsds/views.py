"""The HSDS 3.0 API under /hsds/: public, read-only, published points only.

Endpoints, pagination and filters follow the official ``openapi.json``: pages
carry ``total_items``, ``total_pages``, ``page_number``, ``size`` (items on this
page), ``first_page``, ``last_page``, ``empty`` and ``contents``. Bad parameters
(``page=0``, ``per_page`` beyond 1,000, an id that is not a UUID, an unparseable
``modified_after``) answer 400 with ``{code, message}``; an unknown id answers 404.
"""

from __future__ import annotations

import datetime
import json
import math
import uuid
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sihai.core.errors import InvalidInput, NotFound, SihaiError
from sihai.directory import selectors
from sihai.directory.catalogue import Need, need_term_id
from sihai.directory.models import Location, Organization, Service, ServiceAtLocation
from sihai.hsds import serializers

HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/overview.html"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
OPENAPI_FILE = Path(__file__).resolve().parent / "data" / "openapi.json"
View = Callable[..., HttpResponse]


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def api_view(view: View) -> View:
    """GET only; coded errors become ``{code, message}`` with their status, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SihaiError as exc:
            return _json({"code": exc.code, "message": str(exc.message)}, status=exc.http_status)

    return require_GET(wrapper)


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise InvalidInput(
            _("%(name)s must be a UUID.") % {"name": name}, code="hsds.invalid_id"
        ) from exc


def _integer(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidInput(
            _("%(name)s must be a whole number.") % {"name": name}, code="hsds.invalid_page"
        ) from exc
    if not (low <= value <= high):
        raise InvalidInput(
            _("%(name)s must be between %(low)d and %(high)d.")
            % {"name": name, "low": low, "high": high},
            code="hsds.invalid_page",
        )
    return value


def _boolean(request: HttpRequest, name: str) -> bool:
    raw = request.GET.get(name, "").lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise InvalidInput(_("%(name)s must be true or false.") % {"name": name}, code="hsds.invalid")


def _modified_after(request: HttpRequest) -> datetime.datetime | None:
    raw = request.GET.get("modified_after", "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        try:
            day = parse_date(raw)
        except ValueError:
            day = None
        if day is None:
            raise InvalidInput(
                _("modified_after must be a date-time such as 2026-01-31T08:00:00Z."),
                code="hsds.invalid_datetime",
            )
        moment = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _check_format(request: HttpRequest) -> None:
    if request.GET.get("format", "json") not in ("", "json"):
        raise InvalidInput(_("Only format=json is offered."), code="hsds.format")


def _need_for_term(term: str) -> str:
    key = _uuid(term, "taxonomy_term_id")
    for need in Need.values:
        if need_term_id(need) == key:
            return need
    return ""


def _page(
    request: HttpRequest, queryset: QuerySet[Any], render: Callable[[list[Any]], list[Any]]
) -> JsonResponse:
    _check_format(request)
    page = _integer(request, "page", 1, 1, 1_000_000)
    per_page = _integer(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    total = queryset.count()
    pages = math.ceil(total / per_page)
    items = list(queryset[(page - 1) * per_page : page * per_page]) if total else []
    contents = render(items)
    return _json(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= pages,
            "empty": len(contents) == 0,
            "contents": contents,
        }
    )


# --- Querysets over the directory's published data ---------------------------------------


def _locations_prefetch() -> Prefetch[Any]:
    return Prefetch("location", queryset=selectors.with_details(Location.objects.all()))


def _published_sals() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.filter(location__published=True)


def _term_and_organization(request: HttpRequest, *, service: str) -> Q:
    """The ``taxonomy_term_id`` and ``organization_id`` filters; ``service`` is the path to it."""
    condition = Q()
    term = request.GET.get("taxonomy_term_id", "").strip()
    if term:
        condition &= Q(**{f"{service}need": _need_for_term(term) or "-"})
    organization = request.GET.get("organization_id", "").strip()
    if organization:
        key = _uuid(organization, "organization_id")
        condition &= Q(**{f"{service}organization_id": key})
    return condition


def _services(request: HttpRequest) -> QuerySet[Service]:
    queryset = selectors.published_services()
    search = request.GET.get("search", "").strip()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    queryset = queryset.filter(_term_and_organization(request, service=""))
    moment = _modified_after(request)
    if moment is not None:
        queryset = queryset.filter(
            Q(updated_at__gte=moment)
            | Q(organization__updated_at__gte=moment)
            | Q(service_at_locations__location__updated_at__gte=moment)
        )
    return (
        queryset.select_related("organization")
        .annotate(locations_modified=Max("service_at_locations__location__updated_at"))
        .order_by("name", "id")
        .distinct()
    )


def _last_modified(service: Service) -> datetime.datetime:
    moments = [service.updated_at, service.organization.updated_at]
    extra = getattr(service, "locations_modified", None)
    if extra is not None:
        moments.append(extra)
    return max(moments)


def _sals_of(services: Sequence[Service]) -> dict[Any, list[ServiceAtLocation]]:
    found: dict[Any, list[ServiceAtLocation]] = {s.pk: [] for s in services}
    sals = (
        _published_sals()
        .filter(service__in=services)
        .select_related("service__organization")
        .prefetch_related(_locations_prefetch())
        .order_by("location__name", "id")
    )
    for sal in sals:
        found[sal.service_id].append(sal)
    return found


def _full_services(services: Sequence[Service]) -> list[dict[str, Any]]:
    sals = _sals_of(services)
    return [serializers.service_full(s, sals[s.pk], _last_modified(s)) for s in services]


# --- Endpoints ---------------------------------------------------------------------------


@api_view
def index(request: HttpRequest) -> HttpResponse:
    return _json(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("hsds:openapi")),
        }
    )


@api_view
def openapi(request: HttpRequest) -> HttpResponse:
    return _json(json.loads(OPENAPI_FILE.read_text(encoding="utf-8")))


@api_view
def services(request: HttpRequest) -> HttpResponse:
    full = _boolean(request, "full")

    def render(items: list[Service]) -> list[dict[str, Any]]:
        if full:
            return _full_services(items)
        return [serializers.service_brief(s, _last_modified(s)) for s in items]

    return _page(request, _services(request), render)


@api_view
def service(request: HttpRequest, service_id: str) -> HttpResponse:
    key = _uuid(service_id, "id")
    found = list(
        selectors.published_services()
        .filter(pk=key)
        .select_related("organization")
        .annotate(locations_modified=Max("service_at_locations__location__updated_at"))
    )
    if not found:
        raise NotFound(NotFound.default_message(), code="hsds.not_found")
    return _json(_full_services(found)[0])


def _organizations(request: HttpRequest) -> QuerySet[Organization]:
    queryset = selectors.published_organizations()
    search = request.GET.get("search", "").strip()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return queryset.order_by("name", "id")


def _organization_full(organization: Organization, *, full_service: bool) -> dict[str, Any]:
    services_qs = (
        selectors.published_services()
        .filter(organization=organization)
        .select_related("organization")
        .annotate(locations_modified=Max("service_at_locations__location__updated_at"))
        .order_by("name", "id")
    )
    service_list = list(services_qs)
    if full_service:
        rendered = _full_services(service_list)
    else:
        rendered = [serializers.service_brief(s, _last_modified(s)) for s in service_list]
    locations = list(
        selectors.with_details(
            selectors.published_locations().filter(organization=organization)
        ).order_by("name", "id")
    )
    return serializers.organization_full(organization, rendered, locations)


@api_view
def organizations(request: HttpRequest) -> HttpResponse:
    full = _boolean(request, "full")
    full_service = _boolean(request, "full_service")

    def render(items: list[Organization]) -> list[dict[str, Any]]:
        if full:
            return [_organization_full(o, full_service=full_service) for o in items]
        return [serializers.organization_brief(o) for o in items]

    return _page(request, _organizations(request), render)


@api_view
def organization(request: HttpRequest, organization_id: str) -> HttpResponse:
    key = _uuid(organization_id, "id")
    found = selectors.published_organizations().filter(pk=key).first()
    if found is None:
        raise NotFound(NotFound.default_message(), code="hsds.not_found")
    return _json(_organization_full(found, full_service=_boolean(request, "full_service")))


def _service_at_locations(request: HttpRequest) -> QuerySet[ServiceAtLocation]:
    queryset = _published_sals()
    search = request.GET.get("search", "").strip()
    if search:
        queryset = queryset.filter(
            Q(service__name__icontains=search) | Q(location__name__icontains=search)
        )
    queryset = queryset.filter(_term_and_organization(request, service="service__"))
    moment = _modified_after(request)
    if moment is not None:
        queryset = queryset.filter(
            Q(updated_at__gte=moment)
            | Q(location__updated_at__gte=moment)
            | Q(service__updated_at__gte=moment)
        )
    return queryset.select_related("service__organization", "location").order_by(
        "location__name", "service__name", "id"
    )


def _full_sal(sal: ServiceAtLocation) -> dict[str, Any]:
    obj = serializers.service_at_location_full(sal)
    # The official openapi.json describes GET /service_at_locations/{id} with service.json;
    # carrying the service's name and status as well makes the answer valid against both.
    obj["name"] = sal.service.name
    obj["status"] = sal.service.status
    return obj


@api_view
def service_at_locations(request: HttpRequest) -> HttpResponse:
    full = _boolean(request, "full")
    queryset = _service_at_locations(request)
    if full:
        queryset = queryset.prefetch_related(_locations_prefetch())

    def render(items: list[ServiceAtLocation]) -> list[dict[str, Any]]:
        if full:
            return [_full_sal(sal) for sal in items]
        return [serializers.service_at_location_brief(sal) for sal in items]

    return _page(request, queryset, render)


@api_view
def service_at_location(request: HttpRequest, sal_id: str) -> HttpResponse:
    key = _uuid(sal_id, "id")
    found = (
        _published_sals()
        .filter(pk=key)
        .select_related("service__organization")
        .prefetch_related(_locations_prefetch())
        .first()
    )
    if found is None:
        raise NotFound(NotFound.default_message(), code="hsds.not_found")
    return _json(_full_sal(found))
