"""The pages, as each persona sees them: portal pre-check and apply, queues, counter, types."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from sihai.accounts.models import ResidentAccount
from sihai.accounts.resident_auth import SESSION_KEY
from sihai.applications import services
from sihai.applications.factories import child_of, facts_for
from sihai.applications.models import Application, ApplicationType
from sihai.audit.models import AuditEntry
from sihai.directory.factories import make_point
from sihai.residents.factories import resident_with_account
from sihai.residents.models import Resident

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"


def _resident_client(account: ResidentAccount, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    session = client.session
    session[SESSION_KEY] = account.pk
    session.save()
    return client


@pytest.fixture
def family() -> tuple[Resident, ResidentAccount]:
    resident, account = resident_with_account(CUIHU, arrival_date=datetime.date(2022, 5, 1))
    facts_for(resident)
    child_of(resident, age=8, name="阿力")
    return resident, account


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_resident_prechecks_applies_and_sees_the_seat(
    family: tuple[Resident, ResidentAccount],
    client_as: Callable[..., Client],
    language: str,
) -> None:
    resident, account = family
    school = make_point(kind="school", community="530102001002", name="翠湖小学")
    client = _resident_client(account, language)
    page = client.get(reverse("applications_me:precheck")).content.decode()
    assert "阿力" in page
    assert ("可能符合条件" if language == "zh-hans" else "Likely eligible") in page
    member = resident.members.get()
    response = client.post(
        reverse("applications_me:apply", args=["school_seat"]),
        {"member": member.pk, "school": str(school.pk)},
    )
    application = Application.objects.get(resident=resident)
    assert response.status_code == 302
    part = application.parts.get()
    edu = client_as("edu_wuhua", language)
    assert application.reference in edu.get(reverse("applications:queue")).content.decode()
    response = edu.post(
        reverse("applications:decide", args=[part.pk]),
        {"decision": "approve", "seat_school": str(school.pk)},
    )
    assert response.status_code == 302
    detail = client.get(reverse("applications_me:detail", args=[application.pk])).content.decode()
    assert "翠湖小学" in detail
    assert 'data-state="approved"' in detail


def test_other_departments_and_areas_get_404_and_nothing_is_written(
    family: tuple[Resident, ResidentAccount], client_as: Callable[[str], Client]
) -> None:
    resident, account = family
    application = services.application_submit(
        actor=account, resident_id=resident.pk, data=services.SubmitInput("medical_insurance")
    )
    part = application.parts.get()
    url = reverse("applications:decide", args=[part.pk])
    before = AuditEntry.objects.count()
    for username in ("edu_wuhua", "wuhua_officer", "cuihu_worker", "auditadmin"):
        assert client_as(username).get(url).status_code == 404
        assert client_as(username).post(url, {"decision": "approve"}).status_code == 404
    assert AuditEntry.objects.count() == before
    assert client_as("insurance_city").get(url).status_code == 200
    _other, other_account = resident_with_account("530103004001")
    own = reverse("applications_me:detail", args=[application.pk])
    assert _resident_client(other_account).get(own).status_code == 404


def test_the_counter_walks_a_resident_through_and_prints_a_receipt(
    family: tuple[Resident, ResidentAccount], client_as: Callable[[str], Client]
) -> None:
    resident, _account = family
    worker = client_as("cuihu_worker")
    page = worker.get(reverse("applications:counter_resident", args=[resident.pk]))
    assert page.status_code == 200
    response = worker.post(
        reverse("applications:counter_resident", args=[resident.pk]),
        {"type": "medical_insurance"},
    )
    application = Application.objects.get(resident=resident)
    assert response.status_code == 302
    assert application.submitted_via == "counter"
    receipt = worker.get(reverse("applications:receipt", args=[application.pk]))
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    assert (
        client_as("xiaoba_worker")
        .get(reverse("applications:receipt", args=[application.pk]))
        .status_code
        == 404
    )
    assert (
        client_as("xiaoba_worker")
        .get(reverse("applications:counter_resident", args=[resident.pk]))
        .status_code
        == 404
    )


def test_the_city_officer_edits_rules_and_a_bad_rule_shows_its_position(
    client_as: Callable[..., Client],
) -> None:
    kind = ApplicationType.objects.get(code="residence_permit")
    url = reverse("applications:type_edit", args=[kind.pk])
    assert client_as("wuhua_officer").get(url).status_code == 404
    city = client_as("city_officer", "en")
    response = city.post(
        url,
        {
            "name_zh": kind.name_zh,
            "name_en": kind.name_en,
            "conditions_text": "resident.months_here >= 6 | 满6个月 | 6 months",
            "documents": ["id_card"],
            "departments": "public_security",
            "decide_within_days": 15,
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Line 1, column 1" in response.content.decode()
    kind.refresh_from_db()
    assert "months_here" not in str(kind.conditions)


def test_seat_share_page_for_planners(
    family: tuple[Resident, ResidentAccount], client_as: Callable[..., Client]
) -> None:
    page = client_as("wuhua_officer", "en").get(reverse("applications:seats"))
    assert page.status_code == 200
    assert "530102" in page.content.decode()
    assert client_as("cuihu_worker").get(reverse("applications:seats")).status_code == 404


def test_the_counter_scans_a_document_and_refuses_an_executable_or_a_huge_one(
    family: tuple[Resident, ResidentAccount],
    client_as: Callable[..., Client],
    settings: object,
    tmp_path: object,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    from sihai.applications.models import Document  # noqa: PLC0415

    settings.SIHAI_DOCUMENT_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    resident, _account = family
    url = reverse("applications:counter_upload", args=[resident.pk])
    worker = client_as("cuihu_worker", "en")
    pdf = SimpleUploadedFile("hukou.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    worker.post(url, {"kind": "household_register", "file": pdf})
    assert Document.objects.filter(resident=resident, kind="household_register").count() == 1
    exe = SimpleUploadedFile("id.pdf", b"MZ\x90\x00" * 10, content_type="application/pdf")
    response = worker.post(url, {"kind": "id_card", "file": exe}, follow=True)
    assert "not a PDF, JPEG or PNG" in response.content.decode()
    huge = worker.generic(
        "POST",
        url,
        b"x",
        content_type="multipart/form-data; boundary=b",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert huge.status_code == 302
    assert Document.objects.filter(resident=resident).count() == 1
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert client_as("xiaoba_worker").post(url, {"kind": "photo", "file": pdf}).status_code == 404
    assert Document.objects.filter(resident=resident).count() == 1


def test_the_receipt_falls_back_to_a_built_in_cjk_font(
    family: tuple[Resident, ResidentAccount], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path  # noqa: PLC0415

    from sihai.applications import receipts  # noqa: PLC0415

    resident, account = family
    application = services.application_submit(
        actor=account, resident_id=resident.pk, data=services.SubmitInput("medical_insurance")
    )
    receipts.font_name.cache_clear()
    monkeypatch.setattr(receipts, "FONT_CANDIDATES", [Path("/nonexistent/font.ttc")])
    try:
        assert receipts.font_name() == "STSong-Light"
        pdf = receipts.receipt_pdf(application)
        assert pdf.startswith(b"%PDF")
        assert b"STSong-Light" in pdf
    finally:
        receipts.font_name.cache_clear()


def test_the_counter_sends_the_documents_a_department_asked_for(
    family: tuple[Resident, ResidentAccount],
    client_as: Callable[..., Client],
    settings: object,
    tmp_path: object,
) -> None:
    from sihai.accounts.models import User  # noqa: PLC0415

    settings.SIHAI_DOCUMENT_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    resident, account = family
    application = services.application_submit(
        actor=account, resident_id=resident.pk, data=services.SubmitInput("medical_insurance")
    )
    part = application.parts.get()
    services.part_decide(
        actor=User.objects.get(username="insurance_city"),
        part_id=part.pk,
        decision="more_documents",
        reason="请补充居住证。",
    )
    worker = client_as("cuihu_worker")
    page = worker.get(reverse("applications:counter_resident", args=[resident.pk]))
    assert "请补充居住证。" in page.content.decode()
    document = services.document_upload(
        actor=User.objects.get(username="cuihu_worker"),
        resident_id=resident.pk,
        kind="residence_permit",
        data=b"%PDF-1.4\n%%EOF\n",
    )
    url = reverse("applications:counter_supply", args=[application.pk])
    assert worker.post(url, {"documents": [str(document.pk)]}).status_code == 302
    part.refresh_from_db()
    application.refresh_from_db()
    assert (part.state, application.state) == ("pending", "in_review")
    assert application.documents.filter(pk=document.pk).exists()
