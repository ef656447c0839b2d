"""The registry pages: search, open with a reason, register at the counter."""

from collections.abc import Callable

import pytest
from django.test import Client

from sihai.audit.models import AccessLogEntry
from sihai.residents.models import Resident

pytestmark = pytest.mark.django_db

FORM = {
    "community_code": "530102001001",
    "name": "马燕",
    "birth_date": "1990-05-04",
    "gender": "female",
    "phone": "139-8765-4321",
    "id_number": "",
    "occupation": "delivery_rider",
    "languages": "回族话，普通话",
    "needs": ["halal_food"],
    "consent_evidence": "CH-2026-001",
}


def test_register_search_and_open_at_the_counter(client_as: Callable[..., Client]) -> None:
    client = client_as("cuihu_worker")
    response = client.post("/workbench/residents/new/", FORM)
    assert response.status_code == 302, response.content.decode()[-800:]
    resident = Resident.objects.get()
    assert resident.languages == ["回族话", "普通话"]
    page = client.post("/workbench/residents/", {"phone": "13987654321"}).content.decode()
    assert "马燕" in page
    assert "139****4321" in page
    assert page.count("13987654321") == 1  # only in the search box the worker typed it into
    assert client.get(f"/workbench/residents/{resident.pk}/").status_code == 200  # asks why first
    assert not AccessLogEntry.objects.exists()
    record = client.post(
        f"/workbench/residents/{resident.pk}/", {"purpose": "counter_visit"}
    ).content.decode()
    assert "139 8765 4321" in record
    assert AccessLogEntry.objects.get().purpose == "counter_visit"


def test_search_without_a_key_explains_itself(client_as: Callable[..., Client]) -> None:
    page = (
        client_as("cuihu_worker").post("/workbench/residents/", {"name": "马燕"}).content.decode()
    )
    assert "请按身份证号、手机号，或姓名加出生日期查找" in page


def test_a_missing_consent_reference_writes_nothing(client_as: Callable[..., Client]) -> None:
    response = client_as("cuihu_worker").post(
        "/workbench/residents/new/", {**FORM, "consent_evidence": ""}
    )
    assert response.status_code == 200
    assert not Resident.objects.exists()


def test_registering_for_another_community_is_refused(client_as: Callable[..., Client]) -> None:
    response = client_as("cuihu_worker").post(
        "/workbench/residents/new/", {**FORM, "community_code": "530103004001"}
    )
    assert "您只能登记本辖区的居民" in response.content.decode()
    assert not Resident.objects.exists()


def test_the_registry_never_offers_ethnicity_or_religion(client_as: Callable[..., Client]) -> None:
    page = client_as("cuihu_worker").get("/workbench/residents/new/").content.decode()
    assert 'name="ethnicity"' not in page
    assert 'name="religion"' not in page
