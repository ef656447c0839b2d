"""Granting and revoking roles: separation of duties, scope, and the audit trail."""

from collections.abc import Callable

import pytest
from django.test import Client

from sihai.accounts import services
from sihai.accounts.models import RoleAssignment, User
from sihai.audit.models import AuditEntry
from sihai.core.errors import InvalidInput, NotAllowed, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer() -> User:
    return User.objects.create(username="new_worker", display_name="新同事")


def _snapshot() -> tuple[int, int]:
    return RoleAssignment.objects.count(), AuditEntry.objects.count()


def test_security_admin_grants_a_role_and_it_is_audited(
    persona: Callable[[str], User], newcomer: User
) -> None:
    assignment = services.role_grant(
        actor=persona("secadmin"), user=newcomer, area_code="530102001001", role="community_worker"
    )
    assert newcomer.jurisdiction_codes() == frozenset({"530102001001"})
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.actor_label, entry.target_id, entry.area_code) == (
        "accounts.role_granted",
        "secadmin",
        str(assignment.pk),
        "530102001001",
    )
    assert entry.changes == {
        "user": "new_worker",
        "role": "community_worker",
        "area": "530102001001",
        "department": None,
    }


def test_department_officer_needs_a_department(
    persona: Callable[[str], User], newcomer: User
) -> None:
    assignment = services.role_grant(
        actor=persona("secadmin"),
        user=newcomer,
        area_code="530102",
        role="department_officer",
        department_code="housing",
    )
    assert assignment.department is not None
    assert assignment.department.code == "housing"


@pytest.mark.parametrize(
    ("actor", "kwargs", "error", "code"),
    [
        (
            "cuihu_worker",
            {"area_code": "530102001001", "role": "community_worker"},
            NotAllowed,
            "role.not_security_admin",
        ),
        (
            "wuhua_officer",
            {"area_code": "530102", "role": "district_officer"},
            NotAllowed,
            "role.not_security_admin",
        ),
        (
            "sysadmin",
            {"area_code": "5301", "role": "city_officer"},
            NotAllowed,
            "role.not_security_admin",
        ),
        (
            "auditadmin",
            {"area_code": "5301", "role": "city_officer"},
            NotAllowed,
            "role.not_security_admin",
        ),
        ("secadmin", {"area_code": "530102", "role": "mayor"}, InvalidInput, "role.unknown"),
        (
            "secadmin",
            {"area_code": "5301a", "role": "city_officer"},
            InvalidInput,
            "area.invalid_code",
        ),
        ("secadmin", {"area_code": "530199", "role": "district_officer"}, NotFound, "not_found"),
        (
            "secadmin",
            {"area_code": "530102", "role": "department_officer"},
            InvalidInput,
            "role.department_missing",
        ),
        (
            "secadmin",
            {"area_code": "530102", "role": "department_officer", "department_code": "police"},
            InvalidInput,
            "role.department_unknown",
        ),
        (
            "secadmin",
            {"area_code": "530102", "role": "district_officer", "department_code": "education"},
            InvalidInput,
            "role.department_extra",
        ),
    ],
)
def test_refused_grants_write_nothing(
    persona: Callable[[str], User],
    newcomer: User,
    actor: str,
    kwargs: dict[str, str],
    error: type[Exception],
    code: str,
) -> None:
    before = _snapshot()
    with pytest.raises(error) as caught:
        services.role_grant(actor=persona(actor), user=newcomer, **kwargs)
    assert getattr(caught.value, "code", None) == code
    assert _snapshot() == before


def test_no_one_grants_a_role_to_themself(persona: Callable[[str], User]) -> None:
    secadmin = persona("secadmin")
    before = _snapshot()
    with pytest.raises(NotAllowed) as caught:
        services.role_grant(
            actor=secadmin, user=secadmin, area_code="530102", role="district_officer"
        )
    assert caught.value.code == "role.self_grant"
    assert "themself" in str(caught.value.message) or "自己" in str(caught.value.message)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("holder", "role"),
    [
        ("sysadmin", "audit_admin"),
        ("auditadmin", "security_admin"),
        ("sysadmin", "community_worker"),
    ],
)
def test_administrator_roles_are_exclusive(
    persona: Callable[[str], User], holder: str, role: str
) -> None:
    before = _snapshot()
    with pytest.raises(InvalidInput) as caught:
        services.role_grant(
            actor=persona("secadmin"), user=persona(holder), area_code="5301", role=role
        )
    assert caught.value.code == "role.separation_of_duties"
    assert _snapshot() == before


def test_a_staff_member_cannot_become_an_administrator(persona: Callable[[str], User]) -> None:
    with pytest.raises(InvalidInput, match="三权分立"):
        services.role_grant(
            actor=persona("secadmin"),
            user=persona("wuhua_officer"),
            area_code="5301",
            role="system_admin",
        )


def test_the_same_role_twice_is_refused(persona: Callable[[str], User]) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.role_grant(
            actor=persona("secadmin"),
            user=persona("cuihu_worker"),
            area_code="530102001001",
            role="community_worker",
        )
    assert caught.value.code == "role.duplicate"


def test_revoke_is_audited_and_takes_effect_on_the_next_request(
    persona: Callable[[str], User], client_as: Callable[..., Client]
) -> None:
    worker_client = client_as("cuihu_worker")
    assert worker_client.get("/workbench/areas/530102001001/").status_code == 200
    assignment = RoleAssignment.objects.get(user__username="cuihu_worker")
    services.role_revoke(actor=persona("secadmin"), assignment_id=assignment.pk)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.order_by("-seq").first().action == "accounts.role_revoked"  # type: ignore[union-attr]
    assert worker_client.get("/workbench/areas/530102001001/").status_code == 404


def test_revoking_out_of_scope_or_missing_is_not_found(persona: Callable[[str], User]) -> None:
    before = _snapshot()
    assignment = RoleAssignment.objects.get(user__username="cuihu_worker")
    for actor in ("wuhua_officer", "sysadmin", "auditadmin"):
        with pytest.raises(NotFound):
            services.role_revoke(actor=persona(actor), assignment_id=assignment.pk)
    with pytest.raises(NotFound):
        services.role_revoke(actor=persona("secadmin"), assignment_id=999_999)
    assert _snapshot() == before


def test_no_one_revokes_their_own_role(persona: Callable[[str], User]) -> None:
    own = RoleAssignment.objects.get(user__username="secadmin")
    with pytest.raises(NotAllowed):
        services.role_revoke(actor=persona("secadmin"), assignment_id=own.pk)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_staff_pages_for_the_security_administrator(
    client_as: Callable[..., Client], persona: Callable[[str], User]
) -> None:
    client = client_as("secadmin")
    listing = client.get("/workbench/staff/")
    assert listing.status_code == 200
    assert "cuihu_worker" in listing.content.decode()
    worker = persona("cuihu_worker")
    response = client.post(
        f"/workbench/staff/{worker.pk}/", {"area_code": "530102001003", "role": "community_worker"}
    )
    assert response.status_code == 302
    assert worker.jurisdiction_codes() == frozenset({"530102001001", "530102001003"})
    refused = client.post(
        f"/workbench/staff/{worker.pk}/", {"area_code": "5301", "role": "system_admin"}
    )
    assert refused.status_code == 200
    assert "三权分立" in refused.content.decode()


@pytest.mark.parametrize(
    "who", ["cuihu_worker", "wuhua_officer", "sysadmin", "auditadmin", "edu_wuhua"]
)
def test_staff_pages_are_not_found_for_everyone_else(
    client_as: Callable[..., Client], persona: Callable[[str], User], who: str
) -> None:
    client = client_as(who)
    target = persona("xiaoba_worker")
    assert client.get("/workbench/staff/").status_code == 404
    assert client.get(f"/workbench/staff/{target.pk}/").status_code == 404
    before = _snapshot()
    assert (
        client.post(
            f"/workbench/staff/{target.pk}/", {"area_code": "530103", "role": "district_officer"}
        ).status_code
        == 404
    )
    assert _snapshot() == before


def test_admin_site_access_follows_the_role(
    client_as: Callable[..., Client], persona: Callable[[str], User]
) -> None:
    client = client_as("sysadmin")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/department/").status_code == 200
    assignment = RoleAssignment.objects.get(user__username="sysadmin")
    services.role_revoke(actor=persona("secadmin"), assignment_id=assignment.pk)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/accounts/department/").status_code == 302
    assert not persona("sysadmin").has_perm("accounts.view_department")


def test_a_system_administrator_appointed_in_the_workbench_can_operate(
    client_as: Callable[..., Client], persona: Callable[[str], User], newcomer: User
) -> None:
    services.role_grant(
        actor=persona("secadmin"), user=newcomer, area_code="5301", role="system_admin"
    )
    client = Client()
    client.force_login(newcomer)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403
