"""Reads of staff accounts, bounded by the reader's ``role.view`` grants."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from sihai.accounts.models import RoleAssignment, User
from sihai.accounts.policies import ROLE_VIEW
from sihai.core.errors import NotFound
from sihai.core.policy import roots_for


def _visible_staff(actor: User) -> QuerySet[User]:
    roots = roots_for(actor, ROLE_VIEW)
    if not roots:
        return User.objects.none()
    in_scope = Q(pk__in=[])
    for root in roots:
        in_scope |= Q(role_assignments__area__code__startswith=root)
    if any(len(root) == 4 for root in roots):
        # City-wide security administrators also see accounts that have no role yet.
        in_scope |= Q(role_assignments__isnull=True)
    return User.objects.filter(in_scope).distinct()


def staff_list_for_actor(*, actor: User, search: str = "") -> QuerySet[User]:
    """Accounts the actor may see, with their roles inside the actor's scope, by username."""
    accounts = _visible_staff(actor)
    if search:
        accounts = accounts.filter(
            Q(username__icontains=search) | Q(display_name__icontains=search)
        )
    in_scope = Q(pk__in=[])
    for root in roots_for(actor, ROLE_VIEW):
        in_scope |= Q(area__code__startswith=root)
    roles = RoleAssignment.objects.filter(in_scope).select_related("area", "department")
    return accounts.prefetch_related(
        Prefetch("role_assignments", queryset=roles.order_by("area_id", "role"))
    ).order_by("username")


def staff_get_for_actor(*, actor: User, user_id: int) -> User:
    """One account, or NotFound: the same for an unknown id and one outside the actor's scope."""
    user = staff_list_for_actor(actor=actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound(NotFound.default_message())
    return user
