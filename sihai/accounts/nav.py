"""What accounts contributes to the shells: staff counts per area, the staff and roles page."""

from django.utils.translation import gettext_lazy as _

from sihai.accounts.models import RoleAssignment
from sihai.accounts.policies import RESIDENT_ACCOUNT_ASSIST, ROLE_VIEW
from sihai.areas import counters
from sihai.core.navigation import NavEntry, workbench_nav
from sihai.core.policy import has_action


def _staff_by_child(parent_code: str, child_length: int) -> dict[str, int]:
    return counters.count_by_child_prefix(
        RoleAssignment.objects.all(),
        "area__code",
        parent_code,
        child_length,
    )


counters.register(counters.AreaCounter("staff", _("Staff roles"), _staff_by_child, 90))


def _can_view_roles(user: object) -> bool:
    return has_action(user, ROLE_VIEW)


workbench_nav.register(
    NavEntry(
        key="staff",
        label=_("Staff and roles"),
        url_name="staff:list",
        order=80,
        description=_("Staff accounts in your jurisdiction and the roles they hold"),
        visible=_can_view_roles,
    )
)


def _is_staff_account(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False))


workbench_nav.register(
    NavEntry(
        key="tokens",
        label=_("My API tokens"),
        url_name="tokens:list",
        order=95,
        description=_("Personal tokens for programs that use the Sihai API as you"),
        visible=_is_staff_account,
    )
)


def _can_assist(user: object) -> bool:
    return has_action(user, RESIDENT_ACCOUNT_ASSIST)


workbench_nav.register(
    NavEntry(
        key="resident_accounts",
        label=_("Open a resident account"),
        url_name="resident_accounts:assist",
        order=30,
        description=_("At the counter: a sign-in account for a resident who needs help"),
        visible=_can_assist,
    )
)
