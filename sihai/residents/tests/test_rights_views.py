"""The pages for corrections, moves, households and deletion: staff workbench and portal."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from sihai.accounts.models import ResidentAccount
from sihai.accounts.resident_auth import SESSION_KEY
from sihai.audit.models import AccessLogEntry
from sihai.residents.factories import resident_in, resident_with_account
from sihai.residents.models import (
    Consent,
    DeletionRequest,
    HouseholdMember,
    ResidenceChange,
    Resident,
)

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"
XIAOBA = "530103004001"


def _portal(account: ResidentAccount) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    session = client.session
    session[SESSION_KEY] = account.pk
    session.save()
    return client


def _open(client: Client, resident: Resident, purpose: str = "counter_visit") -> None:
    response = client.post(f"/workbench/residents/{resident.pk}/", {"purpose": purpose})
    assert response.status_code == 200


def test_an_opened_record_stays_open_and_every_view_is_logged(
    client_as: Callable[..., Client],
) -> None:
    resident = resident_in(CUIHU, name="李建国")
    client = client_as("cuihu_worker")
    asked = client.get(f"/workbench/residents/{resident.pk}/").content.decode()
    assert 'name="purpose"' in asked
    assert "李建国" not in asked
    _open(client, resident)
    page = client.get(f"/workbench/residents/{resident.pk}/").content.decode()
    assert "李建国" in page
    assert AccessLogEntry.objects.filter(subject_id=str(resident.pk)).count() == 2
    assert set(
        AccessLogEntry.objects.filter(subject_id=str(resident.pk)).values_list("purpose", flat=True)
    ) == {"counter_visit"}


def test_the_worker_corrects_a_record_at_the_counter(client_as: Callable[..., Client]) -> None:
    resident = resident_in(CUIHU, name="李建国")
    client = client_as("cuihu_worker")
    assert client.get(f"/workbench/residents/{resident.pk}/edit/")["Location"] == (
        f"/workbench/residents/{resident.pk}/"
    )
    _open(client, resident, "correction")
    form = client.get(f"/workbench/residents/{resident.pk}/edit/")
    assert form.status_code == 200
    data = {
        "name": "李建国",
        "birth_date": "1990-05-04",
        "gender": "male",
        "phone": "+86 139 0000 0007",
        "occupation": "courier",
        "reason": "居民出示身份证",
    }
    response = client.post(f"/workbench/residents/{resident.pk}/edit/", data)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.phone, resident.occupation, resident.gender) == (
        "+8613900000007",
        "courier",
        "male",
    )


def test_adding_a_child_at_the_counter_needs_the_signed_form(
    client_as: Callable[..., Client],
) -> None:
    resident = resident_in(CUIHU)
    client = client_as("cuihu_worker")
    _open(client, resident)
    child = {
        "relationship": "child",
        "name": "小明",
        "birth_date": "2018-09-01",
        "gender": "male",
        "school_stage": "primary",
    }
    refused = client.post(f"/workbench/residents/{resident.pk}/members/new/", child)
    assert refused.status_code == 200
    assert "监护人" in refused.content.decode()
    assert not HouseholdMember.objects.exists()
    added = client.post(
        f"/workbench/residents/{resident.pk}/members/new/",
        {**child, "guardian_evidence": "同意书-17"},
    )
    assert added.status_code == 302
    assert HouseholdMember.objects.get().name == "小明"
    assert "小明" in client.get(f"/workbench/residents/{resident.pk}/").content.decode()


def test_a_move_sends_the_record_to_the_new_community(client_as: Callable[..., Client]) -> None:
    resident = resident_in(CUIHU)
    client = client_as("cuihu_worker")
    _open(client, resident)
    response = client.post(
        f"/workbench/residents/{resident.pk}/move",
        {"community_code": XIAOBA, "moved_on": "2026-11-01", "address": "小坝路 8 号"},
    )
    assert response["Location"] == "/workbench/residents/"
    assert ResidenceChange.objects.get().to_community_id == XIAOBA
    assert client.get(f"/workbench/residents/{resident.pk}/").status_code == 404


def test_consents_signed_at_the_counter(client_as: Callable[..., Client]) -> None:
    resident = resident_in(CUIHU)
    client = client_as("cuihu_worker")
    _open(client, resident)
    client.post(
        f"/workbench/residents/{resident.pk}/consents/",
        {"purpose": "department_sharing", "department": "education", "evidence": "F-22"},
    )
    consent = Consent.objects.get(purpose="department_sharing")
    assert (consent.department.code if consent.department else None, consent.evidence) == (
        "education",
        "F-22",
    )
    client.post(f"/workbench/residents/{resident.pk}/consents/{consent.pk}/withdraw")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_the_officer_decides_a_deletion_request(client_as: Callable[..., Client]) -> None:
    resident, account = resident_with_account(CUIHU, name="赵美兰")
    portal = _portal(account)
    assert portal.post("/me/data/delete/", {"reason": "搬走了"}).status_code == 200  # not ticked
    assert not DeletionRequest.objects.exists()
    portal.post("/me/data/delete/", {"reason": "搬走了", "understood": "on"})
    request = DeletionRequest.objects.get()
    assert request.due_on.isoformat() in portal.get("/me/data/delete/").content.decode()
    officer = client_as("huashan_officer")
    queue = officer.get("/workbench/residents/deletions/").content.decode()
    assert f"#{request.pk}" in queue
    assert "赵美兰" not in queue  # the queue names no one
    refused = officer.post(f"/workbench/residents/deletions/{request.pk}/", {"decision": "refuse"})
    assert refused.status_code == 200
    request.refresh_from_db()
    assert request.state == "pending"
    officer.post(f"/workbench/residents/deletions/{request.pk}/", {"decision": "grant"})
    request.refresh_from_db()
    resident.refresh_from_db()
    assert request.state == "erased"
    assert resident.name == ""
    assert portal.get("/me/data/").status_code == 302  # the account went with the data


def test_the_resident_corrects_moves_and_adds_a_child_in_the_portal() -> None:
    resident, account = resident_with_account(CUIHU, name="阿依")
    portal = _portal(account)
    assert portal.get("/me/data/edit/").status_code == 200
    portal.post(
        "/me/data/edit/",
        {
            "name": "阿依·木合塔尔",
            "birth_date": "1990-05-04",
            "gender": "female",
            "occupation": "delivery_rider",
        },
    )
    resident.refresh_from_db()
    assert (resident.name, resident.occupation) == ("阿依·木合塔尔", "delivery_rider")
    portal.post("/me/data/move/", {"community_code": XIAOBA})
    resident.refresh_from_db()
    assert resident.community_id == XIAOBA
    child = {
        "relationship": "child",
        "name": "小丽",
        "birth_date": "2019-03-01",
        "gender": "female",
    }
    assert portal.post("/me/data/household/", child).status_code == 200
    assert not HouseholdMember.objects.exists()
    portal.post("/me/data/household/", {**child, "guardian_agrees": "on"})
    member = HouseholdMember.objects.get()
    assert "小丽" in portal.get("/me/data/household/").content.decode()
    page = portal.get("/me/data/print/").content.decode()
    assert "阿依·木合塔尔" in page
    assert "小丽" in page
    portal.post(f"/me/data/household/{member.pk}/remove")
    assert not HouseholdMember.objects.exists()


def test_the_portal_pages_in_english() -> None:
    _, account = resident_with_account(CUIHU)
    portal = _portal(account)
    portal.post("/prefs/language", {"language": "en"})
    page = portal.get("/me/data/delete/").content.decode()
    assert "Ask for my data to be deleted" in page
    assert "Delete my data" in portal.get("/me/data/").content.decode()


def test_members_of_another_household_cannot_be_removed_from_the_portal(
    client_as: Callable[..., Client],
) -> None:
    other, _ = resident_with_account(CUIHU)
    member = HouseholdMember.objects.create(
        resident=other, relationship="spouse", name="配偶", birth_date=datetime.date(1990, 1, 1)
    )
    _, account = resident_with_account(CUIHU)
    assert _portal(account).post(f"/me/data/household/{member.pk}/remove").status_code == 404
    assert HouseholdMember.objects.filter(pk=member.pk).exists()


def test_the_community_walk_hands_its_code_back_to_the_form() -> None:
    _, account = resident_with_account(CUIHU)
    portal = _portal(account)
    walk = portal.get(f"/areas/{XIAOBA}/?for=move").content.decode()
    assert f'href="/me/data/move/?community={XIAOBA}"' in walk
    assert f'value="{XIAOBA}"' in portal.get(f"/me/data/move/?community={XIAOBA}").content.decode()
    # Only the known forms: anything else gets no button (no open redirect).
    assert "?community=" not in portal.get(f"/areas/{XIAOBA}/?for=//evil.example").content.decode()
    assert (
        'value="<script>"' not in portal.get("/me/data/move/?community=<script>").content.decode()
    )
