"""The portal's own entries."""

from django.utils.translation import gettext_lazy as _

from sihai.core.navigation import NavEntry, portal_nav

portal_nav.register(
    NavEntry(
        key="areas",
        label=_("Which community am I in?"),
        url_name="portal:areas",
        order=90,
        description=_(
            "Find your district, subdistrict and community: they decide where you are served."
        ),
    )
)
