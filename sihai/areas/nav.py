"""The area browser's place in the workbench navigation."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sihai.areas.policies import browse_roots
from sihai.core.navigation import NavEntry, workbench_nav


def _has_jurisdiction(user: Any) -> bool:
    return bool(browse_roots(user))


workbench_nav.register(
    NavEntry(
        key="areas",
        label=_("Areas"),
        url_name="areas:index",
        order=10,
        description=_("City, districts, subdistricts and communities, with what each contains"),
        visible=_has_jurisdiction,
    )
)
