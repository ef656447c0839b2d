"""Corrections, moves, households with the guardian's consent, deletion requests and erasure."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from sihai.accounts.models import ResidentAccount, User
from sihai.audit.models import AuditEntry
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.residents import selectors, services
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
WUHUASHAN = "530102001003"  # the same subdistrict (Huashan), another community
XIAOBA = "530103004001"  # Panlong district


def _audit() -> int:
    return AuditEntry.objects.count()


def _child(**overrides: object) -> services.MemberInput:
    values: dict[str, object] = {
        "relationship": "child",
        "name": "小明",
        "birth_date": timezone.localdate() - datetime.timedelta(days=365 * 8),
        "gender": "male",
        "school_stage": "primary",
        "school_name": "翠湖小学",
    }
    values.update(overrides)
    return services.MemberInput(**values)  # type: ignore[arg-type]


# --- corrections (PIPL art. 46) --------------------------------------------------------


def test_the_resident_corrects_their_own_details() -> None:
    resident, account = resident_with_account(CUIHU, address="旧地址")
    services.resident_update(
        actor=account,
        resident_id=resident.pk,
        changes={"address": "翠湖南路 12 号", "occupation": "courier"},
    )
    resident.refresh_from_db()
    assert (resident.address, resident.occupation) == ("翠湖南路 12 号", "courier")
    entry = AuditEntry.objects.get(action="residents.corrected")
    assert entry.changes["address"] == {"changed": "(encrypted value changed)"}
    assert entry.changes["occupation"] == {"from": "other", "to": "courier"}
    assert "翠湖南路" not in str(entry.changes)


def test_a_resident_cannot_change_their_sign_in_phone_or_someone_else() -> None:
    resident, account = resident_with_account(CUIHU)
    other, _ = resident_with_account(CUIHU)
    before = _audit()
    with pytest.raises(InvalidInput) as refused:
        services.resident_update(
            actor=account, resident_id=resident.pk, changes={"phone": "13900000099"}
        )
    assert refused.value.code == "resident.not_correctable"
    with pytest.raises(NotFound):
        services.resident_update(actor=account, resident_id=other.pk, changes={"address": "x"})
    assert _audit() == before
    other.refresh_from_db()
    assert other.address == ""


def test_staff_correct_with_a_reason_and_only_in_their_area(
    persona: Callable[[str], User],
) -> None:
    resident = resident_in(CUIHU)
    with pytest.raises(InvalidInput) as no_reason:
        services.resident_update(
            actor=persona("cuihu_worker"),
            resident_id=resident.pk,
            changes={"phone": "139 0000 0001"},
        )
    assert no_reason.value.code == "resident.reason"
    before = _audit()
    with pytest.raises(NotFound):
        services.resident_update(
            actor=persona("xiaoba_worker"),
            resident_id=resident.pk,
            changes={"phone": "13900000001"},
            reason="showed ID",
        )
    with pytest.raises(NotFound):
        # District officers find residents but correct nothing (the counter's job).
        services.resident_update(
            actor=persona("wuhua_officer"),
            resident_id=resident.pk,
            changes={"phone": "13900000001"},
            reason="showed ID",
        )
    assert _audit() == before
    services.resident_update(
        actor=persona("cuihu_worker"),
        resident_id=resident.pk,
        changes={"phone": "139-0000-0001"},
        reason="the resident's new number",
    )
    resident.refresh_from_db()
    assert resident.phone == "+8613900000001"
    assert AuditEntry.objects.get(action="residents.corrected").changes["reason"] == (
        "the resident's new number"
    )


def test_a_correction_to_an_id_number_already_registered_is_refused(
    persona: Callable[[str], User],
) -> None:
    resident_in(CUIHU, id_number="11010519491231002X")
    resident = resident_in(CUIHU, name="另一人", birth_date=datetime.date(1949, 12, 31))
    before = _audit()
    with pytest.raises(InvalidInput) as refused:
        services.resident_update(
            actor=persona("cuihu_worker"),
            resident_id=resident.pk,
            changes={"id_number": "11010519491231002x"},
            reason="typed from the card",
        )
    assert refused.value.code == "resident.duplicate_id"
    assert _audit() == before
    resident.refresh_from_db()
    assert resident.id_number is None


def test_a_correction_with_an_impossible_value_writes_nothing() -> None:
    resident, account = resident_with_account(CUIHU, address="旧地址")
    with pytest.raises(InvalidInput):
        services.resident_update(
            actor=account,
            resident_id=resident.pk,
            changes={"address": "新地址", "birth_date": datetime.date(1850, 1, 1)},
        )
    resident.refresh_from_db()
    assert resident.address == "旧地址"


# --- moves within the city -------------------------------------------------------------


def test_a_move_changes_whose_area_the_record_is_in(persona: Callable[[str], User]) -> None:
    resident = resident_in(CUIHU, address="翠湖西路 1 号")
    move = services.resident_move(
        actor=persona("cuihu_worker"),
        resident_id=resident.pk,
        to_community_code=XIAOBA,
        moved_on=datetime.date(2026, 10, 1),
        address="小坝路 8 号",
    )
    assert (move.from_community_id, move.to_community_id) == (CUIHU, XIAOBA)
    resident.refresh_from_db()
    assert (resident.community_id, resident.address) == (XIAOBA, "小坝路 8 号")
    with pytest.raises(NotFound):
        selectors.resident_get_for_actor(
            actor=persona("cuihu_worker"), resident_id=resident.pk, purpose="counter_visit"
        )
    opened = selectors.resident_get_for_actor(
        actor=persona("xiaoba_worker"), resident_id=resident.pk, purpose="counter_visit"
    )
    assert [(m.from_community_id, m.to_community_id) for m in selectors.moves_of(opened)] == [
        (CUIHU, XIAOBA)
    ]
    entry = AuditEntry.objects.get(action="residents.moved")
    assert entry.changes["community"] == {"from": CUIHU, "to": XIAOBA}
    assert "小坝路" not in str(entry.changes)


@pytest.mark.parametrize(
    ("target", "code"),
    [
        (CUIHU, "resident.move_same"),
        ("530102001", "resident.move_target"),  # a subdistrict, not a community
        ("530102999999", "resident.move_target"),  # no such community
    ],
)
def test_a_move_to_nowhere_is_refused(
    persona: Callable[[str], User], target: str, code: str
) -> None:
    resident = resident_in(CUIHU)
    with pytest.raises(InvalidInput) as refused:
        services.resident_move(
            actor=persona("cuihu_worker"), resident_id=resident.pk, to_community_code=target
        )
    assert refused.value.code == code
    assert not ResidenceChange.objects.exists()


def test_a_move_out_of_scope_is_not_found_and_writes_nothing(
    persona: Callable[[str], User],
) -> None:
    resident = resident_in(CUIHU)
    with pytest.raises(NotFound):
        services.resident_move(
            actor=persona("xiaoba_worker"), resident_id=resident.pk, to_community_code=XIAOBA
        )
    resident.refresh_from_db()
    assert resident.community_id == CUIHU
    assert not ResidenceChange.objects.exists()


def test_the_resident_records_their_own_move() -> None:
    resident, account = resident_with_account(CUIHU)
    services.resident_move(actor=account, resident_id=resident.pk, to_community_code=WUHUASHAN)
    resident.refresh_from_db()
    assert resident.community_id == WUHUASHAN
    assert ResidenceChange.objects.get().recorded_by is None


# --- households and the guardian's consent ---------------------------------------------


def test_a_child_under_14_needs_the_guardians_consent() -> None:
    resident, account = resident_with_account(CUIHU)
    before = _audit()
    with pytest.raises(InvalidInput) as refused:
        services.household_member_add(actor=account, resident_id=resident.pk, data=_child())
    assert refused.value.code == "member.guardian_consent"
    assert not HouseholdMember.objects.exists()
    assert _audit() == before
    child = services.household_member_add(
        actor=account, resident_id=resident.pk, data=_child(), guardian_agrees=True
    )
    consent = Consent.objects.get(purpose="minor_data")
    assert (consent.member, consent.channel) == (child, "portal")
    assert AuditEntry.objects.get(action="residents.member_added").changes["guardian_consent"]


def test_at_the_counter_the_guardians_signed_form_is_recorded(
    persona: Callable[[str], User],
) -> None:
    resident = resident_in(CUIHU)
    with pytest.raises(InvalidInput):
        services.household_member_add(
            actor=persona("cuihu_worker"), resident_id=resident.pk, data=_child()
        )
    child = services.household_member_add(
        actor=persona("cuihu_worker"),
        resident_id=resident.pk,
        data=_child(),
        guardian_evidence="监护人同意书 2026-017",
    )
    consent = Consent.objects.get(member=child)
    assert (consent.channel, consent.evidence) == ("counter", "监护人同意书 2026-017")
    assert consent.recorded_by == persona("cuihu_worker")


def test_an_adult_member_needs_no_guardian_consent() -> None:
    resident, account = resident_with_account(CUIHU)
    services.household_member_add(
        actor=account,
        resident_id=resident.pk,
        data=_child(relationship="spouse", name="配偶", birth_date=datetime.date(1991, 2, 3)),
    )
    assert HouseholdMember.objects.count() == 1
    assert not Consent.objects.filter(purpose="minor_data").exists()


def test_withdrawing_the_guardian_consent_erases_the_child() -> None:
    resident, account = resident_with_account(CUIHU)
    child = services.household_member_add(
        actor=account,
        resident_id=resident.pk,
        data=_child(id_number=""),
        guardian_agrees=True,
    )
    consent = Consent.objects.get(member=child)
    services.consent_withdraw(actor=account, consent_id=consent.pk)
    assert not HouseholdMember.objects.filter(pk=child.pk).exists()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"name": ""}, "member.name"),
        ({"relationship": "cousin-in-law"}, "member.choice"),
        ({"birth_date": datetime.date(2999, 1, 1)}, "member.birth_date"),
        ({"id_number": "110105201501010011", "birth_date": datetime.date(2016, 1, 1)}, None),
    ],
)
def test_bad_member_details_write_nothing(overrides: dict[str, object], code: str | None) -> None:
    resident, account = resident_with_account(CUIHU)
    with pytest.raises(InvalidInput) as refused:
        services.household_member_add(
            actor=account, resident_id=resident.pk, data=_child(**overrides), guardian_agrees=True
        )
    if code:
        assert refused.value.code == code
    assert not HouseholdMember.objects.exists()
    assert not Consent.objects.filter(purpose="minor_data").exists()


def test_another_households_member_is_not_found(persona: Callable[[str], User]) -> None:
    resident, account = resident_with_account(CUIHU)
    child = services.household_member_add(
        actor=account, resident_id=resident.pk, data=_child(), guardian_agrees=True
    )
    _, stranger = resident_with_account(CUIHU)
    for actor in (stranger, persona("xiaoba_worker")):
        with pytest.raises(NotFound):
            services.household_member_remove(actor=actor, member_id=child.pk)
    assert HouseholdMember.objects.filter(pk=child.pk).exists()


# --- deletion requests and erasure (PIPL art. 47) --------------------------------------


def test_a_deletion_request_is_due_in_15_days_and_filed_once() -> None:
    _resident, account = resident_with_account(CUIHU)
    request = services.deletion_request_file(account=account, reason="我回老家了")
    assert request.due_on == timezone.localdate() + datetime.timedelta(days=15)
    with pytest.raises(InvalidInput) as again:
        services.deletion_request_file(account=account)
    assert again.value.code == "deletion.pending"
    assert DeletionRequest.objects.count() == 1


def test_granting_erases_identifying_fields_and_keeps_statistics(
    persona: Callable[[str], User],
) -> None:
    resident, account = resident_with_account(
        CUIHU,
        name="马燕",
        id_number="11010519491231002X",
        birth_date=datetime.date(1949, 12, 31),
        address="翠湖西路 3 号",
        occupation="delivery_rider",
        gender="female",
        origin_code="532901",
    )
    services.consent_grant(actor=account, resident=resident, purpose="sensitive_categories")
    services.resident_declare_sensitive(account=account, ethnicity_code="03", religion="伊斯兰教")
    services.household_member_add(
        actor=account, resident_id=resident.pk, data=_child(), guardian_agrees=True
    )
    request = services.deletion_request_file(account=account)
    services.deletion_request_decide(
        actor=persona("huashan_officer"), request_id=request.pk, grant=True
    )
    resident.refresh_from_db()
    assert (resident.name, resident.phone, resident.id_number, resident.address) == (
        "",
        None,
        None,
        "",
    )
    assert (resident.ethnicity, resident.religion, resident.id_number_index) == (None, None, None)
    assert resident.erased_at is not None
    # What stays feeds suppressed statistics only.
    assert (resident.community_id, resident.gender, resident.occupation) == (
        CUIHU,
        "female",
        "delivery_rider",
    )
    assert (resident.birth_date, resident.origin_code) == (datetime.date(1949, 1, 1), "53")
    assert not HouseholdMember.objects.exists()
    assert not ResidentAccount.objects.filter(pk=account.pk).exists()
    assert not Consent.objects.filter(resident=resident, withdrawn_at__isnull=True).exists()
    request.refresh_from_db()
    assert (request.state, request.decided_by) == ("erased", persona("huashan_officer"))
    with pytest.raises(NotFound):
        selectors.resident_get_for_actor(
            actor=persona("cuihu_worker"), resident_id=resident.pk, purpose="counter_visit"
        )
    erased = AuditEntry.objects.get(action="residents.erased")
    assert "马燕" not in str(erased.changes)


def test_a_refusal_needs_reasons_and_the_resident_reads_them(
    persona: Callable[[str], User],
) -> None:
    resident, account = resident_with_account(CUIHU)
    request = services.deletion_request_file(account=account)
    before = _audit()
    with pytest.raises(InvalidInput) as bare:
        services.deletion_request_decide(
            actor=persona("huashan_officer"), request_id=request.pk, grant=False
        )
    assert bare.value.code == "deletion.reason"
    assert _audit() == before
    services.deletion_request_decide(
        actor=persona("huashan_officer"),
        request_id=request.pk,
        grant=False,
        refusal_reason="您孩子的入学申请尚在办理，需保留到办结。",
    )
    (mine,) = selectors.deletion_requests_of(resident)
    assert (mine.state, mine.refusal_reason) == (
        "refused",
        "您孩子的入学申请尚在办理，需保留到办结。",
    )
    with pytest.raises(InvalidInput) as twice:
        services.deletion_request_decide(
            actor=persona("huashan_officer"), request_id=request.pk, grant=True
        )
    assert twice.value.code == "deletion.decided"
    resident.refresh_from_db()
    assert resident.erased_at is None


@pytest.mark.parametrize("who", ["cuihu_worker", "lianmeng_officer", "panlong_officer", "secadmin"])
def test_deletion_is_decided_only_above_the_community_and_in_scope(
    persona: Callable[[str], User], who: str
) -> None:
    _resident, account = resident_with_account(CUIHU)
    request = services.deletion_request_file(account=account)
    before = _audit()
    with pytest.raises(NotFound):
        services.deletion_request_decide(actor=persona(who), request_id=request.pk, grant=True)
    assert _audit() == before
    request.refresh_from_db()
    assert request.state == "pending"
    assert selectors.deletion_queue_for_actor(actor=persona(who)) == []


def test_the_queue_puts_the_nearest_deadline_first(persona: Callable[[str], User]) -> None:
    first = resident_with_account(CUIHU)[1]
    second = resident_with_account(WUHUASHAN)[1]
    late = services.deletion_request_file(account=first)
    early = services.deletion_request_file(account=second)
    DeletionRequest.objects.filter(pk=early.pk).update(due_on=datetime.date(2026, 1, 1))
    queue = selectors.deletion_queue_for_actor(actor=persona("wuhua_officer"))
    assert [r.pk for r in queue] == [early.pk, late.pk]


def test_the_resident_withdraws_a_pending_request() -> None:
    _resident, account = resident_with_account(CUIHU)
    request = services.deletion_request_file(account=account)
    services.deletion_request_withdraw(account=account, request_id=request.pk)
    request.refresh_from_db()
    assert request.state == "withdrawn"
    with pytest.raises(NotFound):
        services.deletion_request_withdraw(account=account, request_id=request.pk)


def test_an_erased_record_is_not_in_search_results(persona: Callable[[str], User]) -> None:
    resident, account = resident_with_account(CUIHU, name="王芳")
    request = services.deletion_request_file(account=account)
    services.deletion_request_decide(
        actor=persona("wuhua_officer"), request_id=request.pk, grant=True
    )
    assert Resident.objects.filter(pk=resident.pk).exists()
    found = selectors.resident_search_for_actor(
        actor=persona("cuihu_worker"), name="王芳", birth_date=datetime.date(1990, 5, 4)
    )
    assert found == []


# --- consent gates every use -----------------------------------------------------------


def test_after_withdrawal_the_record_opens_only_with_the_resident_present(
    persona: Callable[[str], User],
) -> None:
    resident, account = resident_with_account(CUIHU)
    consent = Consent.objects.get(resident=resident, purpose="service_delivery")
    services.consent_withdraw(actor=account, consent_id=consent.pk)
    with pytest.raises(NotAllowed) as refused:
        selectors.resident_get_for_actor(
            actor=persona("cuihu_worker"), resident_id=resident.pk, purpose="service_delivery"
        )
    assert refused.value.code == "resident.consent_withdrawn"
    opened = selectors.resident_get_for_actor(
        actor=persona("cuihu_worker"), resident_id=resident.pk, purpose="counter_visit"
    )
    assert opened.pk == resident.pk


def test_staff_record_consent_only_in_their_area(persona: Callable[[str], User]) -> None:
    resident = resident_in(CUIHU)
    with pytest.raises(NotFound):
        services.consent_grant(
            actor=persona("xiaoba_worker"),
            resident=resident,
            purpose="event_contact",
            evidence="F-9",
        )
    assert not Consent.objects.filter(purpose="event_contact").exists()
