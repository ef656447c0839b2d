"""The first administrators of a deployment, and ScopedPolicy's department scoping."""

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sihai.accounts.models import RoleAssignment, User
from sihai.audit.models import AuditEntry
from sihai.core.errors import NotFound
from sihai.core.policy import ScopedPolicy

pytestmark = pytest.mark.django_db


def test_bootstrap_refuses_while_a_security_admin_exists(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("Kunming-Bootstrap-2026")
    with pytest.raises(CommandError, match="exists already"):
        call_command(
            "bootstrap_admin", role="security_admin", username="sec2", password_file=secret
        )
    assert not User.objects.filter(username="sec2").exists()


def test_bootstrap_creates_the_first_admin_of_a_new_deployment(tmp_path: Path) -> None:
    RoleAssignment.objects.filter(role="security_admin").delete()
    secret = tmp_path / "pw"
    secret.write_text("Kunming-Bootstrap-2026")
    call_command(
        "bootstrap_admin",
        role="security_admin",
        username="first_sec",
        password_file=secret,
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="first_sec")
    assert user.check_password("Kunming-Bootstrap-2026")
    assert [(a.area_id, a.role) for a in user.active_assignments()] == [("5301", "security_admin")]
    assert AuditEntry.objects.filter(action="accounts.admin_bootstrapped").count() == 1


def test_bootstrap_applies_the_password_policy(tmp_path: Path) -> None:
    RoleAssignment.objects.filter(role="audit_admin").delete()
    weak = tmp_path / "pw"
    weak.write_text("password")
    with pytest.raises(CommandError):
        call_command(
            "bootstrap_admin", role="audit_admin", username="weak_audit", password_file=weak
        )
    assert not User.objects.filter(username="weak_audit").exists()


ROLES_POLICY: ScopedPolicy[RoleAssignment] = ScopedPolicy(
    area_field="area__code", department_field="department__code"
)


def test_a_department_officer_sees_only_rows_routed_to_their_department_in_their_area(
    persona: Callable[[str], User],
) -> None:
    edu = persona("edu_wuhua")
    rows = RoleAssignment.objects.all()
    # Under the grant "area.browse" the education officer's grant names the education department.
    visible = ROLES_POLICY.visible_to(edu, "area.browse", rows)
    assert [(r.area_id, r.department.code if r.department else None) for r in visible] == [
        ("530102", "education")
    ]
    insurance_row = RoleAssignment.objects.get(user__username="insurance_city")
    assert not ROLES_POLICY.can(edu, "area.browse", insurance_row)
    with pytest.raises(NotFound):
        ROLES_POLICY.get_for_actor(edu, "area.browse", rows, pk=insurance_row.pk)


def test_an_area_officer_sees_everything_under_the_area(persona: Callable[[str], User]) -> None:
    visible = ROLES_POLICY.visible_to(
        persona("wuhua_officer"), "area.browse", RoleAssignment.objects.all()
    )
    assert sorted(r.area_id for r in visible) == [
        "530102",
        "530102",
        "530102001",
        "530102001001",
    ]
    worker_row = RoleAssignment.objects.get(user__username="xiaoba_worker")
    assert not ROLES_POLICY.can(persona("wuhua_officer"), "area.browse", worker_row)


def test_an_unknown_action_is_a_programming_error(persona: Callable[[str], User]) -> None:
    with pytest.raises(KeyError, match="declare it"):
        ROLES_POLICY.visible_to(
            persona("wuhua_officer"), "case.nonexistent", RoleAssignment.objects.all()
        )
