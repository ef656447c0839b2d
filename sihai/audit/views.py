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


def _log_page(request: HttpRequest, *, tab: str, template: str) -> HttpResponse:
    form, filters, extra = _filters(request)
    select = (
        selectors.audit_entries_for_actor if tab == "audit" else selectors.access_entries_for_actor
    )
    entries = select(actor=request.user, filters=filters)
    return render(
        request,
        template,
        {"form": form, "page": _page(request, entries), "extra_query": extra, "tab": tab},
    )


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    return _log_page(request, tab="audit", template="audit/audit_log.html")


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    return _log_page(request, tab="access", template="audit/access_log.html")
