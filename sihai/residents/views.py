"""The staff registry: find a resident (never browse everyone), open a record for a reason."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sihai.accounts.models import Department, User
from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound
from sihai.core.identity import mask_phone
from sihai.core.policy import has_action, roots_for
from sihai.residents import selectors, services
from sihai.residents.forms import (
    ConsentRecordForm,
    CounterRegisterForm,
    MoveForm,
    OpenForm,
    SearchForm,
)
from sihai.residents.models import Need, Resident
from sihai.residents.policies import RESIDENT_REGISTER, RESIDENT_UPDATE, RESIDENT_VIEW, residents


def staff_of(request: HttpRequest) -> User:
    """The signed-in staff account (the views are behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise PageNotFound(NotFound.default_message())
    return user


def require_action(request: HttpRequest, action: str) -> None:
    """Staff without this action anywhere are told "not found", like everyone out of scope."""
    if not has_action(request.user, action):
        raise PageNotFound(NotFound.default_message())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """POST, so that ID and phone numbers never sit in URLs, browser history or proxy logs."""
    require_action(request, RESIDENT_VIEW.code)
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        try:
            found = selectors.resident_search_for_actor(actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            results = [
                {"resident": r, "phone": mask_phone(r.phone) if r.phone else ""} for r in found
            ]
    return render(
        request,
        "residents/search.html",
        {
            "form": form,
            "results": results,
            "can_register": has_action(request.user, RESIDENT_REGISTER.code),
        },
    )


OPEN_KEY = "sihai_open_records"


def remember_open(request: HttpRequest, resident_id: int, purpose: str) -> None:
    """Keep the stated purpose for a while, so the worker is not asked again on every page."""
    until = time.time() + 60 * int(settings.SIHAI_RECORD_OPEN_MINUTES)
    opened = {
        key: value
        for key, value in request.session.get(OPEN_KEY, {}).items()
        if value["until"] > time.time()
    }
    opened[str(resident_id)] = {"purpose": purpose, "until": until}
    request.session[OPEN_KEY] = opened


def open_purpose(request: HttpRequest, resident_id: int) -> str | None:
    """The purpose the worker gave when they opened this record, while it is still open."""
    entry = request.session.get(OPEN_KEY, {}).get(str(resident_id))
    if entry is None or entry["until"] <= time.time():
        return None
    purpose: str = entry["purpose"]
    return purpose


def opened_record(request: HttpRequest, resident_id: int) -> Resident | None:
    """The record, read (and logged) under the purpose given when it was opened; or None."""
    purpose = open_purpose(request, resident_id)
    if purpose is None:
        return None
    try:
        return selectors.resident_get_for_actor(
            actor=request.user, resident_id=resident_id, purpose=purpose
        )
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Asks why first, then shows the record and logs the read (every time it is shown)."""
    require_action(request, RESIDENT_VIEW.code)
    form = OpenForm(request.POST or None)
    resident = None
    if request.method == "POST" and form.is_valid():
        purpose = form.cleaned_data["purpose"]
        try:
            resident = selectors.resident_get_for_actor(
                actor=request.user, resident_id=resident_id, purpose=purpose
            )
        except NotFound as exc:
            raise PageNotFound(exc.message) from exc
        except NotAllowed as exc:
            form.add_error(None, str(exc.message))
        else:
            remember_open(request, resident_id, purpose)
    elif request.method == "GET":
        resident = opened_record(request, resident_id)
    if resident is None:
        return render(request, "residents/open.html", {"form": form, "resident_id": resident_id})
    return render(request, "residents/record.html", record_context(request, resident))


def record_context(request: HttpRequest, resident: Resident) -> dict[str, Any]:
    """What the record page shows besides the record: household, consents, moves, forms."""
    departments = [(d.code, str(d.name)) for d in Department.objects.order_by("code")]
    user = request.user
    return {
        "resident": resident,
        "members": selectors.household_of(resident),
        "consents": resident.consents.select_related("department", "member").order_by(
            "-granted_at"
        ),
        "moves": selectors.moves_of(resident),
        "pending_deletion": resident.deletions.filter(state="pending").first(),
        "can_update": residents.can(user, RESIDENT_UPDATE, resident),
        "can_consent": residents.can(user, RESIDENT_REGISTER, resident),
        "consent_form": ConsentRecordForm(departments=departments),
        "move_form": MoveForm(),
        "phone": mask_phone(resident.phone) if resident.phone else "",
        "needs": [Need(n).label for n in resident.needs if n in Need.values],
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    require_action(request, RESIDENT_REGISTER.code)
    communities = roots_for(request.user, RESIDENT_REGISTER)
    form = CounterRegisterForm(request.POST or None)
    community = request.POST.get("community_code") or (
        communities[0] if len(communities[0]) == 12 else ""
    )
    if request.method == "POST" and form.is_valid():
        data = services.ResidentInput(
            name=form.cleaned_data["name"],
            birth_date=form.cleaned_data["birth_date"],
            community_code=community,
            gender=form.cleaned_data["gender"],
            phone=form.cleaned_data["phone"],
            id_number=form.cleaned_data["id_number"],
            origin_code=form.cleaned_data["origin_code"],
            arrival_date=form.cleaned_data["arrival_date"],
            address=form.cleaned_data["address"],
            occupation=form.cleaned_data["occupation"],
            languages=form.languages_list(),
            needs=form.cleaned_data["needs"],
        )
        try:
            services.resident_register(
                actor=staff_of(request),
                data=data,
                consent_evidence=form.cleaned_data["consent_evidence"],
                confirmed_new=form.cleaned_data["confirmed_new"],
            )
        except (InvalidInput, NotAllowed, NotFound) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("Registered. Open the record from a search when you need it.")
            )
            return redirect("residents:search")
    return render(
        request,
        "residents/register.html",
        {"form": form, "community": community, "communities": communities},
    )
