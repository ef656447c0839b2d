"""The workbench: manage the service points of one's jurisdiction (details, hours, closures,
Excel import and export)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound
from sihai.core.policy import has_action, roots_for
from sihai.directory import hours, selectors, services, spreadsheet
from sihai.directory.catalogue import Kind
from sihai.directory.forms import ClosureForm, HoursForm, ImportForm, LocationForm
from sihai.directory.models import Location
from sihai.directory.policies import DIRECTORY_MANAGE

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request: HttpRequest) -> None:
    if not has_action(request.user, DIRECTORY_MANAGE):
        raise PageNotFound(NotFound.default_message())


def _location(request: HttpRequest, location_id: str) -> Location:
    _require(request)
    try:
        return selectors.location_get_for_actor(actor=request.user, location_id=location_id)
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc


def _input(form: LocationForm) -> services.LocationInput:
    data = form.cleaned_data
    return services.LocationInput(
        name=data["name"],
        kind=data["kind"],
        community_code=data["community_code"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        address=data["address"],
        phone=data["phone"],
        transportation=data["transportation"],
        description=data["description"],
        languages=list(data["languages"]),
        accessibility=list(data["accessibility"]),
        published=data["published"],
    )


@never_cache
@login_required
def point_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    kind = request.GET.get("kind", "")
    search = request.GET.get("q", "")[:100]
    if kind and kind not in Kind.values:
        kind = ""
    queryset = selectors.locations_for_actor(actor=request.user, kind=kind, search=search)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/point_list.html",
        {
            "page": page,
            "kinds": Kind.choices,
            "kind": kind,
            "search": search,
            "extra_query": f"kind={kind}&amp;" if kind else "",
            "roots": roots_for(request.user, DIRECTORY_MANAGE),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def point_create(request: HttpRequest) -> HttpResponse:
    _require(request)
    roots = roots_for(request.user, DIRECTORY_MANAGE)
    initial: dict[str, Any] = {"published": True}
    if roots and len(roots[0]) == 12:
        initial["community_code"] = roots[0]
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            location = services.location_create(actor=request.user, data=_input(form))  # type: ignore[arg-type]
        except (InvalidInput, NotAllowed, NotFound) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Point added. Now give its opening hours."))
            return redirect("directory:hours", location_id=location.pk)
    return render(request, "directory/point_form.html", {"form": form, "location": None})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request: HttpRequest, location_id: str) -> HttpResponse:
    location = _location(request, location_id)
    address = location.addresses.all()[:1]
    phone = location.phones.all()[:1]
    initial = {
        "name": location.name,
        "kind": location.kind,
        "community_code": location.area_id,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "address": address[0].address_1 if address else "",
        "phone": phone[0].number if phone else "",
        "transportation": location.transportation,
        "description": location.description,
        "languages": [lang.code for lang in location.languages.all()],
        "accessibility": [a.provision for a in location.accessibility.all()],
        "published": location.published,
    }
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.location_update(
                actor=request.user,  # type: ignore[arg-type]
                location_id=location.pk,
                data=_input(form),
            )
        except (InvalidInput, NotAllowed, NotFound) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("directory:edit", location_id=location.pk)
    return render(
        request,
        "directory/point_form.html",
        {
            "form": form,
            "location": location,
            "hours": hours.rules_text(selectors.rules_of(location)),
            "status": selectors.status_of(location),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def point_hours(request: HttpRequest, location_id: str) -> HttpResponse:
    location = _location(request, location_id)
    form = HoursForm(
        request.POST or None, initial={"rules": hours.rules_text(selectors.rules_of(location))}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.location_hours_set(
                actor=request.user,  # type: ignore[arg-type]
                location_id=location.pk,
                rules_text=form.cleaned_data["rules"],
            )
        except (InvalidInput, NotFound) as exc:
            form.add_error("rules", str(exc.message))
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("directory:edit", location_id=location.pk)
    return render(request, "directory/point_hours.html", {"form": form, "location": location})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def point_closures(request: HttpRequest, location_id: str) -> HttpResponse:
    location = _location(request, location_id)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_add(
                actor=request.user,  # type: ignore[arg-type]
                location_id=location.pk,
                **form.cleaned_data,
            )
        except (InvalidInput, NotFound) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("Closure recorded: the point shows as closed on those days.")
            )
            return redirect("directory:closures", location_id=location.pk)
    return render(
        request,
        "directory/point_closures.html",
        {"form": form, "location": location, "closures": list(location.closures.all())},
    )


@login_required
@require_POST
def closure_remove(request: HttpRequest, location_id: str, closure_id: str) -> HttpResponse:
    _require(request)
    try:
        services.closure_remove(
            actor=request.user,  # type: ignore[arg-type]
            location_id=location_id,
            closure_id=closure_id,
        )
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    messages.success(request, _("Closure removed."))
    return redirect("directory:closures", location_id=location_id)


@never_cache
@login_required
def point_export(request: HttpRequest) -> HttpResponse:
    _require(request)
    response = HttpResponse(spreadsheet.export_points(actor=request.user), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="service-points.xlsx"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def point_import(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[spreadsheet.CellError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload.read(spreadsheet.MAX_BYTES + 1)
            report = spreadsheet.import_points(actor=request.user, data=data)  # type: ignore[arg-type]
        except spreadsheet.ImportRejected as exc:
            form.add_error(None, str(exc.message))
            errors = spreadsheet.error_rows(exc.errors)
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Imported: %(created)d points added, %(updated)d updated.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("directory:list")
    return render(
        request,
        "directory/point_import.html",
        {"form": form, "errors": errors, "columns": spreadsheet.COLUMNS},
    )
