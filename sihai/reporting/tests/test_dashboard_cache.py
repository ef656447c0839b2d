"""A built dashboard is reused only while the rollups stand still, and never in a full scan."""

from __future__ import annotations

import pytest
from django.test import override_settings

from sihai.areas.models import AdministrativeArea
from sihai.reporting import figures
from sihai.reporting.periods import parse_period
from sihai.reporting.rollups import full_scan, rollups_update
from sihai.residents.factories import resident_in

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"


def _registered(board: figures.Dashboard) -> float | None:
    (view,) = [v for v in board.views if v.indicator.code == "residents.registered"]
    return figures.value_of(view.indicator, view.headline)


@override_settings(SIHAI_DASHBOARD_CACHE_SECONDS=60)
def test_the_same_dashboard_is_reused_until_a_watermark_moves() -> None:
    figures._BUILT.clear()
    for _ in range(12):
        resident_in(CUIHU)
    rollups_update()
    city = AdministrativeArea.objects.get(code="5301")
    first = figures.build_dashboard(city, parse_period(None))
    assert figures.build_dashboard(city, parse_period(None)) is first  # reused
    assert _registered(first) == 12
    for _ in range(3):
        resident_in(CUIHU)
    # The rollups have not moved: the built one is still what they say.
    assert figures.build_dashboard(city, parse_period(None)) is first
    rollups_update()  # the watermark moves: built again, with the new residents
    again = figures.build_dashboard(city, parse_period(None))
    assert again is not first
    assert _registered(again) == 15
    with full_scan():  # a full scan always computes (the benchmark compares the two)
        assert figures.build_dashboard(city, parse_period(None)) is not again
    figures._BUILT.clear()
