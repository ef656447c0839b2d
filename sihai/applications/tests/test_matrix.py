"""Every applications page × every persona: who gets the page, who is told "not found".

The shared ``tests/test_authorization_matrix.py`` needs rows for these routes at merge; this
table is what they should say.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from sihai.accounts.models import ResidentAccount, User
from sihai.accounts.resident_auth import SESSION_KEY
from sihai.applications import services
from sihai.applications.factories import child_of, facts_for
from sihai.directory.factories import make_point
from sihai.residents.factories import resident_with_account

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"
STAFF = [
    "cuihu_worker",
    "xiaoba_worker",
    "huashan_officer",
    "wuhua_officer",
    "edu_wuhua",
    "insurance_city",
    "city_officer",
    "auditadmin",
]
COUNTER = {"cuihu_worker", "huashan_officer"}  # application.assist over Cuihu
PLANNERS = {"huashan_officer", "wuhua_officer", "edu_wuhua", "insurance_city", "city_officer"}


def _resident(account: ResidentAccount) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = account.pk
    session.save()
    return client


@pytest.fixture
def world(settings: object, tmp_path: Path) -> dict[str, object]:
    settings.SIHAI_DOCUMENT_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    resident, account = resident_with_account(
        "530102001001", arrival_date=datetime.date(2022, 1, 1)
    )
    facts_for(resident)
    child = child_of(resident, age=9)
    school = make_point(kind="school", community="530102001002")
    document = services.document_upload(
        actor=account, resident_id=resident.pk, kind="id_card", data=PDF
    )
    application = services.application_submit(
        actor=account,
        resident_id=resident.pk,
        data=services.SubmitInput(
            "school_seat", member_id=child.pk, school_id=str(school.pk), document_ids=(document.pk,)
        ),
    )
    _other, other_account = resident_with_account("530103004001")
    return {
        "resident": resident,
        "account": account,
        "other": other_account,
        "application": application,
        "part": application.parts.get(),
        "document": document,
    }


def _staff_expectations(w: dict[str, object]) -> dict[str, tuple[str, set[str]]]:
    """route name → (url, personas who get 200); every other staff persona gets 404."""
    resident, application = w["resident"], w["application"]
    part, document = w["part"], w["document"]
    return {
        "applications:queue": ("/workbench/applications/", {"edu_wuhua", "insurance_city"}),
        "applications:decide": (f"/workbench/applications/parts/{part.pk}/", {"edu_wuhua"}),  # type: ignore[attr-defined]
        "applications:document": (
            f"/workbench/applications/documents/{document.pk}",  # type: ignore[attr-defined]
            {"edu_wuhua", *COUNTER},
        ),
        "applications:counter": (
            "/workbench/applications/counter/",
            {"cuihu_worker", "xiaoba_worker", "huashan_officer"},
        ),
        "applications:counter_resident": (
            f"/workbench/applications/counter/{resident.pk}/",  # type: ignore[attr-defined]
            COUNTER,
        ),
        "applications:counter_done": (
            f"/workbench/applications/counter/done/{application.pk}/",  # type: ignore[attr-defined]
            COUNTER,
        ),
        "applications:receipt": (
            f"/workbench/applications/receipts/{application.pk}.pdf",  # type: ignore[attr-defined]
            COUNTER,
        ),
        "applications:seats": ("/workbench/applications/seats/", PLANNERS),
        "applications:types": ("/workbench/applications/types/", {"city_officer"}),
        "applications:type_edit": (
            f"/workbench/applications/types/{application.type_id}/",  # type: ignore[attr-defined]
            {"city_officer"},
        ),
    }


def test_staff_pages_answer_each_persona_as_the_table_says(
    world: dict[str, object], client_as: Callable[[str], Client]
) -> None:
    table = _staff_expectations(world)
    for name, (url, allowed) in table.items():
        assert Client().get(url).status_code == 302, name  # to the sign-in page
        for persona in STAFF:
            expected = 200 if persona in allowed else 404
            got = client_as(persona).get(url).status_code
            assert got == expected, f"{name} as {persona}: {got}, expected {expected}"


def test_counter_upload_answers_only_the_counter_of_the_residents_area(
    world: dict[str, object], client_as: Callable[[str], Client]
) -> None:
    url = f"/workbench/applications/counter/{world['resident'].pk}/documents"  # type: ignore[attr-defined]
    assert Client().post(url).status_code == 302
    for persona in STAFF:
        expected = 302 if persona in COUNTER else 404  # 302: back to the counter page
        got = client_as(persona).post(url, {}).status_code
        assert got == expected, f"counter_upload as {persona}: {got}, expected {expected}"


def test_counter_supply_answers_only_the_counter_of_the_residents_area(
    world: dict[str, object], client_as: Callable[[str], Client]
) -> None:
    url = f"/workbench/applications/counter/applications/{world['application'].pk}/documents"  # type: ignore[attr-defined]
    assert Client().post(url).status_code == 302
    for persona in STAFF:
        expected = 302 if persona in COUNTER else 404  # 302: back to the counter page
        got = client_as(persona).post(url, {}).status_code
        assert got == expected, f"counter_supply as {persona}: {got}, expected {expected}"


def test_resident_pages_answer_the_owner_another_resident_staff_and_anonymous(
    world: dict[str, object], client_as: Callable[[str], Client], persona: Callable[[str], User]
) -> None:
    application, document = world["application"], world["document"]
    owner = _resident(world["account"])  # type: ignore[arg-type]
    other = _resident(world["other"])  # type: ignore[arg-type]
    own_only = {
        "applications_me:detail": f"/me/applications/{application.pk}/",  # type: ignore[attr-defined]
        "applications_me:document": f"/me/applications/documents/{document.pk}",  # type: ignore[attr-defined]
    }
    anyone_registered = {
        "applications_me:precheck": "/me/applications/",
        "applications_me:apply": "/me/applications/apply/school_seat/",
        "applications_me:documents": "/me/applications/documents/",
    }
    for name, url in {**own_only, **anyone_registered}.items():
        assert owner.get(url).status_code == 200, name
        assert Client().get(url).status_code == 302, name
        assert client_as("edu_wuhua").get(url).status_code == 302, name  # no resident session
    for name, url in own_only.items():
        assert other.get(url).status_code == 404, name
    supply = f"/me/applications/{application.pk}/documents"  # type: ignore[attr-defined]
    assert other.post(supply, {"documents": [str(document.pk)]}).status_code == 404  # type: ignore[attr-defined]
    assert owner.get(supply).status_code == 405


def test_the_table_covers_every_applications_route(world: dict[str, object]) -> None:
    from sihai.applications import portal_urls, urls  # noqa: PLC0415

    staff = {f"applications:{p.name}" for p in urls.urlpatterns}
    mine = {f"applications_me:{p.name}" for p in portal_urls.urlpatterns[0]}
    assert staff == {
        *_staff_expectations(world),
        "applications:counter_upload",
        "applications:counter_supply",
    }
    assert mine == {
        "applications_me:detail",
        "applications_me:document",
        "applications_me:precheck",
        "applications_me:apply",
        "applications_me:documents",
        "applications_me:supply",
    }
