"""The residents API: the resident's own data by portal session, the registry by API token."""

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sihai.accounts.authentication import token_create
from sihai.accounts.models import ResidentAccount, User
from sihai.accounts.resident_auth import SESSION_KEY
from sihai.audit.models import AccessLogEntry, AuditEntry
from sihai.residents.factories import resident_in, resident_with_account
from sihai.residents.models import Consent, DeletionRequest, HouseholdMember

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"
XIAOBA = "530103004001"
ID = "11010519491231002X"


def _resident_client(account: ResidentAccount, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf, HTTP_ACCEPT_LANGUAGE="en")
    session = client.session
    session[SESSION_KEY] = account.pk
    session.save()
    return client


def _staff(user: User) -> Client:
    """A client that acts with one of the staff member's personal API tokens."""
    token = token_create(user=user, name="test").plaintext
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _json(client: Client, method: str, url: str, body: Any = None) -> tuple[int, Any]:
    send = getattr(client, method)
    if method in {"get", "delete"}:
        response = send(url)
    else:
        response = send(url, json.dumps(body or {}), content_type="application/json")
    return response.status_code, response.json() if response.content else None


def test_my_profile_and_a_correction() -> None:
    resident, account = resident_with_account(CUIHU, name="阿依")
    client = _resident_client(account)
    status, body = _json(client, "get", "/api/v1/me/profile")
    assert status == 200
    assert (body["name"], body["community"]["code"], body["phone"]) == (
        "阿依",
        CUIHU,
        resident.phone,
    )
    status, body = _json(
        client, "patch", "/api/v1/me/profile", {"address": "翠湖南路 1 号", "needs": ["halal_food"]}
    )
    assert status == 200
    assert (body["address"], body["needs"]) == ("翠湖南路 1 号", ["halal_food"])
    status, body = _json(client, "patch", "/api/v1/me/profile", {"needs": ["a_pony"]})
    assert status == 400
    assert body["code"] == "resident.needs"
    resident.refresh_from_db()
    assert resident.needs == ["halal_food"]


def test_not_registered_yet_is_404_and_no_session_is_401() -> None:
    account = ResidentAccount.objects.create(phone="+8613955550000", created_via="self")
    assert _json(_resident_client(account), "get", "/api/v1/me/profile")[0] == 404
    assert _json(Client(), "get", "/api/v1/me/profile")[0] == 401


def test_writes_need_the_csrf_token() -> None:
    _, account = resident_with_account(CUIHU)
    client = _resident_client(account, csrf=True)
    status, _ = _json(client, "post", "/api/v1/me/consents", {"purpose": "event_contact"})
    assert status == 403
    assert not Consent.objects.filter(purpose="event_contact").exists()


def test_consents_given_and_withdrawn_over_the_api() -> None:
    _, account = resident_with_account(CUIHU)
    client = _resident_client(account)
    status, body = _json(client, "post", "/api/v1/me/consents", {"purpose": "event_contact"})
    assert status == 201
    status, again = _json(client, "post", "/api/v1/me/consents", {"purpose": "event_contact"})
    assert (status, again["code"]) == (400, "consent.exists")
    status, refused = _json(
        client, "post", "/api/v1/me/consents", {"purpose": "department_sharing"}
    )
    assert (status, refused["code"]) == (400, "consent.purpose")
    status, withdrawn = _json(client, "post", f"/api/v1/me/consents/{body['id']}/withdraw")
    assert status == 200
    assert withdrawn["withdrawn_at"] is not None
    status, listed = _json(client, "get", "/api/v1/me/consents")
    assert sorted(c["purpose"] for c in listed) == ["event_contact", "service_delivery"]


def test_another_residents_consent_is_not_found_over_the_api() -> None:
    other, _ = resident_with_account(CUIHU)
    consent = Consent.objects.get(resident=other)
    _, account = resident_with_account(CUIHU)
    status, _body = _json(
        _resident_client(account), "post", f"/api/v1/me/consents/{consent.pk}/withdraw"
    )
    assert status == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_household_over_the_api_needs_the_guardian_for_a_young_child() -> None:
    _, account = resident_with_account(CUIHU)
    client = _resident_client(account)
    child = {"relationship": "child", "name": "小明", "birth_date": "2019-09-01"}
    status, body = _json(client, "post", "/api/v1/me/household", child)
    assert (status, body["code"]) == (400, "member.guardian_consent")
    assert not HouseholdMember.objects.exists()
    status, body = _json(client, "post", "/api/v1/me/household", {**child, "guardian_agrees": True})
    assert status == 201
    assert _json(client, "get", "/api/v1/me/household")[1] == [body]
    status, _none = _json(client, "delete", f"/api/v1/me/household/{body['id']}")
    assert status == 204
    assert not HouseholdMember.objects.exists()


def test_access_log_data_copy_and_deletion_request(persona: Callable[[str], User]) -> None:
    resident, account = resident_with_account(CUIHU)
    status, _ = _json(
        _staff(persona("cuihu_worker")),
        "get",
        f"/api/v1/residents/{resident.pk}?purpose=counter_visit",
    )
    assert status == 200
    client = _resident_client(account)
    status, log = _json(client, "get", "/api/v1/me/access-log")
    assert status == 200
    assert [(e["who"], e["purpose"]) for e in log] == [
        ("翠湖西路社区 · 社工 杨丽", "counter_visit")
    ]
    status, copy = _json(client, "get", "/api/v1/me/data")
    assert status == 200
    assert copy["community"]["code"] == CUIHU
    assert len(copy["reads_of_your_record"]) == 1
    status, filed = _json(client, "post", "/api/v1/me/deletion-requests", {"reason": "搬走"})
    assert status == 201
    assert filed["state"] == "pending"
    assert DeletionRequest.objects.get().reason == "搬走"


def test_staff_search_open_and_correct_with_a_token(persona: Callable[[str], User]) -> None:
    resident = resident_in(CUIHU, id_number=ID, birth_date=datetime.date(1949, 12, 31), name="李四")
    worker = _staff(persona("cuihu_worker"))
    status, found = _json(worker, "post", "/api/v1/residents/search", {"id_number": ID.lower()})
    assert status == 200
    assert [(r["id"], r["name"]) for r in found] == [(resident.pk, "李四")]
    status, bad = _json(worker, "post", "/api/v1/residents/search", {})
    assert (status, bad["code"]) == (400, "resident.search_key")
    before = AccessLogEntry.objects.count()
    status, record = _json(worker, "get", f"/api/v1/residents/{resident.pk}?purpose=counter_visit")
    assert status == 200
    assert "ethnicity" not in record
    assert record["id_number"] == ID
    assert AccessLogEntry.objects.count() == before + 1
    status, _err = _json(worker, "get", f"/api/v1/residents/{resident.pk}")
    assert status == 400  # the purpose is required
    status, corrected = _json(
        worker,
        "patch",
        f"/api/v1/residents/{resident.pk}",
        {"occupation": "courier", "reason": "居民口述"},
    )
    assert status == 200
    assert corrected["occupation"] == "courier"


def test_out_of_scope_over_the_api_is_exactly_not_found(persona: Callable[[str], User]) -> None:
    resident = resident_in(CUIHU, id_number=ID, birth_date=datetime.date(1949, 12, 31))
    other = _staff(persona("xiaoba_worker"))
    before = (AccessLogEntry.objects.count(), AuditEntry.objects.count())
    missing = other.get("/api/v1/residents/999999?purpose=counter_visit")
    hidden = other.get(f"/api/v1/residents/{resident.pk}?purpose=counter_visit")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
    assert hidden.status_code == 404
    status, found = _json(other, "post", "/api/v1/residents/search", {"id_number": ID})
    assert (status, found) == (200, [])
    status, _body = _json(
        other, "patch", f"/api/v1/residents/{resident.pk}", {"occupation": "courier", "reason": "x"}
    )
    assert status == 404
    assert (AccessLogEntry.objects.count(), AuditEntry.objects.count()) == before
    resident.refresh_from_db()
    assert resident.occupation == "other"
