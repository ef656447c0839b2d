"""A staff member's own personal API tokens: create (shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.accounts import authentication as auth
from sihai.accounts.models import ApiToken, User
from sihai.core.errors import InvalidInput, NotFound, PageNotFound


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (login_required + our user model)
    return user


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    issued = None
    error = ""
    if request.method == "POST":
        try:
            issued = auth.token_create(user=user, name=request.POST.get("name", ""))
        except InvalidInput as exc:
            error = str(exc.message)
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at")
    return render(
        request, "accounts/tokens.html", {"tokens": tokens, "issued": issued, "error": error}
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    try:
        auth.token_revoke(user=_user(request), prefix=prefix)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("tokens:list")
