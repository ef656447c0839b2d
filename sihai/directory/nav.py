"""The directory's places in the portal and the workbench."""

from django.utils.translation import gettext_lazy as _

from sihai.core.navigation import NavEntry, portal_nav, workbench_nav
from sihai.directory.policies import COVERAGE_VIEW, DIRECTORY_MANAGE

portal_nav.register(
    NavEntry(
        key="services",
        label=_("Find a service point"),
        url_name="services:find",
        order=10,
        description=_(
            "The nearest workstation, medical-insurance point, school or office for what you "
            "need, with opening hours and walking time."
        ),
    )
)
workbench_nav.register(
    NavEntry(
        key="directory",
        label=_("Service points"),
        url_name="directory:list",
        order=30,
        description=_("Add and edit the points of your area: hours, closures, Excel import"),
        action=DIRECTORY_MANAGE.code,
    )
)
workbench_nav.register(
    NavEntry(
        key="coverage",
        label=_("15-minute service circle"),
        url_name="coverage:index",
        order=31,
        description=_(
            "Which communities are within 15 minutes of a point; where new ones would help"
        ),
        action=COVERAGE_VIEW.code,
    )
)
