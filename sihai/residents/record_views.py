"""Working on an opened record at the counter: correct it, move it, household, consents.

Each page needs the record to have been opened with a stated purpose (``views.record``);
otherwise it sends the worker back to say why. Each write is one service call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.accounts.models import Department
from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound
from sihai.residents import selectors, services
from sihai.residents.forms import ConsentRecordForm, CorrectionForm, CounterMemberForm, MoveForm
from sihai.residents.models import Resident
from sihai.residents.policies import RESIDENT_REGISTER, RESIDENT_UPDATE, residents
from sihai.residents.views import opened_record, require_action, staff_of

# The fields of the correction form, in the order the form shows them.
CORRECTION_FIELDS = [
    "name",
    "birth_date",
    "gender",
    "phone",
    "id_number",
    "origin_code",
    "arrival_date",
    "address",
    "occupation",
    "needs",
]


def _opened(request: HttpRequest, resident_id: int, action: str) -> Resident:
    require_action(request, action)
    resident = opened_record(request, resident_id)
    if resident is None:
        if not selectors.resident_in_scope(actor=request.user, resident_id=resident_id):
            raise NotFound(NotFound.default_message())
        raise _NotOpen
    if not residents.can(request.user, action, resident):
        raise NotFound(NotFound.default_message())
    return resident


class _NotOpen(Exception):
    pass


def _back(resident_id: int) -> HttpResponse:
    return redirect("residents:record", resident_id=resident_id)


View = Callable[..., HttpResponse]


def _guarded(view: View) -> View:
    """A record page reached without opening the record first goes back to "why?"."""

    def wrapped(request: HttpRequest, resident_id: int, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, resident_id, **kwargs)
        except _NotOpen:
            return _back(resident_id)
        except NotFound as exc:
            raise PageNotFound(exc.message) from exc
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@_guarded
def edit(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Correct a record (the resident shows a document, or a typo is found)."""
    resident = _opened(request, resident_id, RESIDENT_UPDATE.code)
    initial = {
        "name": resident.name,
        "birth_date": resident.birth_date,
        "gender": resident.gender,
        "phone": resident.phone or "",
        "id_number": resident.id_number or "",
        "origin_code": resident.origin_code,
        "arrival_date": resident.arrival_date,
        "address": resident.address,
        "occupation": resident.occupation,
        "languages": ", ".join(resident.languages),
        "needs": resident.needs,
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in CORRECTION_FIELDS}
        changes["languages"] = form.languages_list()
        try:
            services.resident_update(
                actor=staff_of(request),
                resident_id=resident.pk,
                changes=changes,
                reason=form.cleaned_data["reason"],
            )
        except (InvalidInput, NotAllowed) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Corrected. The change is in the record's history."))
            return _back(resident.pk)
    return render(request, "residents/edit.html", {"form": form, "resident": resident})


@login_required
@require_POST
@_guarded
def move(request: HttpRequest, resident_id: int) -> HttpResponse:
    """The resident moved to another community of the city: the record follows them."""
    resident = _opened(request, resident_id, RESIDENT_UPDATE.code)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new community's 12-digit code."))
        return _back(resident.pk)
    try:
        services.resident_move(
            actor=staff_of(request),
            resident_id=resident.pk,
            to_community_code=form.cleaned_data["community_code"],
            moved_on=form.cleaned_data["moved_on"],
            address=form.cleaned_data["address"],
        )
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
        return _back(resident.pk)
    messages.success(
        request,
        _("Moved. The record now belongs to the new community; its workers can find it."),
    )
    return redirect("residents:search")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@_guarded
def member_add(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Add a household member; a child under 14 needs the guardian's signed form."""
    resident = _opened(request, resident_id, RESIDENT_UPDATE.code)
    form = CounterMemberForm(request.POST or None)
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
                actor=staff_of(request),
                resident_id=resident.pk,
                data=data,
                guardian_evidence=form.cleaned_data["guardian_evidence"],
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Added to the household."))
            return _back(resident.pk)
    return render(request, "residents/member_form.html", {"form": form, "resident": resident})


@login_required
@require_POST
@_guarded
def member_remove(request: HttpRequest, resident_id: int, member_id: int) -> HttpResponse:
    resident = _opened(request, resident_id, RESIDENT_UPDATE.code)
    if not resident.members.filter(pk=member_id).exists():
        raise PageNotFound(NotFound.default_message())
    services.household_member_remove(actor=staff_of(request), member_id=member_id)
    messages.success(request, _("Removed from the household; their details were deleted."))
    return _back(resident_id)


@login_required
@require_POST
@_guarded
def consent_record(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Record a consent the resident signed on paper at the counter."""
    resident = _opened(request, resident_id, RESIDENT_REGISTER.code)
    departments = [(d.code, str(d.name)) for d in Department.objects.order_by("code")]
    form = ConsentRecordForm(request.POST, departments=departments)
    if not form.is_valid():
        messages.error(
            request, _("Choose what the resident agreed to and give the form's reference.")
        )
        return _back(resident.pk)
    try:
        services.consent_grant(
            actor=staff_of(request),
            resident=resident,
            purpose=form.cleaned_data["purpose"],
            department_code=form.cleaned_data["department"] or None,
            evidence=form.cleaned_data["evidence"],
        )
    except (InvalidInput, NotAllowed) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Consent recorded."))
    return _back(resident.pk)


@login_required
@require_POST
@_guarded
def consent_withdraw(request: HttpRequest, resident_id: int, consent_id: int) -> HttpResponse:
    """The resident withdraws a consent at the counter; it ends at once."""
    resident = _opened(request, resident_id, RESIDENT_REGISTER.code)
    if not resident.consents.filter(pk=consent_id).exists():
        raise PageNotFound(NotFound.default_message())
    services.consent_withdraw(actor=staff_of(request), consent_id=consent_id)
    messages.success(request, _("Withdrawn. It no longer applies, from now on."))
    return _back(resident.pk)
