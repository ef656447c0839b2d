"""Service requests in the workbench and the portal navigation."""

from django.utils.translation import gettext_lazy as _

from sihai.cases.policies import CASE_VIEW
from sihai.core.navigation import NavEntry, portal_nav, workbench_nav

workbench_nav.register(
    NavEntry(
        key="cases",
        label=_("Requests"),
        url_name="cases:inbox",
        order=15,
        description=_("The inbox of requests and consultations, earliest deadline first"),
        action=CASE_VIEW.code,
    )
)
portal_nav.register(
    NavEntry(
        key="cases_portal",
        label=_("Ask or request"),
        url_name="cases_portal:home",
        order=20,
        description=_("Ask a question or ask for help; follow your requests and rate the answer."),
    )
)
