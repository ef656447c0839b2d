"""Deciding residents' deletion requests (PIPL art. 47): a queue by deadline, one decision each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sihai.core.errors import InvalidInput, NotFound, PageNotFound
from sihai.residents import selectors, services
from sihai.residents.forms import DeletionDecisionForm
from sihai.residents.policies import RESIDENT_ERASE
from sihai.residents.views import require_action, staff_of


@never_cache
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Pending requests in the officer's area, the nearest deadline first; no personal data."""
    require_action(request, RESIDENT_ERASE.code)
    show_all = request.GET.get("all") == "1"
    requests = selectors.deletion_queue_for_actor(actor=request.user, include_decided=show_all)
    return render(
        request,
        "residents/deletions.html",
        {"requests": requests, "today": timezone.localdate(), "show_all": show_all},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    require_action(request, RESIDENT_ERASE.code)
    try:
        deletion = selectors.deletion_request_get_for_actor(
            actor=request.user, request_id=request_id
        )
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    form = DeletionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deletion_request_decide(
                actor=staff_of(request),
                request_id=deletion.pk,
                grant=form.cleaned_data["decision"] == "grant",
                refusal_reason=form.cleaned_data["refusal_reason"],
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Decided. The resident sees the outcome in the portal."))
            return redirect("residents:deletions")
    return render(
        request,
        "residents/deletion_decide.html",
        {"deletion": deletion, "form": form, "today": timezone.localdate()},
    )
