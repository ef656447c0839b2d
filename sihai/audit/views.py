"""The audit viewer: audit administrators search the audit log and the access log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sihai.audit import selectors
from sihai.audit.forms import AuditFilterForm
from sihai.core.errors import NotFound, PageNotFound
from sihai.core.policy import has_action


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, selectors.AuditFilters, str]:
    if not has_action(request.user, selectors.AUDIT_VIEW):
        raise PageNotFound(NotFound.default_message())
    form = AuditFilterForm(request.GET or None)
    filters = selectors.AuditFilters()
    if form.is_valid():
        filters = selectors.AuditFilters(**{k: v for k, v in form.cleaned_data.items() if v})
    query = request.GET.copy()
    query.pop("page", None)
    extra = query.urlencode()
    return form, filters, f"{extra}&" if extra else ""


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, 50).get_page(request.GET.get("page"))


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form, filters, extra = _filters(request)
    entries = selectors.audit_entries_for_actor(actor=request.user, filters=filters)
    return render(
        request,
        "audit/audit_log.html",
        {"form": form, "page": _page(request, entries), "extra_query": extra, "tab": "audit"},
    )


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    form, filters, extra = _filters(request)
    entries = selectors.access_entries_for_actor(actor=request.user, filters=filters)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": _page(request, entries), "extra_query": extra, "tab": "access"},
    )
