import random

import pytest

from sihai.areas.models import AdministrativeArea
from sihai.areas.seats import county_seats, seat_for
from sihai.core.synth import person_name, point_near


@pytest.mark.django_db
def test_every_county_has_a_seat_and_every_seat_is_a_county() -> None:
    counties = set(AdministrativeArea.objects.filter(level="county").values_list("code", flat=True))
    assert set(county_seats()) == counties
    assert len(counties) == 14


def test_seat_of_a_community_is_its_countys() -> None:
    assert seat_for("530102001001") == (25.0433, 102.7074)


def test_synthetic_points_stay_near_the_seat_and_are_reproducible() -> None:
    lat, lon = seat_for("530103")
    first = [point_near(random.Random(5), lat, lon) for _ in range(3)]
    again = [point_near(random.Random(5), lat, lon) for _ in range(3)]
    assert first == again
    for p_lat, p_lon in first:
        assert abs(p_lat - lat) < 0.06
        assert abs(p_lon - lon) < 0.06


def test_synthetic_names_include_names_with_a_middle_dot() -> None:
    rng = random.Random(3)
    names = [person_name(rng) for _ in range(600)]
    dotted = [n for n in names if "·" in n]
    assert 20 < len(dotted) < 90
    assert all(2 <= len(n) <= 12 for n in names)
