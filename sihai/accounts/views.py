"""Staff accounts and roles in the workbench, for security administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sihai.accounts import authentication, selectors, services
from sihai.accounts.forms import RoleGrantForm
from sihai.accounts.models import User
from sihai.accounts.policies import ROLE_VIEW
from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound
from sihai.core.policy import has_action


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not has_action(user, ROLE_VIEW):
        raise PageNotFound(NotFound.default_message())
    return user


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.staff_list_for_actor(actor=actor, search=search), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/staff_list.html", {"page": page, "search": search})


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        account = selectors.staff_get_for_actor(actor=actor, user_id=user_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        department = form.cleaned_data["department"]
        try:
            services.role_grant(
                actor=actor,
                user=account,
                area_code=form.cleaned_data["area_code"].strip(),
                role=form.cleaned_data["role"],
                department_code=department.code if department else None,
            )
        except (InvalidInput, NotAllowed, NotFound) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Role granted."))
            return redirect("staff:detail", user_id=account.pk)
    return render(request, "accounts/staff_detail.html", {"account": account, "form": form})


@login_required
@require_POST
def role_revoke(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        account = selectors.staff_get_for_actor(actor=actor, user_id=user_id)
        if not account.role_assignments.filter(pk=assignment_id).exists():
            raise NotFound(NotFound.default_message())
        services.role_revoke(actor=actor, assignment_id=assignment_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    except NotAllowed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("staff:detail", user_id=account.pk)


@login_required
@require_POST
def totp_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove a lost authenticator; the person sets up a new one at their next sign-in."""
    actor = _actor(request)
    try:
        account = selectors.staff_get_for_actor(actor=actor, user_id=user_id)
        authentication.totp_reset(actor=actor, user=account)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    messages.success(
        request, _("Authenticator removed: they will set up a new one at next sign-in.")
    )
    return redirect("staff:detail", user_id=account.pk)
