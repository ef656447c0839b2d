"""Staff sign-in, the demo password rule, jurisdiction and role constraints."""

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, override_settings

from sihai.accounts.backends import DEMO_PASSWORD
from sihai.accounts.models import Department, RoleAssignment, User
from sihai.accounts.roles import DEPARTMENTS, Role


@pytest.mark.django_db
def test_the_department_catalogue_is_complete() -> None:
    assert sorted(Department.objects.values_list("code", flat=True)) == sorted(
        c for c, _, _ in DEPARTMENTS
    )
    assert Department.objects.get(code="education").name_zh == "教育体育局"


@pytest.mark.django_db
def test_a_persona_signs_in_with_the_demo_password_in_demo_settings(client: Client) -> None:
    response = client.post(
        "/accounts/login/", {"username": "cuihu_worker", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/workbench/"
    home = client.get("/workbench/").content.decode()
    assert "翠湖西路社区" in home
    assert "530102001001" in home
    assert "社区工作者" in home


@pytest.mark.django_db
@override_settings(SIHAI_DEMO_ENABLED=False)
def test_the_demo_password_opens_nothing_outside_the_demo(client: Client) -> None:
    response = client.post(
        "/accounts/login/", {"username": "cuihu_worker", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_wrong_password_gets_a_clear_error_in_chinese(client: Client) -> None:
    response = client.post(
        "/accounts/login/", {"username": "cuihu_worker", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "用户名、密码或验证码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_jurisdiction_comes_from_role_assignments(persona: Callable[[str], User]) -> None:
    assert persona("cuihu_worker").jurisdiction_codes() == frozenset({"530102001001"})
    assert persona("edu_wuhua").jurisdiction_codes() == frozenset({"530102"})
    assert persona("city_officer").jurisdiction_codes() == frozenset({"5301"})


@pytest.mark.django_db
def test_a_role_change_takes_effect_on_the_next_request(
    client_as: Callable[..., Client], persona: Callable[[str], User]
) -> None:
    client = client_as("cuihu_worker")
    assert client.get("/workbench/areas/530102001/").status_code == 404
    RoleAssignment.objects.create(
        user=persona("cuihu_worker"), area_id="530102001", role=Role.SUBDISTRICT_OFFICER
    )
    assert client.get("/workbench/areas/530102001/").status_code == 200


@pytest.mark.django_db
def test_only_department_officers_name_a_department(persona: Callable[[str], User]) -> None:
    education = Department.objects.get(code="education")
    with transaction.atomic(), pytest.raises(IntegrityError):
        RoleAssignment.objects.create(
            user=persona("cuihu_worker"),
            area_id="530102",
            role=Role.DISTRICT_OFFICER,
            department=education,
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        RoleAssignment.objects.create(
            user=persona("cuihu_worker"), area_id="530102", role=Role.DEPARTMENT_OFFICER
        )
    assert RoleAssignment.objects.filter(user=persona("cuihu_worker")).count() == 1


@pytest.mark.django_db
def test_the_same_role_cannot_be_granted_twice_in_one_area(persona: Callable[[str], User]) -> None:
    with transaction.atomic(), pytest.raises(IntegrityError):
        RoleAssignment.objects.create(
            user=persona("cuihu_worker"), area_id="530102001001", role=Role.COMMUNITY_WORKER
        )


@pytest.mark.django_db
def test_the_workbench_shows_the_jurisdiction_in_english(client_as: Callable[..., Client]) -> None:
    body = client_as("edu_wuhua", language="en").get("/workbench/").content.decode()
    assert "Education Bureau" in body
    assert "Department officer" in body
    assert "530102" in body


@pytest.mark.django_db
def test_sign_out_is_a_post(client_as: Callable[..., Client]) -> None:
    client = client_as("cuihu_worker")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
