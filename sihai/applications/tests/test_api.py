"""The applications API: resident precheck/apply/mine, staff queue/decision, refusals."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from sihai.accounts.authentication import token_create
from sihai.accounts.models import User
from sihai.accounts.resident_auth import SESSION_KEY
from sihai.applications.factories import officer
from sihai.applications.models import ApplicationPart
from sihai.residents.factories import resident_with_account

pytestmark = pytest.mark.django_db


def _staff_client(user: User) -> Client:
    token = token_create(user=user, name="test").plaintext
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_resident_applies_and_departments_decide_over_the_api(
    persona: Callable[[str], User],
) -> None:
    _resident, account = resident_with_account(
        "530102001001", arrival_date=datetime.date(2022, 1, 1)
    )
    client = Client()
    session = client.session
    session[SESSION_KEY] = account.pk
    session.save()
    bad = client.put(
        "/api/v1/applications/facts",
        {"insurance": "gold", "housing": "renting", "employment": "seeking"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "facts.choice"
    saved = client.put(
        "/api/v1/applications/facts",
        {"insurance": "none", "housing": "renting", "employment": "seeking"},
        content_type="application/json",
    )
    assert saved.status_code == 200
    verdicts = client.get("/api/v1/applications/precheck").json()
    assert any(v["type"] == "employment_assistance" and v["eligible"] for v in verdicts)
    response = client.post(
        "/api/v1/applications/", {"type": "employment_assistance"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(p["department"] for p in body["parts"]) == ["civil_affairs", "human_resources"]
    hr = _staff_client(officer("hr_wuhua", "530102", "human_resources"))
    queue = hr.get("/api/v1/applications/queue").json()
    hr_part = next(p for p in body["parts"] if p["department"] == "human_resources")
    civil_part = next(p for p in body["parts"] if p["department"] == "civil_affairs")
    assert [q["id"] for q in queue] == [hr_part["id"]]
    url = f"/api/v1/applications/parts/{civil_part['id']}/decision"
    assert hr.post(url, {"decision": "approve"}, content_type="application/json").status_code == 404
    assert ApplicationPart.objects.get(pk=civil_part["id"]).state == "pending"
    url = f"/api/v1/applications/parts/{hr_part['id']}/decision"
    assert hr.post(url, {"decision": "approve"}, content_type="application/json").status_code == 200
    again = hr.post(url, {"decision": "reject", "reason": "x"}, content_type="application/json")
    assert again.status_code == 403
    assert again.json()["code"] == "application.part_decided"
    mine = client.get("/api/v1/applications/mine").json()
    assert mine[0]["state"] == "in_review"
    assert Client().get("/api/v1/applications/mine").status_code == 401
