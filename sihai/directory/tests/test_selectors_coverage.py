from __future__ import annotations

import datetime
import math
import zoneinfo
from collections.abc import Callable

import numpy as np
import pytest

from sihai.accounts.models import User
from sihai.areas.models import AdministrativeArea
from sihai.core.errors import InvalidInput, NotFound
from sihai.directory import placement, selectors, services
from sihai.directory.centroids import synthetic_centroid
from sihai.directory.coverage import coverage
from sihai.directory.factories import make_point
from sihai.directory.geo import haversine_m, walk_model
from sihai.residents.models import Resident

pytestmark = pytest.mark.django_db
Persona = Callable[[str], User]
CITY = zoneinfo.ZoneInfo("Asia/Shanghai")
ORIGIN = (25.0400, 102.7000)


def north_of(metres: float) -> tuple[float, float]:
    return (ORIGIN[0] + metres / 111_195, ORIGIN[1])


def test_nearest_orders_by_distance_and_filters_open_now() -> None:
    far = make_point(kind="insurance_point", at=north_of(900), hours="MO-SU 00:00-23:59", name="远")
    near = make_point(
        kind="insurance_point", at=north_of(300), hours="MO-FR 09:00-17:00", name="近"
    )
    make_point(kind="school", at=north_of(100), name="学校")
    make_point(kind="insurance_point", at=north_of(50), name="草稿", published=False)
    saturday = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=CITY)
    found = selectors.nearest(
        latitude=ORIGIN[0], longitude=ORIGIN[1], need="medical_insurance", at=saturday
    )
    assert [n.location.name for n in found] == ["近", "远"]
    assert found[0].distance_m == pytest.approx(300, abs=1)
    assert found[0].walk_minutes == pytest.approx(300 * 1.3 / (4000 / 60), abs=0.05)
    assert [n.status.is_open for n in found] == [False, True]
    only_open = selectors.nearest(
        latitude=ORIGIN[0],
        longitude=ORIGIN[1],
        need="medical_insurance",
        open_now=True,
        at=saturday,
    )
    assert [n.location.pk for n in only_open] == [far.pk]
    by_kind = selectors.nearest(
        latitude=ORIGIN[0], longitude=ORIGIN[1], kind="insurance_point", limit=1
    )
    assert [n.location.pk for n in by_kind] == [near.pk]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"need": "a_unicorn"}, "directory.unknown_need"),
        ({"kind": "casino"}, "directory.unknown_kind"),
        ({"limit": 0}, "directory.limit"),
        ({"limit": 51}, "directory.limit"),
        ({"latitude": 102.7, "longitude": 25.04}, "geo.swapped"),
        ({"latitude": 91.0}, "geo.out_of_range"),
        ({"latitude": 31.23, "longitude": 121.47}, "geo.outside_city"),
    ],
)
def test_nearest_refuses_bad_input(kwargs: dict[str, object], code: str) -> None:
    args: dict[str, object] = {"latitude": ORIGIN[0], "longitude": ORIGIN[1], **kwargs}
    with pytest.raises(InvalidInput) as caught:
        selectors.nearest(**args)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_nearest_from_a_community_uses_its_centroid() -> None:
    here = make_point(kind="workstation", community="530102001001")
    found = selectors.nearest_from_community(
        community_code="530102001001", need="registration_help"
    )
    assert found[0].location.pk == here.pk
    assert found[0].distance_m == pytest.approx(0, abs=0.5)
    with pytest.raises(NotFound):
        selectors.nearest_from_community(community_code="530102001999")
    with pytest.raises(InvalidInput):
        selectors.nearest_from_community(community_code="5301")


def _oracle_covered(point: tuple[float, float], codes: list[str]) -> set[str]:
    reach = walk_model().reach_m(15)
    return {c for c in codes if haversine_m(*point, *synthetic_centroid(c)) <= reach}


def test_coverage_counts_communities_and_residents_per_district() -> None:
    huashan = list(
        AdministrativeArea.objects.filter(code__startswith="530102001", level="village")
        .order_by("code")
        .values_list("code", flat=True)
    )
    point = make_point(kind="insurance_point", community="530102001001")
    for n, code in enumerate(["530102001001", "530102001001", "530102001009", "530103004001"]):
        Resident.objects.create(
            name=f"居民{n}",
            birth_date=datetime.date(1990, 1, 1),
            community_id=code,
            registered_via="import",
        )
    report = coverage(roots=["530102001", "530103004"], kinds=["insurance_point", "school"])
    expected = _oracle_covered((point.latitude, point.longitude), [*huashan, "530103004001"])
    insurance = report.kinds["insurance_point"]
    assert insurance.points == 1
    assert {r.community.code for r in insurance.rows if r.covered} == expected
    assert "530102001001" in expected
    lianmeng = AdministrativeArea.objects.filter(
        code__startswith="530103004", level="village"
    ).count()
    assert insurance.total.communities == len(huashan) + lianmeng
    assert insurance.total.residents == 4
    covered_residents = 2 + (1 if "530102001009" in expected else 0)
    assert insurance.total.covered_residents == covered_residents
    assert [(d.code, d.communities, d.residents) for d in insurance.districts] == [
        ("530102", len(huashan), 3),
        ("530103", lianmeng, 1),
    ]
    school = report.kinds["school"]
    assert (school.points, school.total.covered_communities) == (0, 0)
    assert school.gaps[0].community.code == "530102001001"  # the most residents first
    assert report.synthetic_centroids is True


def test_greedy_can_fall_short_and_the_exact_solver_does_not() -> None:
    # Three sites over four demands: the middle site looks best alone, the outer pair is optimal.
    cover = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]], dtype=bool)
    weights = np.array([2.0, 3.0, 3.0, 2.0])
    assert placement._greedy(cover, weights, 2) == [1, 0]
    chosen, status, bound, optimal = placement._exact(cover, weights, 2, 5.0)
    assert sorted(chosen) == [0, 2]
    assert (status, optimal) == ("Optimal", True)
    assert bound == pytest.approx(10.0)


def test_placement_on_real_communities_agrees_for_one_point(persona: Persona) -> None:
    codes = list(
        AdministrativeArea.objects.filter(code__startswith="530102001", level="village")
        .order_by("code")
        .values_list("code", flat=True)
    )
    weights = {code: (i % 4) + 1 for i, code in enumerate(codes)}
    Resident.objects.bulk_create(
        Resident(
            name="居民",
            birth_date=datetime.date(1990, 1, 1),
            community_id=c,
            registered_via="import",
        )
        for c, n in weights.items()
        for _ in range(n)
    )
    result = placement.placement(kind="health_centre", budget=1, roots=["530102001"])
    best = max(
        sum(weights[c] for c in _oracle_covered(synthetic_centroid(site), codes)) for site in codes
    )
    assert result.uncovered == sum(weights.values())
    assert result.greedy.covered_residents == best
    assert result.exact.covered_residents == best
    assert result.gap == 0.0
    three = placement.placement(kind="health_centre", budget=3, roots=["530102001"])
    assert three.exact.covered_residents >= three.greedy.covered_residents
    assert three.greedy.covered_residents >= math.ceil(
        (1 - 1 / math.e) * three.exact.covered_residents
    )
    assert len(three.exact.sites) <= 3
    with pytest.raises(InvalidInput):
        placement.placement(kind="health_centre", budget=0, roots=["530102001"])
    with pytest.raises(InvalidInput):
        placement.placement(kind="casino", budget=1, roots=["530102001"])


def test_staff_lists_are_scoped(persona: Persona) -> None:
    mine = make_point(community="530102001001")
    make_point(community="530103004001")
    assert [p.pk for p in selectors.locations_for_actor(actor=persona("cuihu_worker"))] == [mine.pk]
    assert selectors.locations_for_actor(actor=persona("wuhua_officer")).count() == 1
    assert selectors.locations_for_actor(actor=persona("city_officer")).count() == 2
    assert selectors.locations_for_actor(actor=persona("secadmin")).count() == 0
    with pytest.raises(NotFound):
        selectors.location_get_for_actor(actor=persona("xiaoba_worker"), location_id=mine.pk)
    services.location_hours_set(
        actor=persona("cuihu_worker"), location_id=mine.pk, rules_text="SA 09:00-12:00"
    )
