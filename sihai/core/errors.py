"""Coded errors that services raise and interfaces translate (HTML page, JSON body, CLI line).

A code is stable and machine-readable (``area.not_found``); the message is for a
person, translated into their language.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class SihaiError(Exception):
    """Base class: a stable code plus a translatable message."""

    code = "error"
    http_status = 400

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code


class NotFound(SihaiError):
    """Missing, or outside the actor's jurisdiction: the two are indistinguishable on purpose."""

    code = "not_found"
    http_status = 404

    @staticmethod
    def default_message() -> Promise:
        """The one message for "missing or not yours", so the two cannot be told apart."""
        return _("The page or record you asked for does not exist.")


class InvalidInput(SihaiError):
    """The input cannot be used as given; nothing was written."""

    code = "invalid_input"
    http_status = 400


class NotAllowed(SihaiError):
    """The actor may see the target but may not do this to it; nothing was written."""

    code = "not_allowed"
    http_status = 403


class RateLimited(SihaiError):
    """Too many attempts in a short time; the message says when to try again."""

    code = "rate_limited"
    http_status = 429


class PageNotFound(NotFound, Http404):
    """A 404 whose message is safe and useful to show the person (e.g. "not a valid area code").

    Raised by views; the 404 handler shows :attr:`message` in the person's language.
    """
