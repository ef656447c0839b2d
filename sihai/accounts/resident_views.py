"""Resident sign-in pages in the portal, and the counter's assisted account page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.accounts import resident_auth
from sihai.accounts.models import User
from sihai.accounts.policies import RESIDENT_ACCOUNT_ASSIST
from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound, RateLimited
from sihai.core.identity import mask_phone
from sihai.core.policy import roots_for


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone number"),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )


class ResidentCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from the text message"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _client_ip(request: HttpRequest) -> str:
    # Behind a load balancer REMOTE_ADDR is the balancer's own address, and every resident
    # would share one limit: pass the client address with the PROXY protocol (gunicorn
    # --proxy-protocol), never from a header a client can forge.
    return str(request.META.get("REMOTE_ADDR", ""))


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if resident_auth.current_resident(request):
        return redirect("residents_me:home")
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = resident_auth.code_request(
                phone_raw=form.cleaned_data["phone"], client_ip=_client_ip(request)
            )
        except (InvalidInput, RateLimited) as exc:
            form.add_error("phone", str(exc.message))
        else:
            resident_auth.remember_pending_phone(request, phone)
            return redirect("residents_me:code")
    return render(request, "accounts/resident_sign_in.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    phone = resident_auth.pending_phone(request)
    if not phone:
        return redirect("residents_me:sign_in")
    form = ResidentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = resident_auth.code_verify(phone_raw=phone, code_raw=form.cleaned_data["code"])
        except InvalidInput as exc:
            form.add_error("code", str(exc.message))
        else:
            resident_auth.resident_login(request, account)
            return redirect("residents_me:home")
    return render(
        request, "accounts/resident_code.html", {"form": form, "masked": mask_phone(phone)}
    )


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    account = resident_auth.current_resident(request)
    if account is None:
        return redirect("residents_me:sign_in")
    return render(
        request,
        "accounts/resident_home.html",
        {"account": account, "masked": mask_phone(account.phone)},
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    resident_auth.resident_logout(request)
    return redirect("portal:home")


@login_required
@require_http_methods(["GET", "POST"])
def assist(request: HttpRequest) -> HttpResponse:
    """At the counter: open a sign-in account for a resident who is present."""
    actor = request.user
    roots = roots_for(actor, RESIDENT_ACCOUNT_ASSIST)
    if not isinstance(actor, User) or not roots:
        raise PageNotFound(NotFound.default_message())
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = resident_auth.resident_account_assist(
                actor=actor, phone_raw=form.cleaned_data["phone"], area_code=roots[0]
            )
        except (InvalidInput, NotAllowed) as exc:
            form.add_error("phone", str(exc.message))
        else:
            messages.success(
                request,
                _("Account opened for %(phone)s: they sign in with a code sent to that phone.")
                % {"phone": mask_phone(account.phone)},
            )
            return redirect("resident_accounts:assist")
    return render(request, "accounts/resident_assist.html", {"form": form, "area_code": roots[0]})
