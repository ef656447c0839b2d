"""Insight's places: the dashboards in the workbench, the transparency page in the portal."""

from django.utils.translation import gettext_lazy as _

from sihai.core.navigation import NavEntry, portal_nav, workbench_nav
from sihai.reporting.policies import INSIGHT_VIEW

workbench_nav.register(
    NavEntry(
        key="insight",
        label=_("Dashboards"),
        url_name="insight:index",
        order=90,
        description=_(
            "Your area's figures at a glance, by month, with drill-down to each community; "
            "Excel and CSV"
        ),
        action=INSIGHT_VIEW.code,
    )
)
portal_nav.register(
    NavEntry(
        key="transparency",
        label=_("Service figures"),
        url_name="transparency:index",
        order=90,
        description=_("How the city's services for new citizens are doing, in figures"),
    )
)
