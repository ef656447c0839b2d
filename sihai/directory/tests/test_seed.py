from __future__ import annotations

import io
import random

import pytest

from sihai.core.seeding import SCALES, SeedContext
from sihai.directory.models import Closure, CommunityCentroid, Location, Schedule, ServiceAtLocation
from sihai.directory.seed import seed_centroids, seed_points

pytestmark = pytest.mark.django_db


def context(scale: str, cap: int | None = None) -> SeedContext:
    return SeedContext(SCALES[scale], random.Random(7), io.StringIO(), cap=cap)


def kinds() -> dict[str, int]:
    found: dict[str, int] = {}
    for kind in Location.objects.values_list("kind", flat=True):
        found[kind] = found.get(kind, 0) + 1
    return found


def test_demo_city_has_the_citys_points_and_a_second_run_adds_nothing() -> None:
    seed_centroids(context("demo"))
    seed_points(context("demo"))
    assert CommunityCentroid.objects.count() == 1738
    assert kinds() == {
        "workstation": 84,
        "practice_centre": 20,
        "insurance_point": 40,
        "school": 30,
        "residence_permit_office": 14,
        "legal_aid": 14,
        "employment_service": 14,
        "health_centre": 30,
    }
    for community in ("530102001001", "530103004001"):
        assert Location.objects.filter(kind="workstation", area_id=community).count() == 1
    practice_townships = Location.objects.filter(kind="practice_centre").values_list(
        "area_id", flat=True
    )
    assert len({code[:9] for code in practice_townships}) == 20
    assert (
        Location.objects.filter(kind="residence_permit_office").values("area_id").distinct().count()
        == 14
    )
    assert Schedule.objects.filter(location__kind="workstation").count() == 84 * 3
    assert Closure.objects.filter(location__kind="workstation", reason="春节").count() == 84
    assert (
        not ServiceAtLocation.objects.filter(location__kind="school")
        .exclude(service__need="school_place")
        .exists()
    )
    seed_points(context("demo"))
    seed_centroids(context("demo"))
    assert Location.objects.count() == 246
    assert CommunityCentroid.objects.count() == 1738


def test_city_scale_is_about_three_hundred_points_and_the_cap_bounds_each_kind() -> None:
    seed_points(context("city", cap=5))
    assert max(kinds().values()) == 5
    seed_points(context("city"))
    assert Location.objects.count() == 306
