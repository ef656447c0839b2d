from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from sihai.accounts.models import User
from sihai.audit.models import AuditEntry
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.directory import selectors, services
from sihai.directory.factories import make_point
from sihai.directory.models import Closure, Location, Organization, Schedule, ServiceAtLocation

pytestmark = pytest.mark.django_db
Persona = Callable[[str], User]


def point_input(**overrides: object) -> services.LocationInput:
    values: dict[str, object] = {
        "name": "翠湖西路社区一家亲工作站",
        "kind": "workstation",
        "community_code": "530102001001",
        "latitude": 25.0466,
        "longitude": 102.7011,
        "address": "五华区翠湖西路 12 号",
        "phone": "0871-63112345",
        "languages": ["zh", "ii"],
        "accessibility": ["step_free"],
    }
    values.update(overrides)
    return services.LocationInput(**values)  # type: ignore[arg-type]


def counts() -> tuple[int, int, int, int]:
    return (
        Location.objects.count(),
        Organization.objects.count(),
        Schedule.objects.count(),
        AuditEntry.objects.count(),
    )


def test_community_worker_adds_a_workstation_with_its_services(persona: Persona) -> None:
    location = services.location_create(actor=persona("cuihu_worker"), data=point_input())
    assert location.organization.name == "五华区民族宗教事务局"
    assert location.organization.department is not None
    assert location.organization.department.code == "ethnic_religious"
    needs = sorted(
        ServiceAtLocation.objects.filter(location=location).values_list("service__need", flat=True)
    )
    assert needs == ["community_life", "legal_aid", "registration_help"]
    assert sorted(location.languages.values_list("code", flat=True)) == ["ii", "zh"]
    assert location.addresses.get().region == "五华区"
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", "area_code"))
    assert actions[-2:] == [
        ("directory.organization_created", "530102"),
        ("directory.location_created", "530102001001"),
    ]


def test_a_second_point_reuses_the_county_organization(persona: Persona) -> None:
    first = services.location_create(actor=persona("huashan_officer"), data=point_input())
    second = services.location_create(
        actor=persona("huashan_officer"),
        data=point_input(name="水晶宫社区一家亲工作站", community_code="530102001002"),
    )
    assert first.organization_id == second.organization_id
    assert Organization.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "community"),
    [
        ("cuihu_worker", "530102001002"),  # the neighbouring community
        ("xiaoba_worker", "530102001001"),  # another district
        ("edu_wuhua", "530102001001"),  # a workstation is not the education bureau's
        ("sysadmin", "530102001001"),
        ("auditadmin", "530102001001"),
    ],
)
def test_outside_ones_area_or_department_nothing_is_written(
    persona: Persona, who: str, community: str
) -> None:
    before = counts()
    with pytest.raises(NotAllowed):
        services.location_create(actor=persona(who), data=point_input(community_code=community))
    assert counts() == before


def test_department_officer_manages_their_departments_points_only(persona: Persona) -> None:
    insurance = services.location_create(
        actor=persona("insurance_city"),
        data=point_input(name="近华社区医保服务站", kind="insurance_point"),
    )
    assert insurance.organization.name == "五华区医疗保障局"
    workstation = make_point()
    assert selectors.locations_for_actor(actor=persona("insurance_city")).count() == 1
    with pytest.raises(NotFound):
        services.location_hours_set(
            actor=persona("insurance_city"), location_id=workstation.pk, rules_text="MO 09:00-12:00"
        )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"name": " "}, "location.name"),
        ({"kind": "casino"}, "location.kind"),
        ({"community_code": "5301"}, "location.community"),
        ({"latitude": 102.7011, "longitude": 25.0466}, "geo.swapped"),
        ({"latitude": 39.9, "longitude": 116.4}, "geo.outside_city"),
        ({"latitude": -91.0}, "geo.out_of_range"),
        ({"address": ""}, "location.address"),
        ({"phone": "call me"}, "location.phone"),
        ({"languages": ["klingon"]}, "location.languages"),
        ({"accessibility": ["lift"]}, "location.accessibility"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    persona: Persona, overrides: dict[str, object], code: str
) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        services.location_create(actor=persona("cuihu_worker"), data=point_input(**overrides))
    assert caught.value.code == code
    assert counts() == before


def test_unknown_community_is_not_found(persona: Persona) -> None:
    with pytest.raises(NotFound):
        services.location_create(
            actor=persona("city_officer"), data=point_input(community_code="530102001999")
        )


def test_update_records_what_changed_and_stays_in_scope(persona: Persona) -> None:
    location = make_point()
    services.location_update(
        actor=persona("cuihu_worker"),
        location_id=location.pk,
        data=point_input(name="新名字", latitude=location.latitude, longitude=location.longitude),
    )
    entry = AuditEntry.objects.filter(action="directory.location_updated").get()
    assert entry.changes["name"] == {"from": "workstation 530102001001", "to": "新名字"}
    assert entry.changes["address"]["to"] == "五华区翠湖西路 12 号"
    before = counts()
    with pytest.raises(NotAllowed):
        services.location_update(
            actor=persona("cuihu_worker"),
            location_id=location.pk,
            data=point_input(community_code="530102001002"),
        )
    assert counts() == before
    with pytest.raises(NotFound):
        services.location_update(
            actor=persona("xiaoba_worker"), location_id=location.pk, data=point_input()
        )
    with pytest.raises(NotFound):
        services.location_update(
            actor=persona("cuihu_worker"), location_id="not-a-uuid", data=point_input()
        )
    assert counts() == before


def test_hours_replace_the_old_ones_and_are_audited(persona: Persona) -> None:
    location = make_point(hours="MO-FR 09:00-17:00")
    services.location_hours_set(
        actor=persona("cuihu_worker"),
        location_id=location.pk,
        rules_text="MO-FR 09:00-12:00\nMO-FR 14:30-18:00\nFR 22:00-02:00",
    )
    assert Schedule.objects.filter(location=location).count() == 3
    entry = AuditEntry.objects.filter(action="directory.hours_set").order_by("-seq").first()
    assert entry is not None
    assert entry.changes == {
        "hours": {
            "from": "MO,TU,WE,TH,FR 09:00-17:00",
            "to": "MO,TU,WE,TH,FR 09:00-12:00\nMO,TU,WE,TH,FR 14:30-18:00\nFR 22:00-02:00",
        }
    }
    before = counts()
    with pytest.raises(InvalidInput):
        services.location_hours_set(
            actor=persona("cuihu_worker"), location_id=location.pk, rules_text="MO 9-5"
        )
    assert counts() == before
    assert Schedule.objects.filter(location=location).count() == 3


def test_closures_refuse_overlaps_and_can_be_removed(persona: Persona) -> None:
    location = make_point()
    worker = persona("cuihu_worker")
    closure = services.closure_add(
        actor=worker,
        location_id=location.pk,
        starts_on=datetime.date(2027, 2, 6),
        ends_on=datetime.date(2027, 2, 13),
        reason="春节",
    )
    before = counts()
    for start, end in [((2027, 2, 10), (2027, 2, 20)), ((2027, 2, 14), (2027, 2, 1))]:
        with pytest.raises(InvalidInput):
            services.closure_add(
                actor=worker,
                location_id=location.pk,
                starts_on=datetime.date(*start),
                ends_on=datetime.date(*end),
                reason="装修",
            )
    with pytest.raises(NotFound):
        services.closure_remove(
            actor=persona("xiaoba_worker"), location_id=location.pk, closure_id=closure.pk
        )
    assert counts() == before
    assert Closure.objects.count() == 1
    services.closure_remove(actor=worker, location_id=location.pk, closure_id=closure.pk)
    assert Closure.objects.count() == 0
    assert AuditEntry.objects.filter(action="directory.closure_removed").count() == 1
