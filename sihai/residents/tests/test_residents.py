"""Registering residents, consent, sensitive categories, and search-first scoped reads."""

import datetime
from collections.abc import Callable

import pytest
from django.db import connection

from sihai.accounts.models import ResidentAccount, User
from sihai.audit.models import AccessLogEntry, AuditEntry
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.residents import selectors, services
from sihai.residents.models import Consent, Purpose, Resident
from sihai.residents.names import normalise_name

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"
ID = "11010519491231002X"


def _input(**overrides: object) -> services.ResidentInput:
    values: dict[str, object] = {
        "name": "阿依·木合塔尔",
        "birth_date": datetime.date(1949, 12, 31),
        "community_code": CUIHU,
        "phone": "139 1234 5678",
        "id_number": ID.lower(),
        "occupation": "delivery_rider",
        "languages": ["维吾尔语", "普通话"],
        "needs": ["halal_food", "language_help"],
    }
    values.update(overrides)
    return services.ResidentInput(**values)  # type: ignore[arg-type]


def _snapshot() -> tuple[int, int, int]:
    return Resident.objects.count(), Consent.objects.count(), AuditEntry.objects.count()


def test_a_worker_registers_a_resident_with_the_signed_form(persona: Callable[[str], User]) -> None:
    resident = services.resident_register(
        actor=persona("cuihu_worker"), data=_input(), consent_evidence="form 2026-0042"
    )
    resident.refresh_from_db()
    assert resident.id_number == ID
    assert resident.phone == "+8613912345678"
    assert resident.registered_via == "assisted"
    consent = Consent.objects.get(resident=resident)
    assert (consent.purpose, consent.channel, consent.evidence) == (
        "service_delivery",
        "counter",
        "form 2026-0042",
    )
    entry = AuditEntry.objects.get(action="residents.registered")
    assert entry.area_code == CUIHU
    assert ID not in str(entry.changes)
    assert "13912345678" not in str(entry.changes)
    assert entry.changes["id_number"] == {"changed": "(encrypted value changed)"}


def test_identifiers_are_encrypted_in_the_table(persona: Callable[[str], User]) -> None:
    services.resident_register(
        actor=persona("cuihu_worker"), data=_input(address="翠湖西路 8 号"), consent_evidence="f1"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number, address FROM residents_resident")
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert "1391234" not in raw
    assert "110105" not in raw
    assert "翠湖" not in raw


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"name": " "}, "resident.name"),
        ({"birth_date": datetime.date(1850, 1, 1)}, "resident.birth_date"),
        ({"id_number": "110105194912310021"}, "id.check_digit"),
        ({"birth_date": datetime.date(1950, 1, 1)}, "resident.id_birth_mismatch"),
        ({"community_code": "530102001"}, "resident.community"),
        ({"community_code": "5301020010xx"}, "area.invalid_code"),
        ({"phone": "12345"}, "phone.invalid"),
        ({"needs": ["jetpack"]}, "resident.needs"),
        ({"arrival_date": datetime.date(1940, 1, 1)}, "resident.arrival_date"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    persona: Callable[[str], User], overrides: dict[str, object], code: str
) -> None:
    before = _snapshot()
    with pytest.raises(InvalidInput) as caught:
        services.resident_register(
            actor=persona("cuihu_worker"), data=_input(**overrides), consent_evidence="f"
        )
    assert caught.value.code == code
    assert _snapshot() == before


def test_the_counter_needs_the_consent_form_reference(persona: Callable[[str], User]) -> None:
    with pytest.raises(InvalidInput, match=r"consent form|同意书"):
        services.resident_register(actor=persona("cuihu_worker"), data=_input())
    assert not Resident.objects.exists()


@pytest.mark.parametrize(
    "who", ["xiaoba_worker", "edu_wuhua", "sysadmin", "secadmin", "wuhua_officer"]
)
def test_only_the_communitys_counter_registers(persona: Callable[[str], User], who: str) -> None:
    before = _snapshot()
    with pytest.raises(NotAllowed):
        services.resident_register(actor=persona(who), data=_input(), consent_evidence="f")
    assert _snapshot() == before


def test_the_same_id_number_is_registered_once(persona: Callable[[str], User]) -> None:
    services.resident_register(actor=persona("cuihu_worker"), data=_input(), consent_evidence="f")
    with pytest.raises(InvalidInput) as caught:
        services.resident_register(
            actor=persona("huashan_officer"), data=_input(name="别名"), consent_evidence="f"
        )
    assert caught.value.code == "resident.duplicate_id"
    assert Resident.objects.count() == 1


def test_without_an_id_number_a_likely_duplicate_asks_for_confirmation(
    persona: Callable[[str], User],
) -> None:
    worker = persona("cuihu_worker")
    services.resident_register(actor=worker, data=_input(id_number=""), consent_evidence="f")
    same = _input(id_number="", name="阿依•木合塔尔")  # another middle dot, same person
    with pytest.raises(services.PossibleDuplicate):
        services.resident_register(actor=worker, data=same, consent_evidence="f")
    services.resident_register(actor=worker, data=same, consent_evidence="f", confirmed_new=True)
    assert Resident.objects.count() == 2


@pytest.mark.parametrize(
    "spelling",
    [
        "阿依·木合塔尔",
        "阿依•木合塔尔",
        "阿依．木合塔尔",
        "阿依‧木合塔尔",
        "阿依・木合塔尔",
        "阿依 · 木合塔尔",
    ],
)
def test_middle_dots_are_one_for_matching(spelling: str) -> None:
    assert normalise_name(spelling) == "阿依·木合塔尔"


def test_self_registration_through_the_portal_account() -> None:
    account = ResidentAccount.objects.create(phone="+8613912345678", created_via="self")
    resident = services.resident_register(actor=account, data=_input())
    assert (resident.registered_via, resident.account) == ("self", account)
    assert Consent.objects.get(resident=resident).channel == "portal"
    with pytest.raises(InvalidInput, match=r"registered already|已经登记"):
        services.resident_register(actor=account, data=_input(id_number=""))


def test_sensitive_categories_need_their_own_consent_and_its_withdrawal_erases_them() -> None:
    account = ResidentAccount.objects.create(phone="+8613912345678", created_via="self")
    resident = services.resident_register(actor=account, data=_input())
    with pytest.raises(NotAllowed):
        services.resident_declare_sensitive(account=account, ethnicity_code="05", religion=None)
    consent = services.consent_grant(
        actor=account, resident=resident, purpose=Purpose.SENSITIVE_CATEGORIES
    )
    with pytest.raises(InvalidInput):
        services.resident_declare_sensitive(account=account, ethnicity_code="99x", religion=None)
    services.resident_declare_sensitive(account=account, ethnicity_code="05", religion="伊斯兰教")
    resident.refresh_from_db()
    assert (resident.ethnicity, resident.religion) == ("05", "伊斯兰教")
    assert "伊斯兰教" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    services.consent_withdraw(actor=account, consent_id=consent.pk)
    resident.refresh_from_db()
    assert (resident.ethnicity, resident.religion) == (None, None)
    assert not services.consent_active(resident, Purpose.SENSITIVE_CATEGORIES)


def test_staff_never_record_sensitive_consent(persona: Callable[[str], User]) -> None:
    resident = services.resident_register(
        actor=persona("cuihu_worker"), data=_input(), consent_evidence="f"
    )
    with pytest.raises(NotAllowed):
        services.consent_grant(
            actor=persona("cuihu_worker"),
            resident=resident,
            purpose=Purpose.SENSITIVE_CATEGORIES,
            evidence="f",
        )


def test_department_sharing_names_the_department(persona: Callable[[str], User]) -> None:
    resident = services.resident_register(
        actor=persona("cuihu_worker"), data=_input(), consent_evidence="f"
    )
    with pytest.raises(InvalidInput):
        services.consent_grant(
            actor=persona("cuihu_worker"),
            resident=resident,
            purpose=Purpose.DEPARTMENT_SHARING,
            evidence="f",
        )
    services.consent_grant(
        actor=persona("cuihu_worker"),
        resident=resident,
        purpose=Purpose.DEPARTMENT_SHARING,
        department_code="education",
        evidence="f2",
    )
    assert services.consent_active(
        resident,
        Purpose.DEPARTMENT_SHARING,
        resident.consents.get(purpose="department_sharing").department,
    )


def test_search_is_by_key_only_and_scoped(persona: Callable[[str], User]) -> None:
    services.resident_register(actor=persona("cuihu_worker"), data=_input(), consent_evidence="f")
    worker, officer, other = (
        persona("cuihu_worker"),
        persona("wuhua_officer"),
        persona("xiaoba_worker"),
    )
    with pytest.raises(InvalidInput):
        selectors.resident_search_for_actor(actor=worker)
    with pytest.raises(InvalidInput):
        selectors.resident_search_for_actor(
            actor=worker, name="阿依·木合塔尔"
        )  # a name alone is browsing
    assert len(selectors.resident_search_for_actor(actor=worker, id_number=ID.lower())) == 1
    assert len(selectors.resident_search_for_actor(actor=officer, phone="+86 139-1234-5678")) == 1
    found = selectors.resident_search_for_actor(
        actor=worker, name="阿依•木合塔尔", birth_date=datetime.date(1949, 12, 31)
    )
    assert len(found) == 1
    assert selectors.resident_search_for_actor(actor=other, id_number=ID) == []
    assert selectors.resident_search_for_actor(actor=persona("edu_wuhua"), id_number=ID) == []
    assert selectors.resident_search_for_actor(actor=persona("sysadmin"), id_number=ID) == []


def test_opening_a_record_is_logged_and_out_of_scope_is_not_found(
    persona: Callable[[str], User],
) -> None:
    resident = services.resident_register(
        actor=persona("cuihu_worker"), data=_input(), consent_evidence="f"
    )
    opened = selectors.resident_get_for_actor(
        actor=persona("cuihu_worker"), resident_id=resident.pk, purpose="counter_visit"
    )
    assert opened.pk == resident.pk
    entry = AccessLogEntry.objects.get(subject_id=str(resident.pk))
    assert (entry.actor_label, entry.purpose, entry.subject_area) == (
        "cuihu_worker",
        "counter_visit",
        CUIHU,
    )
    for outsider in ("xiaoba_worker", "panlong_officer", "edu_wuhua", "auditadmin"):
        with pytest.raises(NotFound):
            selectors.resident_get_for_actor(
                actor=persona(outsider), resident_id=resident.pk, purpose="counter_visit"
            )
    with pytest.raises(NotFound):
        selectors.resident_get_for_actor(
            actor=persona("cuihu_worker"), resident_id=999_999, purpose="counter_visit"
        )
    assert AccessLogEntry.objects.count() == 1
