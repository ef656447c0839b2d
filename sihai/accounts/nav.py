"""What accounts contributes to the shells: the count of staff in each area."""

from django.utils.translation import gettext_lazy as _

from sihai.accounts.models import RoleAssignment
from sihai.areas import counters


def _staff_by_child(parent_code: str, child_length: int) -> dict[str, int]:
    return counters.count_by_child_prefix(
        RoleAssignment.objects.all(),
        "area__code",
        parent_code,
        child_length,
    )


counters.register(counters.AreaCounter("staff", _("Staff roles"), _staff_by_child, 90))
