"""The staff registry: find a resident (never browse everyone), open a record for a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound
from sihai.core.identity import mask_phone
from sihai.core.policy import has_action, roots_for
from sihai.residents import selectors, services
from sihai.residents.forms import CounterRegisterForm, OpenForm, SearchForm
from sihai.residents.policies import RESIDENT_REGISTER, RESIDENT_VIEW


def _require(request: HttpRequest, action: str) -> None:
    if not has_action(request.user, action):
        raise PageNotFound(NotFound.default_message())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """POST, so that ID and phone numbers never sit in URLs, browser history or proxy logs."""
    _require(request, RESIDENT_VIEW.code)
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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Asks why first (GET), then shows the record and logs the read (POST)."""
    _require(request, RESIDENT_VIEW.code)
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = selectors.resident_get_for_actor(
                actor=request.user, resident_id=resident_id, purpose=form.cleaned_data["purpose"]
            )
        except NotFound as exc:
            raise PageNotFound(exc.message) from exc
        return render(request, "residents/record.html", {"resident": resident})
    return render(request, "residents/open.html", {"form": form, "resident_id": resident_id})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    _require(request, RESIDENT_REGISTER.code)
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
                actor=request.user,  # type: ignore[arg-type]
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
