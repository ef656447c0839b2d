"""Writes to staff accounts and roles. Each is atomic and audited in the same transaction.

Separation of duties (三权分立) is enforced here, where roles are granted, not in
the views: only a security administrator grants; no one changes their own roles;
an administrator account holds exactly one of the three administrator roles and
nothing else, so the system administrator can never read personal data.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sihai.accounts.models import Department, RoleAssignment, User
from sihai.accounts.policies import ROLE_GRANT
from sihai.accounts.roles import ADMIN_ROLES, Role
from sihai.areas.codes import validate_code
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.core.policy import grants_for


def _require_grant_over(actor: User, area_code: str) -> None:
    if not any(g.covers(area_code) for g in grants_for(actor, ROLE_GRANT)):
        raise NotAllowed(
            _("Only a security administrator covering %(area)s can change roles there.")
            % {"area": area_code},
            code="role.not_security_admin",
        )


@transaction.atomic
def role_grant(
    *,
    actor: User,
    user: User,
    area_code: str,
    role: str,
    department_code: str | None = None,
) -> RoleAssignment:
    """Give ``user`` a ``role`` in ``area_code`` (and ``department_code`` for department staff)."""
    validate_code(area_code)
    # One grant per account at a time: the separation-of-duties check below reads the
    # account's roles, and two concurrent grants must not both pass it.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if role not in Role.values:
        raise InvalidInput(_("Unknown role “%(role)s”.") % {"role": role}, code="role.unknown")
    _require_grant_over(actor, area_code)
    if user.pk == actor.pk:
        raise NotAllowed(
            _("No one can grant a role to themself: ask another security administrator."),
            code="role.self_grant",
        )
    area = AdministrativeArea.objects.filter(code=area_code).first()
    if area is None:
        raise NotFound(_("There is no area with the code %(code)s.") % {"code": area_code})
    department = None
    if role == Role.DEPARTMENT_OFFICER:
        if not department_code:
            raise InvalidInput(
                _("A department officer's role names a department."), code="role.department_missing"
            )
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            raise InvalidInput(
                _("Unknown department “%(code)s”.") % {"code": department_code},
                code="role.department_unknown",
            )
    elif department_code:
        raise InvalidInput(
            _("Only a department officer's role names a department."), code="role.department_extra"
        )
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if role in ADMIN_ROLES and held - {role}:
        raise InvalidInput(
            _("An administrator account holds one administrator role and nothing else (三权分立)."),
            code="role.separation_of_duties",
        )
    if role not in ADMIN_ROLES and held & ADMIN_ROLES:
        raise InvalidInput(
            _("This is an administrator account: it cannot also hold a staff role (三权分立)."),
            code="role.separation_of_duties",
        )
    if RoleAssignment.objects.filter(
        user=user, area=area, role=role, department=department
    ).exists():
        raise InvalidInput(_("This account already holds that role there."), code="role.duplicate")
    assignment = RoleAssignment.objects.create(
        user=user, area=area, role=role, department=department
    )
    audit.record(
        actor=actor,
        action="accounts.role_granted",
        target=assignment,
        area_code=area.code,
        changes={
            "user": user.username,
            "role": role,
            "area": area.code,
            "department": department.code if department else None,
        },
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment_id: int) -> None:
    """Take one role away. Out of the actor's scope answers like a role that does not exist."""
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "department")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or not any(
        g.covers(assignment.area_id) for g in grants_for(actor, ROLE_GRANT)
    ):
        raise NotFound(NotFound.default_message())
    if assignment.user_id == actor.pk:
        raise NotAllowed(
            _("No one can change their own roles: ask another security administrator."),
            code="role.self_revoke",
        )
    audit.record(
        actor=actor,
        action="accounts.role_revoked",
        target=assignment,
        area_code=assignment.area_id,
        changes={
            "user": assignment.user.username,
            "role": assignment.role,
            "area": assignment.area_id,
            "department": assignment.department.code if assignment.department else None,
        },
    )
    assignment.delete()
