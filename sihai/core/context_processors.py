"""Per-browser preferences every layout needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def care_mode_enabled(request: HttpRequest) -> bool:
    """Care mode (适老化) is a per-browser choice kept in a cookie, so it needs no account."""
    return request.COOKIES.get(settings.SIHAI_CARE_MODE_COOKIE) == "1"


def preferences(request: HttpRequest) -> dict[str, Any]:
    return {"care_mode": care_mode_enabled(request)}
