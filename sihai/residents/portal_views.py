"""The resident's own pages (PIPL art. 44–50): register, see my data, consents, who looked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.accounts.models import ResidentAccount
from sihai.accounts.resident_auth import current_resident
from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound
from sihai.residents import selectors, services
from sihai.residents.ethnicity import ethnic_groups
from sihai.residents.forms import SelfRegisterForm
from sihai.residents.models import Consent, Purpose, Resident

PURPOSE_WORDS = {
    "service_delivery": gettext_lazy("to serve you (a request or an application)"),
    "counter_visit": gettext_lazy("you were at the counter"),
    "correction": gettext_lazy("to correct your record"),
    "deletion_request": gettext_lazy("to decide your request to delete your data"),
}
# What a resident may agree to here; department sharing is asked for when it is needed.
SELF_SERVICE_PURPOSES = [Purpose.EVENT_CONTACT, Purpose.CROSS_REGION_REFERRAL]


class SensitiveForm(forms.Form):
    ethnicity = forms.ChoiceField(label=gettext_lazy("ethnic group"), required=False)
    religion = forms.CharField(label=gettext_lazy("religion"), required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", gettext_lazy("Prefer not to say"))]
        choices += [(g.code, f"{g.name_zh} {g.name_en}") for g in ethnic_groups().values()]
        self.fields["ethnicity"].choices = choices  # type: ignore[attr-defined]


def account_of(request: HttpRequest) -> ResidentAccount:
    account = current_resident(request)
    if account is None:
        raise _SignIn
    return account


class _SignIn(Exception):
    pass


def resident_of(account: ResidentAccount) -> Resident | None:
    try:
        return selectors.resident_for_account(account=account)
    except NotFound:
        return None


def picked_community(request: HttpRequest) -> str:
    """A community code chosen on the "which community am I in?" walk (``?community=``)."""
    code = request.GET.get("community", "")
    return code if code.isdigit() and len(code) == 12 else ""


def resident_required(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = view(request, *args, **kwargs)
        except _SignIn:
            return redirect("residents_me:sign_in")
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    account = account_of(request)
    if resident_of(account) is not None:
        return redirect("my_data:data")
    form = SelfRegisterForm(request.POST or None)
    community = request.POST.get("community_code", "").strip() or picked_community(request)
    if request.method == "POST" and form.is_valid():
        data = services.ResidentInput(
            name=form.cleaned_data["name"],
            birth_date=form.cleaned_data["birth_date"],
            community_code=community,
            gender=form.cleaned_data["gender"],
            phone=account.phone,
            id_number=form.cleaned_data["id_number"],
            origin_code=form.cleaned_data["origin_code"],
            arrival_date=form.cleaned_data["arrival_date"],
            address=form.cleaned_data["address"],
            occupation=form.cleaned_data["occupation"],
            languages=form.languages_list(),
            needs=form.cleaned_data["needs"],
        )
        try:
            services.resident_register(actor=account, data=data)
        except (InvalidInput, NotFound) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _(
                    "You are registered. You can see what you shared, "
                    "and withdraw consents, at any time."
                ),
            )
            return redirect("my_data:data")
    return render(request, "residents/me_register.html", {"form": form, "community": community})


@never_cache
@resident_required
def my_data(request: HttpRequest) -> HttpResponse:
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        return redirect("my_data:register")
    consents = (
        Consent.objects.filter(resident=resident)
        .select_related("department")
        .order_by("-granted_at")
    )
    offers = [p for p in SELF_SERVICE_PURPOSES if not services.consent_active(resident, p)]
    group = ethnic_groups().get(resident.ethnicity or "")
    return render(
        request,
        "residents/me_data.html",
        {"resident": resident, "consents": consents, "offers": offers, "ethnic_group": group},
    )


@never_cache
@resident_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    """Everything we hold about you, as JSON (PIPL art. 45: a copy of your data)."""
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        raise PageNotFound(NotFound.default_message())
    data = selectors.resident_data_export(resident)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="sihai-my-data.json"'
    return response


@never_cache
@resident_required
def who_looked(request: HttpRequest) -> HttpResponse:
    """Who opened your record and why, in plain words (PIPL art. 45)."""
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        return redirect("my_data:register")
    entries = [
        {**e, "why": PURPOSE_WORDS.get(e["purpose"], e["purpose"])}
        for e in selectors.reads_in_plain_words(resident)
    ]
    return render(request, "residents/me_who_looked.html", {"entries": entries})


@resident_required
@require_POST
def consent_give(request: HttpRequest) -> HttpResponse:
    account = account_of(request)
    resident = resident_of(account)
    purpose = request.POST.get("purpose", "")
    if resident is None or purpose not in [*SELF_SERVICE_PURPOSES, Purpose.SENSITIVE_CATEGORIES]:
        raise PageNotFound(NotFound.default_message())
    try:
        services.consent_grant(actor=account, resident=resident, purpose=purpose)
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
    target = "my_data:sensitive" if purpose == Purpose.SENSITIVE_CATEGORIES else "my_data:data"
    return redirect(target)


@resident_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    account = account_of(request)
    try:
        services.consent_withdraw(actor=account, consent_id=consent_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    messages.success(request, _("Withdrawn. It no longer applies, from now on."))
    return redirect("my_data:data")


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def sensitive(request: HttpRequest) -> HttpResponse:
    """The separate consent screen (单独同意), then the optional answers."""
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        return redirect("my_data:register")
    agreed = services.consent_active(resident, Purpose.SENSITIVE_CATEGORIES)
    form = SensitiveForm(
        request.POST or None,
        initial={"ethnicity": resident.ethnicity or "", "religion": resident.religion or ""},
    )
    if request.method == "POST" and agreed and form.is_valid():
        try:
            services.resident_declare_sensitive(
                account=account,
                ethnicity_code=form.cleaned_data["ethnicity"] or None,
                religion=form.cleaned_data["religion"] or None,
            )
        except (InvalidInput, NotAllowed) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Saved. Only you can see these answers."))
            return redirect("my_data:data")
    consent = resident.consents.filter(
        purpose=Purpose.SENSITIVE_CATEGORIES, withdrawn_at__isnull=True
    ).first()
    return render(
        request, "residents/me_sensitive.html", {"agreed": agreed, "form": form, "consent": consent}
    )
