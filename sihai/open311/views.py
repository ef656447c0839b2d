"""Open311 GeoReport v2 over the service catalogue and the request services.

Privacy (docs/subsystems/open311.md): private categories — anything about a person —
never appear in public lists or by id; public lists carry no personal field (name,
phone, e-mail, account, device) and no coordinates of people; ``media_url`` is echoed
as given and never fetched.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from sihai.cases import selectors as case_selectors
from sihai.cases import services as case_services
from sihai.cases.models import Channel, EventKind, RequestEvent, ServiceCategory, ServiceRequest
from sihai.cases.services import RequestInput, RequestInvalid
from sihai.cases.states import OPEN_STATES, State, open311_status
from sihai.core.errors import InvalidInput, NotFound
from sihai.open311 import formats
from sihai.open311.models import ApiKey
from sihai.open311.services import api_key_check

JURISDICTIONS = {"", "kunming", "5301", "km"}
MAX_PAGE_SIZE = 1000
DEFAULT_DAYS = 90


def _iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _param(request: HttpRequest, name: str) -> str:
    return (request.POST.get(name) or request.GET.get(name) or "").strip()


View = Callable[..., HttpResponse]


def open311(view: View) -> View:
    """Format, locale and jurisdiction handling shared by every endpoint."""

    def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        locale = _param(request, "locale")
        language = "en" if locale.lower().startswith("en") else "zh-hans" if locale else None
        with translation.override(language or translation.get_language()):
            if _param(request, "jurisdiction_id").lower() not in JURISDICTIONS:
                return formats.errors(fmt, 404, [("404", _("Unknown jurisdiction_id."))])
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except NotFound as exc:
                return formats.errors(fmt, 404, [("404", str(exc.message))])

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


def _partner(request: HttpRequest) -> ApiKey | None:
    return api_key_check(_param(request, "api_key"))


@open311
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    data = {
        "changeset": "2026-12-01T00:00:00+08:00",
        "contact": _("Kunming city service platform (Sihai); e-mail the city's platform team."),
        "key_service": _("API keys are issued to partner systems by the security administrator."),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rstrip("/"),
                "changeset": "2026-12-01T00:00:00+08:00",
                "type": "production" if not settings.SIHAI_DEMO_ENABLED else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    if fmt == "json":
        return formats.render(data, fmt, root="discovery")
    return formats.render(data, fmt, root="discovery")


def _categories(request: HttpRequest) -> QuerySet[ServiceCategory]:
    qs = case_selectors.catalogue()
    return qs if _partner(request) is not None else qs.filter(private=False)


def _service(category: ServiceCategory) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": category.attributes.exists(),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@open311
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """Public categories; a partner with its api_key also sees private ones (to POST them)."""
    return formats.render([_service(c) for c in _categories(request)], fmt, root="services")


@open311
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    category = _categories(request).filter(code=code).first()
    if category is None:
        raise NotFound(_("There is no such service."))
    data = {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.get_datatype_display(),
                "order": a.order,
                "description": a.label,
                "values": [{"key": k, "name": n} for k, n in a.choices()],
            }
            for a in category.attributes.all()
        ],
    }
    if fmt == "json":
        return formats.render(data, fmt, root="service_definition")
    return formats.render(data, fmt, root="service_definition")


def _attributes_from(request: HttpRequest) -> dict[str, Any]:
    """``attribute[code]=v`` and ``attribute[code][]=v1&attribute[code][]=v2``."""
    answers: dict[str, Any] = {}
    for key in request.POST:
        if not key.startswith("attribute[") or "]" not in key:
            continue
        code = key[len("attribute[") : key.index("]")]
        values = request.POST.getlist(key)
        answers[code] = values if key.endswith("[]") else values[-1]
    return answers


def _float(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


@open311
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    return _list_requests(request, fmt)


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    partner = _partner(request)
    if partner is None:
        return formats.errors(fmt, 403, [("403", _("A valid api_key is required."))])
    lat, long = _float(_param(request, "lat")), _float(_param(request, "long"))
    address_id = _param(request, "address_id")
    problems: list[tuple[str, str]] = []
    if not (
        address_id or _param(request, "address_string") or (lat is not None and long is not None)
    ):
        problems.append(("400", _("Give a location: lat and long, address_string or address_id.")))
    if not address_id:
        problems.append(("400", _("address_id must be the 12-digit community code.")))
    if problems:
        return formats.errors(fmt, 400, problems)
    name = " ".join(x for x in (_param(request, "first_name"), _param(request, "last_name")) if x)
    token = secrets.token_hex(12)
    data = RequestInput(
        category_code=_param(request, "service_code"),
        description=request.POST.get("description", ""),
        community_code=address_id,
        attributes=_attributes_from(request),
        address_string=_param(request, "address_string"),
        lat=lat,
        long=long,
        media_url=_param(request, "media_url"),
        contact_name=name,
        contact_phone=_param(request, "phone"),
        idempotency_key=_param(request, "device_id")
        and f"{_param(request, 'device_id')}:{request.POST.get('description', '')[:200]}",
    )
    try:
        created, _code = case_services.request_submit(
            actor=partner,
            data=data,
            channel=Channel.OPEN311,
            partner=partner.name,
            partner_token=token,
        )
    except RequestInvalid as exc:
        return formats.errors(fmt, 400, [("400", m) for _c, m in exc.errors])
    except NotFound as exc:
        return formats.errors(fmt, 404, [("404", str(exc.message))])
    except InvalidInput as exc:
        return formats.errors(fmt, 400, [("400", str(exc.message))])
    answer = [
        {
            "service_request_id": created.reference,
            "token": created.open311_token,
            "service_notice": _("Answered within %(h)d working hours.")
            % {"h": created.category.response_hours},
            "account_id": _param(request, "account_id") or None,
        }
    ]
    return formats.render(
        answer, fmt, root="service_requests", status=201 if fmt == "json" else 200
    )


def _public(qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return qs.filter(private=False).select_related("category")


def _notes(request: ServiceRequest) -> list[dict[str, Any]]:
    events = RequestEvent.objects.filter(request=request, public=True).exclude(kind=EventKind.NOTE)
    return [
        {
            "datetime": _iso(e.at),
            "description": str(State(e.to_state).label)
            if e.to_state in State.values
            else e.get_kind_display(),
            "type": e.kind,
        }
        for e in events
    ]


def _row(request: ServiceRequest, *, extensions: bool) -> dict[str, Any]:
    """One request as Open311 shows it publicly: no personal field, ever."""
    row: dict[str, Any] = {
        "service_request_id": request.reference,
        "status": open311_status(request.state),
        "status_notes": request.get_state_display(),
        "service_name": request.category.name,
        "service_code": request.category_code,
        "description": request.description,
        "agency_responsible": request.department_code or f"workstation {request.community_id}",
        "service_notice": "",
        "requested_datetime": _iso(request.submitted_at),
        "updated_datetime": _iso(request.updated_at),
        "expected_datetime": _iso(request.resolution_due),
        "address": request.address_string,
        "address_id": request.community_id,
        "zipcode": "",
        "lat": request.lat,
        "long": request.long,
        "media_url": request.media_url,
    }
    if extensions:
        row["attributes"] = [{"code": k, "value": v} for k, v in request.attributes.items()]
        row["notes"] = _notes(request)
    return row


def _int(value: str, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return -1


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    qs = _public(ServiceRequest.objects.all())
    ids = [x.strip() for x in _param(request, "service_request_id").split(",") if x.strip()]
    page, page_size = _int(_param(request, "page"), 1), _int(_param(request, "page_size"), 50)
    if page < 1 or page_size < 1:
        return formats.errors(
            fmt, 400, [("400", _("page and page_size must be positive whole numbers."))]
        )
    page_size = min(page_size, MAX_PAGE_SIZE)
    if ids:
        qs = qs.filter(reference__in=ids[:MAX_PAGE_SIZE])
    else:
        codes = [x.strip() for x in _param(request, "service_code").split(",") if x.strip()]
        if codes:
            qs = qs.filter(category_code__in=codes)
        statuses = {x.strip() for x in _param(request, "status").split(",") if x.strip()}
        if statuses - {"open", "closed"}:
            return formats.errors(fmt, 400, [("400", _("status is open or closed."))])
        if statuses == {"open"}:
            qs = qs.filter(state__in=[*OPEN_STATES])
        elif statuses == {"closed"}:
            qs = qs.exclude(state__in=[*OPEN_STATES])
        start, end = _param(request, "start_date"), _param(request, "end_date")
        start_at = parse_datetime(start) if start else None
        end_at = parse_datetime(end) if end else None
        if (start and start_at is None) or (end and end_at is None):
            return formats.errors(fmt, 400, [("400", _("Dates are ISO 8601 with a time zone."))])
        if start_at is None and end_at is None:
            start_at = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
        if start_at is not None:
            qs = qs.filter(submitted_at__gte=start_at)
        if end_at is not None:
            qs = qs.filter(submitted_at__lte=end_at)
    extensions = _param(request, "extensions").lower() == "true"
    rows = qs.order_by("-submitted_at", "-id")[(page - 1) * page_size : page * page_size]
    return formats.render(
        [_row(r, extensions=extensions) for r in rows], fmt, root="service_requests"
    )


@open311
def request_detail(request: HttpRequest, reference: str, *, fmt: str) -> HttpResponse:
    found = _public(ServiceRequest.objects.filter(reference=reference)).first()
    if found is None:
        raise NotFound(_("There is no such request."))
    extensions = _param(request, "extensions").lower() == "true"
    return formats.render([_row(found, extensions=extensions)], fmt, root="service_requests")


@open311
def token(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    found = ServiceRequest.objects.filter(open311_token=token).only("reference").first()
    if found is None:
        raise NotFound(_("There is no such token."))
    return formats.render(
        [{"service_request_id": found.reference, "token": token}], fmt, root="service_requests"
    )
