"""More of the resident's own pages (PIPL art. 45–47): correct, move, household, print, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.core.errors import InvalidInput, NotFound, PageNotFound
from sihai.residents import selectors, services
from sihai.residents.ethnicity import ethnic_groups
from sihai.residents.forms import DeletionRequestForm, MoveForm, SelfCorrectionForm, SelfMemberForm
from sihai.residents.models import DeletionState, Need
from sihai.residents.portal_views import (
    account_of,
    picked_community,
    resident_of,
    resident_required,
)

SELF_CORRECTION_FIELDS = [
    "name",
    "birth_date",
    "gender",
    "id_number",
    "origin_code",
    "arrival_date",
    "address",
    "occupation",
    "needs",
]


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest) -> HttpResponse:
    """Correct my details (PIPL art. 46)."""
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        return redirect("my_data:register")
    initial = {
        "name": resident.name,
        "birth_date": resident.birth_date,
        "gender": resident.gender,
        "id_number": resident.id_number or "",
        "origin_code": resident.origin_code,
        "arrival_date": resident.arrival_date,
        "address": resident.address,
        "occupation": resident.occupation,
        "languages": ", ".join(resident.languages),
        "needs": resident.needs,
    }
    form = SelfCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in SELF_CORRECTION_FIELDS}
        changes["languages"] = form.languages_list()
        try:
            services.resident_update(actor=account, resident_id=resident.pk, changes=changes)
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Saved. Your record is corrected."))
            return redirect("my_data:data")
    return render(request, "residents/me_edit.html", {"form": form})


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest) -> HttpResponse:
    """I moved to another community of the city."""
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        return redirect("my_data:register")
    form = MoveForm(request.POST or None, initial={"community_code": picked_community(request)})
    if request.method == "POST" and form.is_valid():
        try:
            services.resident_move(
                actor=account,
                resident_id=resident.pk,
                to_community_code=form.cleaned_data["community_code"],
                moved_on=form.cleaned_data["moved_on"],
                address=form.cleaned_data["address"],
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("Saved. Your new community's workstation can now serve you.")
            )
            return redirect("my_data:data")
    return render(request, "residents/me_move.html", {"form": form, "resident": resident})


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def household(request: HttpRequest) -> HttpResponse:
    """My household: see the members, add one (a child under 14 with my consent as guardian)."""
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        return redirect("my_data:register")
    form = SelfMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = services.MemberInput(
            relationship=form.cleaned_data["relationship"],
            name=form.cleaned_data["name"],
            birth_date=form.cleaned_data["birth_date"],
            gender=form.cleaned_data["gender"],
            id_number=form.cleaned_data["id_number"],
            school_stage=form.cleaned_data["school_stage"],
            school_name=form.cleaned_data["school_name"],
        )
        try:
            services.household_member_add(
                actor=account,
                resident_id=resident.pk,
                data=data,
                guardian_agrees=form.cleaned_data["guardian_agrees"],
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Added to your household."))
            return redirect("my_data:household")
    return render(
        request,
        "residents/me_household.html",
        {"form": form, "members": selectors.household_of(resident)},
    )


@resident_required
@require_POST
def member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    account = account_of(request)
    try:
        services.household_member_remove(actor=account, member_id=member_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    messages.success(request, _("Removed; their details were deleted."))
    return redirect("my_data:household")


@never_cache
@resident_required
def printable(request: HttpRequest) -> HttpResponse:
    """Everything we hold about you, as a page to read or print (PIPL art. 45)."""
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        raise PageNotFound(NotFound.default_message())
    group = ethnic_groups().get(resident.ethnicity or "")
    return render(
        request,
        "residents/me_print.html",
        {
            "resident": resident,
            "data": selectors.resident_data_export(resident),
            "members": selectors.household_of(resident),
            "ethnic_group": group,
            "needs": [Need(n).label for n in resident.needs if n in Need.values],
        },
    )


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def deletion(request: HttpRequest) -> HttpResponse:
    """Ask for my data to be deleted; see the decision; change my mind while it waits."""
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        return redirect("my_data:register")
    form = DeletionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deletion_request_file(account=account, reason=form.cleaned_data["reason"])
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("We received your request. You will see the decision here.")
            )
            return redirect("my_data:deletion")
    requests = selectors.deletion_requests_of(resident)
    pending = next((r for r in requests if r.state == DeletionState.PENDING), None)
    return render(
        request,
        "residents/me_deletion.html",
        {"form": form, "requests": requests, "pending": pending},
    )


@resident_required
@require_POST
def deletion_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    account = account_of(request)
    try:
        services.deletion_request_withdraw(account=account, request_id=request_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    messages.success(request, _("Withdrawn. Your data stays as it is."))
    return redirect("my_data:deletion")
