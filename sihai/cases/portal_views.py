"""The resident's side: ask (signed in, or anonymously), follow, rate, reopen."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.accounts.resident_auth import current_resident
from sihai.cases import selectors, services
from sihai.cases.forms import FollowUpForm, RateForm, ReopenForm, RequestForm
from sihai.cases.models import Channel, ServiceCategory
from sihai.cases.services import RequestInput, RequestInvalid
from sihai.core.errors import InvalidInput, NotFound, PageNotFound
from sihai.residents.models import Resident

CODE_KEY = "sihai_case_follow_up"


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    account = current_resident(request)
    mine = list(selectors.requests_of_account(account=account)[:50]) if account else []
    return render(
        request,
        "cases/portal_home.html",
        {"categories": selectors.catalogue(), "mine": mine, "account": account},
    )


def _category(code: str) -> ServiceCategory:
    category = selectors.catalogue().filter(code=code).first()
    if category is None:
        raise PageNotFound(_("There is no such service."))
    return category


@never_cache
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, code: str) -> HttpResponse:
    category = _category(code)
    account = current_resident(request)
    resident = Resident.objects.filter(account=account).first() if account else None
    form = RequestForm(request.POST or None, category=category, ask_community=resident is None)
    if request.method == "POST" and form.is_valid():
        data = RequestInput(
            category_code=category.code,
            description=form.cleaned_data["description"],
            community_code=form.cleaned_data.get("community_code", ""),
            attributes=form.answers(),
            address_string=form.cleaned_data.get("address_string", ""),
            media_url=form.cleaned_data.get("media_url", ""),
            contact_phone=form.cleaned_data.get("contact_phone", ""),
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
        try:
            created, code_ = services.request_submit(
                actor=account,
                data=data,
                channel=Channel.PORTAL if account else Channel.ANONYMOUS,
            )
        except RequestInvalid as exc:
            for err_code, message in exc.errors:
                field = (
                    f"attr_{err_code[10:]}"
                    if err_code.startswith("attribute.")
                    else {
                        "request.description": "description",
                        "request.media_url": "media_url",
                        "request.community": "community_code",
                    }.get(err_code)
                )
                form.add_error(field if field in form.fields else None, message)
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            if account:
                messages.success(
                    request, _("Sent. Your reference is %(ref)s.") % {"ref": created.reference}
                )
                return redirect("cases_portal:detail", request_id=created.pk)
            if code_:
                request.session[CODE_KEY] = {"reference": created.reference, "code": code_}
            return redirect("cases_portal:sent")
    return render(
        request, "cases/portal_new.html", {"category": category, "form": form, "account": account}
    )


@never_cache
def sent(request: HttpRequest) -> HttpResponse:
    """The reference and the follow-up code of an anonymous consultation, shown once."""
    shown = request.session.pop(CODE_KEY, None)
    return render(request, "cases/portal_sent.html", {"shown": shown})


@never_cache
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    account = current_resident(request)
    if account is None:
        return redirect("residents_me:sign_in")
    try:
        found = selectors.request_of_account(account=account, request_id=request_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    return render(
        request,
        "cases/portal_detail.html",
        {
            "req": found,
            "events": selectors.timeline(found, public_only=True),
            "rate_form": RateForm(),
            "reopen_form": ReopenForm(),
        },
    )


@require_POST
def rate(request: HttpRequest, request_id: int) -> HttpResponse:
    account = current_resident(request)
    if account is None:
        return redirect("residents_me:sign_in")
    form = RateForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose a rating from 1 to 5."))
        services.request_rate(
            actor=account,
            request_id=request_id,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("cases_portal:detail", request_id=request_id)


@require_POST
def reopen(request: HttpRequest, request_id: int) -> HttpResponse:
    account = current_resident(request)
    if account is None:
        return redirect("residents_me:sign_in")
    form = ReopenForm(request.POST)
    try:
        services.request_reopen(
            actor=account, request_id=request_id, reason=form.data.get("reason", "")
        )
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Reopened. The workstation will get back to you."))
    return redirect("cases_portal:detail", request_id=request_id)


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """An anonymous consultation: reference and follow-up code (POST, kept out of URLs)."""
    form = FollowUpForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        try:
            found = selectors.request_by_follow_up(**form.cleaned_data)
        except NotFound:
            form.add_error(None, _("No consultation matches this reference and code."))
    return render(
        request,
        "cases/portal_follow.html",
        {
            "form": form,
            "req": found,
            "events": selectors.timeline(found, public_only=True) if found else [],
        },
    )
