"""Views every deployment has: health probes, preferences and error pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_POST

from sihai.core.errors import NotFound, SihaiError

logger = logging.getLogger(__name__)

ONE_YEAR = 365 * 24 * 3600


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches nothing else, so it is cheap to poll."""
    return JsonResponse({"status": "ok"})


class _MigrationState:
    # Remembered only once true: a running process does not gain migrations, so after
    # `migrate` the answer stays true until the next deploy (which starts new processes).
    applied = False


def _migrations_applied() -> bool:
    if not _MigrationState.applied:
        executor = MigrationExecutor(connection)
        _MigrationState.applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _MigrationState.applied


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers and every migration is applied; else 503 and why."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("readiness: database unreachable", exc_info=True)
        return JsonResponse({"status": "unavailable", "reason": "database unreachable"}, status=503)
    try:
        applied = _migrations_applied()
    except DatabaseError:
        logger.warning("readiness: migration state unreadable", exc_info=True)
        return JsonResponse(
            {"status": "unavailable", "reason": "migration state unreadable"}, status=503
        )
    if not applied:
        return JsonResponse({"status": "unavailable", "reason": "migrations pending"}, status=503)
    return JsonResponse({"status": "ready"})


def _redirect_back(request: HttpRequest) -> HttpResponseRedirect:
    """Back to where the person was, if that is a page of ours; otherwise the home page."""
    for candidate in (request.POST.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(candidate)
    return HttpResponseRedirect("/")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language in a cookie. Works as a plain form, without JavaScript."""
    code = request.POST.get("language", "")
    known = {lang for lang, _name in settings.LANGUAGES}
    response = _redirect_back(request)
    if code not in known or not check_for_language(code):
        messages.error(request, _("That language is not available. Choose 简体中文 or English."))
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=False,
    )
    return response


@require_POST
def set_care_mode(request: HttpRequest) -> HttpResponse:
    """Turn care mode (large text, large targets) on or off for this browser."""
    value = request.POST.get("enabled", "")
    response = _redirect_back(request)
    if value not in {"0", "1"}:
        messages.error(request, _("Care mode can only be switched on or off."))
        return response
    response.set_cookie(
        settings.SIHAI_CARE_MODE_COOKIE,
        value,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in the person's language. Out-of-jurisdiction records land here too, identically."""
    message = str(NotFound.default_message())
    if isinstance(exception, SihaiError):
        message = str(exception.message)
    return _error_page(request, 404, _("Not found"), message)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. Nothing was changed."),
    )


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request, 403, _("Not allowed"), _("You are not allowed to do this. Nothing was changed.")
    )


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        500,
        _("Something went wrong"),
        _("The service had a problem and nothing was changed. Please try again in a moment."),
    )
