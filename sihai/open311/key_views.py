"""The security administrator's page: issue and revoke partner systems' Open311 keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.accounts.models import User
from sihai.cases.policies import OPEN311_KEYS
from sihai.core.errors import InvalidInput, NotFound, PageNotFound
from sihai.core.policy import has_action
from sihai.open311 import services
from sihai.open311.models import ApiKey


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not has_action(user, OPEN311_KEYS):
        raise PageNotFound(NotFound.default_message())
    return user


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def keys(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    issued = ""
    if request.method == "POST":
        try:
            _key, issued = services.api_key_issue(actor=user, name=request.POST.get("name", ""))
        except InvalidInput as exc:
            messages.error(request, str(exc.message))
    return render(
        request, "open311/keys.html", {"keys": ApiKey.objects.all()[:200], "issued": issued}
    )


@require_POST
@login_required
def revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    user = _admin(request)
    try:
        services.api_key_revoke(actor=user, key_id=key_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    messages.success(request, _("Key revoked."))
    return redirect("open311_keys:list")
