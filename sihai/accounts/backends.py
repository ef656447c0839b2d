"""Staff password authentication.

The demo personas share one published password. It opens an account only where
the settings enable the demo (``SIHAI_DEMO_ENABLED``); anywhere else it is
refused even if some account was given it, so a demo database copied into
production cannot be entered with it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from sihai.accounts.models import User

DEMO_PASSWORD = "Sihai-demo-2026"  # noqa: S105  (published on purpose; accepted only in demo settings)


class StaffPasswordBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if password == DEMO_PASSWORD and not settings.SIHAI_DEMO_ENABLED:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
