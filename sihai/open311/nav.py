"""The Open311 key page in the workbench navigation (security administrator)."""

from django.utils.translation import gettext_lazy as _

from sihai.core.navigation import NavEntry, workbench_nav
from sihai.open311.policies import OPEN311_KEYS

workbench_nav.register(
    NavEntry(
        key="open311_keys",
        label=_("Open311 keys"),
        url_name="open311_keys:list",
        order=95,
        description=_("API keys of partner systems that send requests through Open311"),
        action=OPEN311_KEYS.code,
    )
)
