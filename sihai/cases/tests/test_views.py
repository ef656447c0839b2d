"""The portal and workbench pages: a resident asks, a worker answers, out of scope is 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from sihai.accounts.resident_auth import SESSION_KEY
from sihai.cases.factories import request_in
from sihai.cases.models import Channel, RequestEvent, ServiceRequest
from sihai.residents.factories import resident_with_account

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"


def _resident_client(account_pk: int) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    session = client.session
    session[SESSION_KEY] = account_pk
    session.save()
    return client


def test_a_signed_in_resident_asks_and_sees_the_timeline() -> None:
    _resident, account = resident_with_account(CUIHU)
    client = _resident_client(account.pk)
    page = client.get("/requests/new/policy_question/")
    assert page.status_code == 200
    key = page.context["form"].initial["idempotency_key"]
    form = {
        "attr_topic": "schooling",
        "description": "<script>x</script>入学",
        "idempotency_key": key,
    }
    response = client.post("/requests/new/policy_question/", form)
    assert response.status_code == 302
    again = client.post("/requests/new/policy_question/", form)  # double submit
    assert again.status_code == 302
    assert ServiceRequest.objects.filter(account=account).count() == 1
    detail = client.get(response["Location"])
    body = detail.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in body
    assert "<script>x</script>" not in body
    assert "KM-" in body


def test_a_missing_required_answer_is_shown_in_the_users_language() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/requests/new/policy_question/",
        {"description": "x", "community_code": CUIHU, "idempotency_key": "k1"},
    )
    assert response.status_code == 200
    assert "“Topic” is required." in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def test_an_anonymous_consultation_shows_its_code_once_and_can_be_followed() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post(
        "/requests/new/policy_question/",
        {
            "attr_topic": "housing",
            "description": "公租房",
            "community_code": CUIHU,
            "idempotency_key": "a1",
        },
    )
    assert response.status_code == 302
    sent = client.get("/requests/sent/")
    shown = sent.context["shown"]
    assert shown["reference"].startswith("KM-")
    assert client.get("/requests/sent/").context["shown"] is None
    follow = client.post("/requests/follow/", shown)
    assert follow.context["req"].reference == shown["reference"]
    wrong = client.post("/requests/follow/", {"reference": shown["reference"], "code": "x"})
    assert wrong.context["req"] is None


def test_another_residents_request_is_not_found() -> None:
    _r, owner = resident_with_account(CUIHU)
    _r2, other = resident_with_account(CUIHU)
    request = request_in(CUIHU, actor=owner, channel=Channel.PORTAL)
    assert _resident_client(other.pk).get(f"/requests/{request.pk}/").status_code == 404
    ServiceRequest.objects.filter(pk=request.pk).update(
        state="resolved", resolved_at=request.submitted_at
    )
    assert (
        _resident_client(other.pk).post(f"/requests/{request.pk}/rate", {"rating": "5"}).status_code
        == 404
    )
    request.refresh_from_db()
    assert request.rating is None


def test_the_worker_inbox_detail_and_move(client_as: Callable[..., Client]) -> None:
    request = request_in(CUIHU)
    worker = client_as("cuihu_worker")
    inbox = worker.get("/workbench/requests/")
    assert request.reference in inbox.content.decode()
    partial = worker.get("/workbench/requests/?state=submitted", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert request.reference in partial.content.decode()
    assert worker.get(f"/workbench/requests/{request.pk}/").status_code == 200
    worker.post(f"/workbench/requests/{request.pk}/move", {"to_state": "accepted"})
    request.refresh_from_db()
    assert request.state == "accepted"
    # An illegal move: refused, nothing written.
    before = RequestEvent.objects.count()
    worker.post(f"/workbench/requests/{request.pk}/move", {"to_state": "submitted"})
    request.refresh_from_db()
    assert request.state == "accepted"
    assert RequestEvent.objects.count() == before


def test_out_of_scope_staff_get_404(client_as: Callable[..., Client]) -> None:
    request = request_in(CUIHU)
    for username in ("xiaoba_worker", "panlong_officer", "auditadmin"):
        client = client_as(username)
        assert client.get(f"/workbench/requests/{request.pk}/").status_code == 404
        client.post(f"/workbench/requests/{request.pk}/move", {"to_state": "accepted"})
    request.refresh_from_db()
    assert request.state == "submitted"
    assert (
        request.reference
        not in client_as("xiaoba_worker").get("/workbench/requests/").content.decode()
    )


def test_counter_intake_needs_the_consent_reference(client_as: Callable[..., Client]) -> None:
    worker = client_as("cuihu_worker", "en")
    form = {
        "category": "dispute",
        "attr_kind": "landlord",
        "description": "押金不退",
        "community_code": CUIHU,
        "contact_name": "王",
        "contact_phone": "13900001111",
        "channel": "counter",
        "idempotency_key": "c1",
    }
    response = worker.post("/workbench/requests/new/", form)
    assert response.status_code == 200
    assert ServiceRequest.objects.count() == 0
    response = worker.post("/workbench/requests/new/", {**form, "consent_evidence": "F-2026-7"})
    assert response.status_code == 302
    created = ServiceRequest.objects.get()
    assert (created.channel, created.consent_evidence, created.contact_phone) == (
        "counter",
        "F-2026-7",
        "13900001111",
    )
    # Outside the worker's community: refused.
    other = worker.post(
        "/workbench/requests/new/",
        {
            **form,
            "community_code": "530103004001",
            "consent_evidence": "F",
            "idempotency_key": "c2",
        },
    )
    assert other.status_code == 200
    assert ServiceRequest.objects.count() == 1


def test_the_api_submits_once_per_key_and_refuses_bad_input() -> None:
    _resident, account = resident_with_account(CUIHU)
    client = _resident_client(account.pk)
    client.get("/requests/")  # a CSRF cookie
    csrf = client.cookies["csrftoken"].value
    payload = {
        "service": "policy_question",
        "description": "x",
        "answers": {"topic": "housing"},
        "idempotency_key": "api-1",
    }
    first = client.post(
        "/api/v1/cases/mine", payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert first.status_code == 201
    again = client.post(
        "/api/v1/cases/mine", payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert again.json()["id"] == first.json()["id"]
    bad = client.post(
        "/api/v1/cases/mine",
        {**payload, "idempotency_key": "api-2", "answers": {}},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "attribute.topic"
    assert ServiceRequest.objects.count() == 1
    mine = client.get(f"/api/v1/cases/mine/{first.json()['id']}").json()
    assert [e["kind"] for e in mine["timeline"]] == ["submitted"]


def test_the_rates_page_counts_only_the_scope(client_as: Callable[..., Client]) -> None:
    request_in(CUIHU)
    request_in("530103004001")
    page = client_as("cuihu_worker").get("/workbench/requests/rates/")
    assert [r.unit for r in page.context["rows"]] == [CUIHU]
    district = client_as("city_officer").get("/workbench/requests/rates/?level=6")
    assert [r.unit for r in district.context["rows"]] == ["530102", "530103"]


def test_a_counter_request_for_a_registered_resident_shows_in_their_portal(
    client_as: Callable[..., Client],
) -> None:
    resident, account = resident_with_account(CUIHU)
    worker = client_as("cuihu_worker", "en")
    response = worker.post(
        "/workbench/requests/new/",
        {
            "category": "language_help",
            "attr_language": "yi",
            "description": "医院翻译",
            "resident_phone": resident.phone,
            "consent_evidence": "F-2026-9",
            "channel": "counter",
            "idempotency_key": "r1",
        },
    )
    assert response.status_code == 302
    created = ServiceRequest.objects.get()
    assert (created.resident, created.account, created.community_id) == (resident, account, CUIHU)
    mine = _resident_client(account.pk).get("/requests/")
    assert created.reference in mine.content.decode()
    unknown = worker.post(
        "/workbench/requests/new/",
        {
            "category": "language_help",
            "attr_language": "yi",
            "description": "x",
            "resident_phone": "13000000000",
            "consent_evidence": "F",
            "channel": "phone",
            "idempotency_key": "r2",
        },
    )
    assert unknown.status_code == 200
    assert ServiceRequest.objects.count() == 1
