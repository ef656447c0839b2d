"""Send staff whose password has expired (MLPS profile: 180 days) to change it first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from sihai.accounts.authentication import password_expired
from sihai.accounts.models import User


class PasswordExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            isinstance(user, User)
            and request.path.startswith("/workbench/")
            and password_expired(user)
        ):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
