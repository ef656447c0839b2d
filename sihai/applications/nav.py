"""Applications in the workbench navigation and on the portal."""

from django.utils.translation import gettext_lazy as _

from sihai.applications.policies import (
    APPLICATION_ASSIST,
    APPLICATION_DECIDE,
    APPLICATION_TYPE_MANAGE,
)
from sihai.core.navigation import NavEntry, portal_nav, workbench_nav

workbench_nav.register(
    NavEntry(
        key="application_queue",
        label=_("Applications to decide"),
        url_name="applications:queue",
        order=40,
        description=_("Your department's part of residents' applications, by deadline"),
        action=APPLICATION_DECIDE.code,
    )
)
workbench_nav.register(
    NavEntry(
        key="application_counter",
        label=_("Apply at the counter"),
        url_name="applications:counter",
        order=41,
        description=_("Walk a resident through a pre-check and an application, print a receipt"),
        action=APPLICATION_ASSIST.code,
    )
)
workbench_nav.register(
    NavEntry(
        key="application_types",
        label=_("Application types"),
        url_name="applications:types",
        order=42,
        description=_("Eligibility rules, documents, departments and deadlines of each service"),
        action=APPLICATION_TYPE_MANAGE.code,
    )
)
portal_nav.register(
    NavEntry(
        key="applications",
        label=_("Apply for public services"),
        url_name="applications_me:precheck",
        order=30,
        description=_(
            "School seats, medical insurance, rental housing, residence permits, help with work"
        ),
    )
)
workbench_nav.register(
    NavEntry(
        key="application_seats",
        label=_("School seats for migrant children"),
        url_name="applications:seats",
        order=43,
        description=_("Share of migrant children of school age with a public seat, per district"),
        action="coverage.view",
    )
)
