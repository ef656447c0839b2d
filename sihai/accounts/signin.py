"""Staff sign-in pages: password, then (when required) a TOTP code or first-time enrolment."""

from __future__ import annotations

import time
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sihai.accounts import authentication as auth
from sihai.accounts.models import User
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput

PENDING = "sihai_pending_signin"
PENDING_SECONDS = 300


class SignInForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    password = forms.CharField(
        label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=gettext_lazy("Current password"), strip=False, widget=forms.PasswordInput
    )
    new_password = forms.CharField(
        label=gettext_lazy("New password"), strip=False, widget=forms.PasswordInput
    )
    new_password_again = forms.CharField(
        label=gettext_lazy("New password again"), strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password_again"):
            raise forms.ValidationError(_("The two new passwords differ."))
        return data


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _complete(request: HttpRequest, user: User, username: str, next_url: str) -> HttpResponse:
    auth.clear_failures(username)
    request.session.pop(PENDING, None)
    with transaction.atomic():
        login(request, user, backend="sihai.accounts.backends.StaffPasswordBackend")
        audit.record(actor=user, action="accounts.signed_in", target=user)
    if auth.password_expired(user):
        messages.warning(
            request, _("Your password is more than 180 days old: please choose a new one.")
        )
        return redirect("accounts:password_change")
    return redirect(next_url)


def _pending(request: HttpRequest) -> tuple[User, str, str] | None:
    state = request.session.get(PENDING)
    if not state or time.time() - state["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=state["user"], is_active=True).first()
    return (user, state["username"], state["next"]) if user else None


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        try:
            user = auth.check_password_step(request, username, form.cleaned_data["password"])
        except auth.SignInRefused as exc:
            form.add_error(None, str(exc.message))
        else:
            if not auth.second_factor_required(user):
                return _complete(request, user, username, next_url)
            request.session[PENDING] = {
                "user": user.pk,
                "username": username,
                "next": next_url,
                "at": time.time(),
            }
            device = auth.totp_device_for(user)
            confirmed = device is not None and device.confirmed_at is not None
            return redirect("accounts:verify" if confirmed else "accounts:enrol")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    user, username, next_url = pending
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            auth.totp_check(user=user, code=form.cleaned_data["code"], username=username)
        except auth.SignInRefused as exc:
            form.add_error(None, str(exc.message))
        else:
            return _complete(request, user, username, next_url)
    return render(request, "accounts/verify.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    user, username, next_url = pending
    existing = auth.totp_device_for(user)
    if existing is not None and existing.confirmed_at is not None:
        # Already enrolled: never show the secret again; the code goes through verify.
        return redirect("accounts:verify")
    device = auth.totp_begin_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            auth.check_not_locked(username)
            auth.totp_confirm(user=user, code=form.cleaned_data["code"])
        except auth.SignInLocked as exc:
            form.add_error(None, str(exc.message))
        except InvalidInput as exc:
            auth.record_failure(username)
            form.add_error(None, str(exc.message))
        else:
            return _complete(request, user, username, next_url)
    uri = auth.totp_provisioning_uri(device)
    # segno writes an <svg> from our own URI: no user input reaches it unescaped.
    qr = mark_safe(segno.make(uri, error="m").svg_inline(scale=5, dark="#1b1b1b"))  # noqa: S308
    secret = " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))
    return render(request, "accounts/enrol.html", {"form": form, "qr": qr, "secret": secret})


@login_required
@sensitive_post_parameters("old_password", "new_password", "new_password_again")
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (login_required + our user model)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            auth.check_not_locked(user.username)
        except auth.SignInLocked as exc:
            form.add_error(None, str(exc.message))
            return render(request, "accounts/password_change.html", {"form": form})
        if not user.check_password(form.cleaned_data["old_password"]):
            # A stolen session must not become a way to guess the password.
            auth.record_failure(user.username)
            form.add_error("old_password", _("This is not your current password."))
        else:
            try:
                auth.password_change(user=user, new_password=form.cleaned_data["new_password"])
            except forms.ValidationError as exc:
                form.add_error("new_password", exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password has been changed."))
                return redirect("workbench:home")
    return render(request, "accounts/password_change.html", {"form": form})
