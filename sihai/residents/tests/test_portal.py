"""The resident's own pages: register, my data, download, who looked, consents."""

import json
from collections.abc import Callable

import pytest
from django.test import Client

from sihai.accounts.models import ResidentAccount, User
from sihai.accounts.resident_auth import SESSION_KEY
from sihai.residents import selectors
from sihai.residents.models import Consent, Resident

pytestmark = pytest.mark.django_db
REGISTRATION = {
    "community_code": "530102001001",
    "name": "阿依·木合塔尔",
    "birth_date": "1995-03-08",
    "gender": "female",
    "id_number": "",
    "occupation": "delivery_rider",
    "languages": "维吾尔语, 普通话",
    "needs": ["halal_food"],
    "agree": "on",
}


@pytest.fixture
def resident_client() -> Client:
    account = ResidentAccount.objects.create(phone="+8613912345678", created_via="self")
    client = Client()
    session = client.session
    session[SESSION_KEY] = account.pk
    session.save()
    return client


def test_a_resident_registers_and_sees_their_data(resident_client: Client) -> None:
    assert resident_client.get("/me/data/")["Location"] == "/me/data/register/"
    refused = resident_client.post("/me/data/register/", {**REGISTRATION, "agree": ""})
    assert refused.status_code == 200
    assert not Resident.objects.exists()
    assert resident_client.post("/me/data/register/", REGISTRATION)["Location"] == "/me/data/"
    resident = Resident.objects.get()
    assert resident.phone == "+8613912345678"
    assert resident.registered_via == "self"
    page = resident_client.get("/me/data/").content.decode()
    assert "阿依·木合塔尔" in page
    assert "使用我的信息为我提供服务" in page


def test_download_and_who_looked(resident_client: Client, persona: Callable[[str], User]) -> None:
    resident_client.post("/me/data/register/", REGISTRATION)
    resident = Resident.objects.get()
    selectors.resident_get_for_actor(
        actor=persona("cuihu_worker"), resident_id=resident.pk, purpose="counter_visit"
    )
    download = resident_client.get("/me/data/download.json")
    assert download["Content-Disposition"] == 'attachment; filename="sihai-my-data.json"'
    data = json.loads(download.content)
    assert data["phone"] == "+8613912345678"
    assert data["reads_of_your_record"][0]["by"] == "cuihu_worker"
    looked = resident_client.get("/me/data/who-looked/").content.decode()
    assert "翠湖西路社区 · 社工 杨丽 查阅了您的记录，原因：您在窗口办理。" in looked
    assert "社区工作者 · 翠湖西路社区" in looked


def test_consents_are_given_and_withdrawn_at_once(resident_client: Client) -> None:
    resident_client.post("/me/data/register/", REGISTRATION)
    resident_client.post("/me/data/consents/give", {"purpose": "event_contact"})
    consent = Consent.objects.get(purpose="event_contact")
    assert consent.channel == "portal"
    resident_client.post(f"/me/data/consents/{consent.pk}/withdraw")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_the_separate_consent_comes_before_the_sensitive_questions(resident_client: Client) -> None:
    resident_client.post("/me/data/register/", REGISTRATION)
    page = resident_client.get("/me/data/sensitive/").content.decode()
    assert 'name="ethnicity"' not in page
    assert "我已阅读并同意" in page
    # Answers posted without the consent are not saved.
    resident_client.post("/me/data/sensitive/", {"ethnicity": "05"})
    assert Resident.objects.get().ethnicity is None
    resident_client.post("/me/data/consents/give", {"purpose": "sensitive_categories"})
    resident_client.post("/me/data/sensitive/", {"ethnicity": "05", "religion": ""})
    assert Resident.objects.get().ethnicity == "05"
    consent = Consent.objects.get(purpose="sensitive_categories")
    resident_client.post(f"/me/data/consents/{consent.pk}/withdraw")
    assert Resident.objects.get().ethnicity is None


def test_another_residents_consent_cannot_be_withdrawn(
    resident_client: Client, persona: Callable[[str], User]
) -> None:
    resident_client.post("/me/data/register/", REGISTRATION)
    other = ResidentAccount.objects.create(phone="+8613900000001", created_via="self")
    client = Client()
    session = client.session
    session[SESSION_KEY] = other.pk
    session.save()
    mine = Consent.objects.get(purpose="service_delivery")
    assert client.post(f"/me/data/consents/{mine.pk}/withdraw").status_code == 404
    mine.refresh_from_db()
    assert mine.withdrawn_at is None
