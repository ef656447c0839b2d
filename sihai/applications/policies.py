"""Who may do what with applications.

* A resident: pre-check, apply, upload documents, read their own applications.
* Counter staff (community workers, subdistrict officers): walk a resident present through
  an application (``application.assist``), in their area.
* Department officers: decide the parts routed to their department in their area
  (``application.decide``); a part of another department is "not found".
* City officers: edit the application types (``application_type.manage``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sihai.applications.models import Application, ApplicationPart
from sihai.core.policy import ScopedPolicy, register_action

APPLICATION_ASSIST = register_action(
    "application.assist", _("Walk a resident through an application at the counter")
)
APPLICATION_DECIDE = register_action(
    "application.decide", _("Decide your department's part of applications")
)
APPLICATION_TYPE_MANAGE = register_action(
    "application_type.manage", _("Edit the application types and their eligibility rules")
)

applications: ScopedPolicy[Application] = ScopedPolicy(area_field="area_code")
parts: ScopedPolicy[ApplicationPart] = ScopedPolicy(
    area_field="area_code", department_field="department__code"
)
