"""Intake, workflow, referrals, SLA: writes with timeline and audit; refusals write nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from sihai.accounts.models import User
from sihai.audit.models import AuditEntry
from sihai.cases import selectors, services
from sihai.cases.factories import request_in
from sihai.cases.models import Channel, Referral, RequestEvent, ServiceRequest
from sihai.cases.services import RequestInput, RequestInvalid
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.residents.factories import resident_with_account
from sihai.residents.models import Consent

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"
XIAOBA = "530103004001"


def _counts() -> tuple[int, int, int]:
    return ServiceRequest.objects.count(), RequestEvent.objects.count(), AuditEntry.objects.count()


def test_a_resident_submits_and_gets_a_reference_deadlines_and_a_timeline() -> None:
    resident, account = resident_with_account(CUIHU)
    request, code = services.request_submit(
        actor=account,
        data=RequestInput(
            category_code="policy_question",
            description="孩子入学需要哪些材料？",
            attributes={"topic": "schooling"},
        ),
        channel=Channel.PORTAL,
    )
    assert code == ""
    assert request.reference.startswith("KM-20")
    assert len(request.reference) == len("KM-2026-000123")
    assert request.community_id == CUIHU
    assert request.resident == resident
    assert request.department_code == ""
    assert request.state == "submitted"
    assert request.response_due > request.submitted_at
    assert request.resolution_due > request.response_due
    assert request.due_at == request.response_due
    event = RequestEvent.objects.get(request=request)
    assert (event.kind, event.to_state, event.community_code, event.category_code) == (
        "submitted",
        "submitted",
        CUIHU,
        "policy_question",
    )
    assert (
        AuditEntry.objects.filter(action="cases.submitted", target_id=str(request.pk)).count() == 1
    )


def test_routing_sends_a_department_category_to_the_department() -> None:
    request = request_in(CUIHU, category="school_seat")
    assert request.department_code == "education"


def test_an_anonymous_consultation_is_followed_by_reference_and_code() -> None:
    request, code = services.request_submit(
        actor=None,
        data=RequestInput(
            category_code="policy_question",
            description="医保怎么办？",
            community_code=CUIHU,
            attributes={"topic": "insurance"},
        ),
        channel=Channel.ANONYMOUS,
    )
    assert len(code) == 8
    assert selectors.request_by_follow_up(reference=request.reference, code=code) == request
    with pytest.raises(NotFound):
        selectors.request_by_follow_up(
            reference=request.reference, code="00000000" if code != "00000000" else "1"
        )


def test_the_same_idempotency_key_makes_one_request() -> None:
    _resident, account = resident_with_account(CUIHU)
    data = RequestInput(
        category_code="policy_question",
        description="x",
        attributes={"topic": "housing"},
        idempotency_key="form-123",
    )
    first, _ = services.request_submit(actor=account, data=data, channel=Channel.PORTAL)
    before = _counts()
    second, _ = services.request_submit(actor=account, data=data, channel=Channel.PORTAL)
    assert first.pk == second.pk
    assert _counts() == before


@pytest.mark.parametrize(
    ("category", "description", "attributes", "code"),
    [
        ("no_such_service", "x", {}, "service.not_found"),
        ("policy_question", "x", {}, "attribute.topic"),
        ("application_help", "x", {"services": ["school_seat", "rocket"]}, "attribute.services"),
        ("policy_question", "字" * 4001, {"topic": "other"}, "request.description"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    category: str, description: str, attributes: dict[str, object], code: str
) -> None:
    before = _counts()
    with pytest.raises((RequestInvalid, NotFound)) as caught:
        services.request_submit(
            actor=None,
            data=RequestInput(
                category_code=category,
                description=description,
                community_code=CUIHU,
                attributes=attributes,
            ),
            channel=Channel.ANONYMOUS,
        )
    assert caught.value.code == code
    assert _counts() == before


def test_html_is_stored_as_text_and_a_private_media_url_is_kept_as_a_link() -> None:
    request = request_in(
        CUIHU,
        category="facility_broken",
        description='<script>alert("x")</script><b>ramp</b>',
        media_url="http://127.0.0.1:8080/admin",
    )
    request.refresh_from_db()
    assert request.description == '<script>alert("x")</script><b>ramp</b>'
    assert request.media_url == "http://127.0.0.1:8080/admin"


def test_the_workflow_follows_the_table_and_refuses_illegal_moves(
    persona: Callable[[str], User],
) -> None:
    worker = persona("cuihu_worker")
    request = request_in(CUIHU)
    before = _counts()
    with pytest.raises(InvalidInput) as caught:
        services.request_transition(actor=worker, request_id=request.pk, to_state="closed")
    assert caught.value.code == "request.illegal_move"
    assert _counts() == before
    services.request_transition(actor=worker, request_id=request.pk, to_state="accepted")
    request.refresh_from_db()
    assert request.first_response_at is not None
    assert request.due_at == request.resolution_due
    services.request_transition(
        actor=worker, request_id=request.pk, to_state="resolved", note="答复了"
    )
    request.refresh_from_db()
    assert request.state == "resolved"
    assert request.resolved_at is not None
    assert request.due_at is None
    kinds = list(RequestEvent.objects.filter(request=request).values_list("kind", "to_state"))
    assert kinds == [("submitted", "submitted"), ("moved", "accepted"), ("moved", "resolved")]


def test_out_of_scope_staff_get_not_found_and_write_nothing(persona: Callable[[str], User]) -> None:
    request = request_in(CUIHU)
    before = _counts()
    for username in ("xiaoba_worker", "panlong_officer", "edu_wuhua", "auditadmin"):
        with pytest.raises(NotFound):
            services.request_transition(
                actor=persona(username), request_id=request.pk, to_state="accepted"
            )
    assert _counts() == before


def test_rating_someone_elses_request_is_not_found() -> None:
    _r1, owner = resident_with_account(CUIHU)
    _r2, other = resident_with_account(CUIHU)
    request = request_in(CUIHU, actor=owner, channel=Channel.PORTAL)
    ServiceRequest.objects.filter(pk=request.pk).update(
        state="resolved", resolved_at=request.submitted_at
    )
    with pytest.raises(NotFound):
        services.request_rate(actor=other, request_id=request.pk, rating=5)
    request.refresh_from_db()
    assert request.rating is None
    services.request_rate(actor=owner, request_id=request.pk, rating=4, comment="谢谢")
    rated = ServiceRequest.objects.get(pk=request.pk)
    assert (rated.rating, rated.state) == (4, "closed")
    services.request_reopen(actor=owner, request_id=request.pk, reason="还是没解决")
    request.refresh_from_db()
    assert (request.state, request.rating) == ("reopened", None)


def test_referral_needs_consent_or_an_officers_override(persona: Callable[[str], User]) -> None:
    resident, account = resident_with_account(CUIHU)
    request = request_in(CUIHU, actor=account, channel=Channel.PORTAL)
    worker = persona("cuihu_worker")
    services.request_transition(actor=worker, request_id=request.pk, to_state="accepted")
    before = (Referral.objects.count(), AuditEntry.objects.count())
    with pytest.raises(NotAllowed) as caught:
        services.referral_create(
            actor=worker,
            request_id=request.pk,
            purpose="学位",
            fields=["description", "contact_phone"],
            to_department_code="education",
        )
    assert caught.value.code == "referral.no_consent"
    with pytest.raises(NotAllowed) as caught:
        services.referral_create(
            actor=worker,
            request_id=request.pk,
            purpose="学位",
            fields=["description", "contact_phone"],
            to_department_code="education",
            override_reason="urgent",
        )
    assert caught.value.code == "referral.override_denied"
    assert (Referral.objects.count(), AuditEntry.objects.count()) == before
    # Consent given: the contact details may travel.
    Consent.objects.create(
        resident=resident,
        purpose="department_sharing",
        channel="portal",
        department_id=persona("edu_wuhua").active_assignments()[0].department_id,
    )
    referral = services.referral_create(
        actor=worker,
        request_id=request.pk,
        purpose="学位",
        fields=["description", "contact_phone"],
        to_department_code="education",
    )
    assert referral.consent_basis == "consent"
    assert set(referral.shared) == {"description", "contact_phone"}
    assert referral.to_area_code == "530102"
    # The wrong receiver cannot answer; the addressee can.
    with pytest.raises((NotFound, NotAllowed)):
        services.referral_decide(
            actor=persona("insurance_city"), referral_id=referral.pk, accept=True
        )
    with pytest.raises(NotAllowed):
        services.referral_decide(
            actor=persona("wuhua_officer"), referral_id=referral.pk, accept=True
        )
    with pytest.raises(InvalidInput):
        services.referral_decide(actor=persona("edu_wuhua"), referral_id=referral.pk, accept=False)
    services.referral_decide(actor=persona("edu_wuhua"), referral_id=referral.pk, accept=True)
    request.refresh_from_db()
    assert (request.state, request.department_code) == ("in_progress", "education")


def test_an_officer_overrides_with_a_reason_and_it_is_audited(
    persona: Callable[[str], User],
) -> None:
    request = request_in(CUIHU, contact_phone="+8613900000000")
    officer = persona("huashan_officer")
    services.request_transition(actor=officer, request_id=request.pk, to_state="accepted")
    referral = services.referral_create(
        actor=officer,
        request_id=request.pk,
        purpose="欠薪",
        fields=["contact_phone"],
        to_department_code="human_resources",
        override_reason="工资拖欠，居民电话同意",
    )
    assert referral.consent_basis == "override"
    assert (
        AuditEntry.objects.filter(
            action="cases.consent_overridden", target_id=str(referral.pk)
        ).count()
        == 1
    )


def test_escalation_goes_up_one_level_per_missed_deadline_and_is_idempotent() -> None:
    request = request_in(CUIHU)
    assert request.due_at is not None
    late = request.due_at + datetime.timedelta(days=30)
    assert services.escalation_sweep(now=late) == 1
    assert services.escalation_sweep(now=late) == 0
    request.refresh_from_db()
    assert request.escalation_level == 1
    assert request.unit_code == "530102001"
    assert request.due_at is not None
    assert request.due_at > late
    later = request.due_at + datetime.timedelta(days=30)
    services.escalation_sweep(now=later)
    request.refresh_from_db()
    assert request.unit_code == "530102"
    assert list(
        RequestEvent.objects.filter(request=request, kind="escalated").values_list(
            "note", flat=True
        )
    ) == ["subdistrict", "district"]


def test_inbox_is_scoped_sorted_by_deadline_and_keyset_paginated(
    persona: Callable[[str], User],
) -> None:
    for _ in range(5):
        request_in(CUIHU)
    request_in(XIAOBA)
    worker = persona("cuihu_worker")
    page = selectors.inbox_for_actor(actor=worker, page_size=3)
    assert len(page.rows) == 3
    assert page.next_cursor
    rest = selectors.inbox_for_actor(actor=worker, page_size=3, cursor=page.next_cursor)
    assert len(rest.rows) == 2
    assert rest.next_cursor == ""
    seen = [r.pk for r in page.rows + rest.rows]
    assert len(set(seen)) == 5
    dues = [r.due_at for r in page.rows + rest.rows]
    assert dues == sorted(dues)  # type: ignore[type-var]
    assert all(r.community_id == CUIHU for r in page.rows + rest.rows)
    assert len(selectors.inbox_for_actor(actor=persona("lianmeng_officer")).rows) == 1
