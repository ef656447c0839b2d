"""What accounts contributes to the shells: staff counts per area, staff, tokens, counter pages."""

from django.utils.translation import gettext_lazy as _

from sihai.accounts.models import RoleAssignment
from sihai.accounts.policies import RESIDENT_ACCOUNT_ASSIST, ROLE_VIEW
from sihai.areas import counters
from sihai.core.navigation import NavEntry, signed_in, workbench_nav


def _staff_by_child(parent_code: str, child_length: int) -> dict[str, int]:
    return counters.count_by_child_prefix(
        RoleAssignment.objects.all(), "area__code", parent_code, child_length
    )


counters.register(counters.AreaCounter("staff", _("Staff roles"), _staff_by_child, 90))

for entry in (
    NavEntry(
        key="resident_accounts",
        label=_("Open a resident account"),
        url_name="resident_accounts:assist",
        order=30,
        description=_("At the counter: a sign-in account for a resident who needs help"),
        action=RESIDENT_ACCOUNT_ASSIST.code,
    ),
    NavEntry(
        key="staff",
        label=_("Staff and roles"),
        url_name="staff:list",
        order=80,
        description=_("Staff accounts in your jurisdiction and the roles they hold"),
        action=ROLE_VIEW.code,
    ),
    NavEntry(
        key="tokens",
        label=_("My API tokens"),
        url_name="tokens:list",
        order=95,
        description=_("Personal tokens for programs that use the Sihai API as you"),
        visible=signed_in,
    ),
):
    workbench_nav.register(entry)
