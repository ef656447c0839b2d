"""Who may manage service points and see the coverage analysis: staff, within their area.

Public reads (the portal, the HSDS API) need no action: they show published
points only. A community worker manages the points in their community, officers
those within their subdistrict, district or the city; a department officer manages
the points of their own department's organizations within their area (the
medical-insurance bureau runs the insurance points). Out of scope is not found.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sihai.core.policy import ScopedPolicy, register_action
from sihai.directory.models import Location

DIRECTORY_MANAGE = register_action(
    "directory.manage", _("Manage service points: details, hours, closures, import and export")
)
COVERAGE_VIEW = register_action(
    "coverage.view", _("See the 15-minute service-circle coverage and placement proposals")
)

points: ScopedPolicy[Location] = ScopedPolicy(
    area_field="area__code", department_field="organization__department__code"
)
