"""The workbench header's data: the signed-in person's roles and their navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sihai.core.navigation import workbench_nav


def _assignments(request: HttpRequest) -> list[Any]:
    user = request.user
    getter = getattr(user, "active_assignments", None)
    if not user.is_authenticated or getter is None:
        return []
    assignments: list[Any] = getter()
    return assignments


def workbench(request: HttpRequest) -> dict[str, Any]:
    # Lazy: portal pages never pay for these queries.
    return {
        "workbench": SimpleLazyObject(
            lambda: {
                "assignments": _assignments(request),
                "nav": workbench_nav.for_user(request.user),
            }
        )
    }
