"""JSON error bodies for the API: ``{"code": ..., "message": ...}`` in the caller's language."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from sihai.core.errors import SihaiError


def install_error_handlers(api: NinjaAPI) -> None:
    """Map coded errors and validation failures to stable JSON bodies."""

    @api.exception_handler(SihaiError)
    def _sihai_error(request: HttpRequest, exc: SihaiError) -> HttpResponse:
        return api.create_response(
            request, {"code": exc.code, "message": str(exc.message)}, status=exc.http_status
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            {"code": "auth.required", "message": _("A valid, unrevoked API token is required.")},
            status=401,
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request,
            {"code": "not_found", "message": _("The record you asked for does not exist.")},
            status=404,
        )

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(
            request,
            {
                "code": "invalid_input",
                "message": _("Some input was not valid. Nothing was changed."),
                "errors": exc.errors,
            },
            status=400,
        )
