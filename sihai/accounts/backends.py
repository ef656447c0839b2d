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


# What the system administrator may do in the admin site: reference data and background
# tasks, never personal data. Derived from the role, so revoking the role removes it.
OPERATIONS_PERMISSIONS = frozenset(
    {
        "accounts.view_department",
        "areas.view_administrativearea",
        "django_tasks_database.view_dbtaskresult",
        "django_tasks_database.delete_dbtaskresult",
    }
)


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

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """Model permissions come from roles only (never from Django's per-user tables)."""
        from sihai.core.policy import has_action  # noqa: PLC0415  (policies load after apps)

        if not getattr(user_obj, "is_active", False) or obj is not None:
            return set()
        return set(OPERATIONS_PERMISSIONS) if has_action(user_obj, "system.operate") else set()
