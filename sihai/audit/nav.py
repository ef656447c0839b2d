"""The audit viewer's place in the workbench navigation (audit administrators only)."""

from django.utils.translation import gettext_lazy as _

from sihai.audit.selectors import AUDIT_VIEW
from sihai.core.navigation import NavEntry, workbench_nav

workbench_nav.register(
    NavEntry(
        key="audit",
        label=_("Audit log"),
        url_name="audit:log",
        order=90,
        description=_("Who changed what, and who read whose personal data"),
        action=AUDIT_VIEW,
    )
)
