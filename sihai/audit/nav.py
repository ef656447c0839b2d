"""The audit viewer's place in the workbench navigation (audit administrators only)."""

from django.utils.translation import gettext_lazy as _

from sihai.audit.selectors import AUDIT_VIEW
from sihai.core.navigation import NavEntry, workbench_nav
from sihai.core.policy import has_action


def _can_audit(user: object) -> bool:
    return has_action(user, AUDIT_VIEW)


workbench_nav.register(
    NavEntry(
        key="audit",
        label=_("Audit log"),
        url_name="audit:log",
        order=90,
        description=_("Who changed what, and who read whose personal data"),
        visible=_can_audit,
    )
)
