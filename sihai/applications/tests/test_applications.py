"""Pre-check, one application fanning out to departments, decisions, documents, seats."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sihai.accounts.models import ResidentAccount, User
from sihai.accounts.resident_auth import SESSION_KEY
from sihai.applications import metrics, selectors, services
from sihai.applications.factories import child_of, facts_for, officer
from sihai.applications.models import (
    Application,
    ApplicationPart,
    ApplicationType,
    Document,
    Event,
)
from sihai.audit.models import AccessLogEntry, AuditEntry
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.directory.factories import make_point
from sihai.residents.factories import resident_with_account
from sihai.residents.models import Resident

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"
XIAOBA = "530103004001"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _documents_dir(settings: object, tmp_path: Path) -> None:
    settings.SIHAI_DOCUMENT_ROOT = str(tmp_path / "documents")  # type: ignore[attr-defined]


@pytest.fixture
def parent() -> tuple[Resident, ResidentAccount]:
    resident, account = resident_with_account(
        CUIHU, name="阿依", arrival_date=datetime.date(2023, 1, 1)
    )
    facts_for(resident)
    return resident, account


def _snapshot() -> tuple[int, int, int, int]:
    return (
        Application.objects.count(),
        ApplicationPart.objects.filter(state__in=["approved", "rejected"]).count(),
        AuditEntry.objects.count(),
        Event.objects.count(),
    )


def _school(community: str = "530102001002", name: str = "五华区测试小学") -> str:
    return str(make_point(kind="school", community=community, name=name).pk)


def test_precheck_says_likely_eligible_why_not_and_what_to_bring(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    resident, _account = parent
    child_of(resident, age=8, name="阿力")
    child_of(resident, age=30, name="大哥")
    verdicts = {(v.type.code, v.member_name): v for v in selectors.precheck(resident)}
    assert verdicts[("school_seat", "阿力")].eligible
    too_old = verdicts[("school_seat", "大哥")]
    assert not too_old.eligible
    assert any("6" in why and "15" in why for why in too_old.why_not)
    assert verdicts[("medical_insurance", "")].eligible
    assert not verdicts[("residence_permit", "")].eligible  # already holds one
    assert "Resident identity card" in " ".join(verdicts[("school_seat", "阿力")].bring) or (
        "身份证" in " ".join(verdicts[("school_seat", "阿力")].bring)
    )


def test_school_seat_end_to_end_the_bureau_assigns_a_seat_the_parent_sees_it(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    resident, account = parent
    child = child_of(resident, age=8)
    school = _school()
    application = services.application_submit(
        actor=account,
        resident_id=resident.pk,
        data=services.SubmitInput("school_seat", member_id=child.pk, school_id=school),
    )
    part = application.parts.get()
    assert (part.department.code, part.state, application.state) == (
        "education",
        "pending",
        "in_review",
    )
    assert part.due_on is not None
    assert part.due_on.weekday() < 5
    edu = User.objects.get(username="edu_wuhua")
    assert [p.pk for p in selectors.queue_for_actor(actor=edu)] == [part.pk]
    services.part_decide(actor=edu, part_id=part.pk, decision="approve", seat_school_id=school)
    application.refresh_from_db()
    assert application.state == "approved"
    mine = selectors.application_own_get(account=account, application_id=application.pk)
    assert str(mine.parts.get().seat_school_id) == school
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"applications.submitted", "applications.part_approved"} <= actions
    assert Event.objects.filter(application=application).count() == 2


def test_a_child_whose_birth_date_makes_them_30_is_refused(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    resident, account = parent
    child = child_of(resident, age=30)
    before = _snapshot()
    with pytest.raises(InvalidInput) as error:
        services.application_submit(
            actor=account,
            resident_id=resident.pk,
            data=services.SubmitInput("school_seat", member_id=child.pk, school_id=_school()),
        )
    assert error.value.code == "application.not_school_age"
    assert _snapshot()[0] == before[0]


def test_an_ineligible_resident_is_told_why_and_nothing_is_written(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    resident, account = parent
    facts_for(resident, insurance="employee")
    before = _snapshot()
    with pytest.raises(InvalidInput) as error:
        services.application_submit(
            actor=account, resident_id=resident.pk, data=services.SubmitInput("medical_insurance")
        )
    assert error.value.code == "application.not_eligible"
    assert _snapshot() == before


def _fanout(parent: tuple[Resident, ResidentAccount]) -> Application:
    resident, account = parent
    facts_for(resident, employment="seeking")
    return services.application_submit(
        actor=account, resident_id=resident.pk, data=services.SubmitInput("employment_assistance")
    )


def test_one_application_a_part_per_department_decided_when_all_are(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    application = _fanout(parent)
    hr = officer("hr_wuhua", "530102", "human_resources")
    civil = officer("civil_wuhua", "530102", "civil_affairs")
    hr_part = application.parts.get(department__code="human_resources")
    civil_part = application.parts.get(department__code="civil_affairs")
    services.part_decide(actor=hr, part_id=hr_part.pk, decision="approve")
    application.refresh_from_db()
    assert application.state == "in_review"
    services.part_decide(
        actor=civil, part_id=civil_part.pk, decision="reject", reason="家庭收入高于困难标准。"
    )
    application.refresh_from_db()
    assert application.state == "rejected"
    assert application.decided_at is not None


def test_a_department_deciding_a_part_that_is_not_theirs_is_not_found_nothing_written(
    parent: tuple[Resident, ResidentAccount], persona: Callable[[str], User]
) -> None:
    application = _fanout(parent)
    civil_part = application.parts.get(department__code="civil_affairs")
    hr = officer("hr_wuhua", "530102", "human_resources")
    hr_panlong = officer("civil_panlong", "530103", "civil_affairs")
    before = _snapshot()
    for actor in (hr, hr_panlong, persona("edu_wuhua"), persona("wuhua_officer")):
        with pytest.raises(NotFound):
            services.part_decide(actor=actor, part_id=civil_part.pk, decision="approve")
    assert _snapshot() == before
    civil_part.refresh_from_db()
    assert civil_part.state == "pending"


def test_a_second_decision_on_a_decided_part_is_refused(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    application = _fanout(parent)
    hr = officer("hr_wuhua", "530102", "human_resources")
    part = application.parts.get(department__code="human_resources")
    services.part_decide(actor=hr, part_id=part.pk, decision="approve")
    before = _snapshot()
    with pytest.raises(NotAllowed) as error:
        services.part_decide(actor=hr, part_id=part.pk, decision="reject", reason="改主意")
    assert error.value.code == "application.part_decided"
    assert _snapshot() == before


def test_sequential_departments_and_asking_for_more_documents(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    resident, account = parent
    application = services.application_submit(
        actor=account, resident_id=resident.pk, data=services.SubmitInput("rental_housing")
    )
    hr_part = application.parts.get(department__code="human_resources")
    housing_part = application.parts.get(department__code="housing")
    assert (hr_part.state, housing_part.state) == ("pending", "waiting")
    housing = officer("housing_wuhua", "530102", "housing")
    with pytest.raises(NotAllowed):
        services.part_decide(actor=housing, part_id=housing_part.pk, decision="approve")
    hr = officer("hr_wuhua", "530102", "human_resources")
    services.part_decide(
        actor=hr, part_id=hr_part.pk, decision="more_documents", reason="请补充社保缴费记录。"
    )
    application.refresh_from_db()
    assert application.state == "needs_documents"
    document = services.document_upload(
        actor=account, resident_id=resident.pk, kind="social_insurance", data=PDF
    )
    services.documents_supplied(
        actor=account, application_id=application.pk, document_ids=[document.pk]
    )
    hr_part.refresh_from_db()
    assert hr_part.state == "pending"
    services.part_decide(actor=hr, part_id=hr_part.pk, decision="approve")
    housing_part.refresh_from_db()
    assert housing_part.state == "pending"
    assert housing_part.due_on is not None
    services.part_decide(actor=housing, part_id=housing_part.pk, decision="approve")
    application.refresh_from_db()
    assert application.state == "approved"


def test_documents_are_encrypted_on_disk_type_checked_and_reused(
    parent: tuple[Resident, ResidentAccount], settings: object
) -> None:
    resident, account = parent
    document = services.document_upload(
        actor=account, resident_id=resident.pk, kind="id_card", data=PDF, original_name="id.pdf"
    )
    stored = (Path(settings.SIHAI_DOCUMENT_ROOT) / document.storage_name).read_bytes()  # type: ignore[attr-defined]
    assert PDF not in stored
    assert stored.startswith(b"e1b$")
    again = services.document_upload(
        actor=account, resident_id=resident.pk, kind="id_card", data=PDF
    )
    assert again.pk == document.pk
    before = Document.objects.count(), AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.document_upload(
            actor=account,
            resident_id=resident.pk,
            kind="id_card",
            data=b"MZ\x90\x00" + b"\x00" * 100,
            original_name="id.pdf",
        )
    assert error.value.code == "document.type"
    assert (Document.objects.count(), AuditEntry.objects.count()) == before


def test_a_200_mb_upload_is_refused_from_its_declared_length(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    _resident, account = parent
    client = Client(enforce_csrf_checks=True)
    session = client.session
    session[SESSION_KEY] = account.pk
    session.save()
    response = client.generic(
        "POST",
        reverse("applications_me:documents"),
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "MB" in response.content.decode()
    assert Document.objects.count() == 0


def test_a_document_is_served_only_through_the_authorised_view_and_logged(
    parent: tuple[Resident, ResidentAccount], client_as: Callable[[str], Client]
) -> None:
    resident, account = parent
    document = services.document_upload(
        actor=account, resident_id=resident.pk, kind="id_card", data=PDF
    )
    child = child_of(resident, age=8)
    services.application_submit(
        actor=account,
        resident_id=resident.pk,
        data=services.SubmitInput(
            "school_seat", member_id=child.pk, school_id=_school(), document_ids=(document.pk,)
        ),
    )
    url = reverse("applications:document", args=[document.pk])
    response = client_as("edu_wuhua").get(url)
    assert response.status_code == 200
    assert response.content == PDF
    assert any(
        e.fields == ["document.id_card"]
        for e in AccessLogEntry.objects.filter(subject_id=str(resident.pk))
    )
    assert client_as("insurance_city").get(url).status_code == 404
    assert client_as("xiaoba_worker").get(url).status_code == 404


def test_a_rule_with_an_unknown_field_is_refused_when_saved(persona: Callable[[str], User]) -> None:
    kind = ApplicationType.objects.get(code="medical_insurance")
    data = services.TypeInput(
        name_zh=kind.name_zh,
        name_en=kind.name_en,
        summary_zh="",
        summary_en="",
        conditions_text="resident.age >= 0 | 任何人 | anyone\nresident.salary > 1 | 收入 | income",
        documents=["id_card"],
        departments=["medical_insurance"],
        sequential=False,
        decide_within_days=5,
        active=True,
    )
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.application_type_update(actor=persona("city_officer"), type_id=kind.pk, data=data)
    assert "Line 2, column 1" in str(error.value.message) or "第 2 行" in str(error.value.message)
    kind.refresh_from_db()
    assert "salary" not in str(kind.conditions)
    assert AuditEntry.objects.count() == before
    with pytest.raises(NotFound):
        services.application_type_update(actor=persona("wuhua_officer"), type_id=kind.pk, data=data)
    data.conditions_text = "resident.age >= 18 | 需年满18岁 | 18 or older"
    services.application_type_update(actor=persona("city_officer"), type_id=kind.pk, data=data)
    kind.refresh_from_db()
    assert kind.conditions[0]["rule"] == "resident.age >= 18"


def test_counter_staff_outside_the_area_cannot_apply_for_a_resident(
    parent: tuple[Resident, ResidentAccount], persona: Callable[[str], User]
) -> None:
    resident, _account = parent
    before = _snapshot()
    with pytest.raises(NotFound):
        services.application_submit(
            actor=persona("xiaoba_worker"),
            resident_id=resident.pk,
            data=services.SubmitInput("medical_insurance"),
        )
    assert _snapshot() == before
    application = services.application_submit(
        actor=persona("cuihu_worker"),
        resident_id=resident.pk,
        data=services.SubmitInput("medical_insurance"),
    )
    assert application.submitted_via == "counter"


def test_seat_share_per_district_is_a_pure_function() -> None:
    rows = [
        metrics.ChildRow("530102", 8, True),
        metrics.ChildRow("530102", 9, False),
        metrics.ChildRow("530102", 30, False),
        metrics.ChildRow("530103", 12, True),
    ]
    shares = metrics.seat_share_by_district(rows)
    assert shares["530102"].share == 0.5
    assert shares["530103"].share == 1.0
    assert metrics.seat_share_by_district([]) == {}


def test_an_approved_residence_permit_is_held_by_the_platform_afterwards(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    resident, account = parent
    facts_for(resident, has_residence_permit=False)
    application = services.application_submit(
        actor=account, resident_id=resident.pk, data=services.SubmitInput("residence_permit")
    )
    police = officer("police_wuhua", "530102", "public_security")
    services.part_decide(actor=police, part_id=application.parts.get().pk, decision="approve")
    verdicts = {v.type.code: v for v in selectors.precheck(resident)}
    assert not verdicts["residence_permit"].eligible
    assert any("居住证" in h or "Residence permit" in h for h in verdicts["medical_insurance"].held)
    entry = AuditEntry.objects.filter(action="applications.part_approved").latest("seq")
    assert entry.changes["facts"] == {"has_residence_permit": True}


def test_erasing_a_resident_deletes_their_documents_and_files(
    parent: tuple[Resident, ResidentAccount],
    persona: Callable[[str], User],
    settings: object,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    from sihai.residents.services.deletion import resident_erase  # noqa: PLC0415

    resident, account = parent
    document = services.document_upload(
        actor=account, resident_id=resident.pk, kind="id_card", data=PDF
    )
    child = child_of(resident, age=8)
    application = services.application_submit(
        actor=account,
        resident_id=resident.pk,
        data=services.SubmitInput("school_seat", member_id=child.pk, school_id=_school()),
    )
    path = Path(settings.SIHAI_DOCUMENT_ROOT) / document.storage_name  # type: ignore[attr-defined]
    assert path.exists()
    from django.db import transaction  # noqa: PLC0415

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # type: ignore[attr-defined]
        resident_erase(actor=persona("huashan_officer"), resident=resident)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    application.refresh_from_db()
    assert application.member_id is None
    assert application.type.code == "school_seat"


def test_the_resident_is_told_by_sms_through_the_outbox_once_per_event(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    from sihai.notifications.models import Notification  # noqa: PLC0415

    resident, _account = parent
    Resident.objects.filter(pk=resident.pk).update(phone="13900000099")
    application = _fanout(parent)
    hr = officer("hr_wuhua", "530102", "human_resources")
    civil = officer("civil_wuhua", "530102", "civil_affairs")
    for who, code in ((hr, "human_resources"), (civil, "civil_affairs")):
        part = application.parts.get(department__code=code)
        services.part_decide(actor=who, part_id=part.pk, decision="approve")
    sent = Notification.objects.filter(key__startswith=f"application:{application.reference}:")
    # Received, then one message per department's decision (two approvals, not one).
    assert sent.count() == 3
    assert {n.recipient for n in sent} == {"13900000099"}
    assert all(application.reference in n.body for n in sent)


def test_deadlines_skip_the_national_day_holiday() -> None:
    from sihai.applications.deadlines import add_working_days  # noqa: PLC0415

    # 2026-09-30 (Wed) + 1 working day: 1–7 October are the National Day holiday.
    assert add_working_days(datetime.date(2026, 9, 30), 1) > datetime.date(2026, 10, 7)


def test_school_seat_share_counts_children_aged_6_to_15_on_the_cutoff(
    parent: tuple[Resident, ResidentAccount],
) -> None:
    """The share's base is the children aged 6–15 on 31 August; a seat counts once approved."""
    from sihai.applications.eligibility import school_year_cutoff  # noqa: PLC0415
    from sihai.reporting.registry import Measure, Query, indicator  # noqa: PLC0415
    from sihai.residents.models import HouseholdMember  # noqa: PLC0415

    resident, account = parent
    cutoff = school_year_cutoff(timezone.localdate())

    def born(years: int, days: int = 0) -> datetime.date:
        return cutoff.replace(year=cutoff.year - years) + datetime.timedelta(days=days)

    seated = child_of(resident, age=8)
    for when in (born(6), born(16, 1), born(10)):  # 6 on the day, 15 for one more day, 10
        HouseholdMember.objects.create(
            resident=resident, relationship="child", name="孩子", birth_date=when
        )
    for when in (born(6, 1), born(16)):  # 5 on the day, 16 on the day: not of school age
        HouseholdMember.objects.create(
            resident=resident, relationship="child", name="不算", birth_date=when
        )
    school = _school()
    application = services.application_submit(
        actor=account,
        resident_id=resident.pk,
        data=services.SubmitInput("school_seat", member_id=seated.pk, school_id=school),
    )
    edu = User.objects.get(username="edu_wuhua")
    share = indicator("applications.school_seat_share")
    assert share is not None
    month = timezone.localdate().replace(day=1)
    query = Query(area="5301", group_len=6, months=(month,))
    (before,) = share.compute(query).values()
    assert (before.value, before.base) == (0.0, 4)
    part = application.parts.get()
    services.part_decide(actor=edu, part_id=part.pk, decision="approve", seat_school_id=school)
    assert share.compute(query) == {("530102", "", month): Measure(1.0, 4, 4.0)}
    assert share.compute(Query(area="530103", group_len=9, months=(month,))) == {}
