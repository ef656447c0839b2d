"""The application timeline as a rollup source, and the equal-access indicators."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from sihai.applications import services
from sihai.applications.factories import facts_for, officer
from sihai.applications.metrics import TIMELINE
from sihai.reporting import rollups
from sihai.reporting.models import DailyRollup, MonthlyRollup
from sihai.reporting.registry import Query, indicator
from sihai.residents.factories import resident_in, resident_with_account

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"


@pytest.fixture(autouse=True)
def _documents_dir(settings: object, tmp_path: Path) -> None:
    settings.SIHAI_DOCUMENT_ROOT = str(tmp_path / "documents")  # type: ignore[attr-defined]


def snapshot() -> set[tuple[object, ...]]:
    fields = ("community", "category", "state", "count")
    daily = {
        ("d", *r) for r in DailyRollup.objects.filter(source=TIMELINE).values_list("day", *fields)
    }
    monthly = {
        ("m", *r)
        for r in MonthlyRollup.objects.filter(source=TIMELINE).values_list(
            "month", "digits", *fields
        )
    }
    return daily | monthly


def _employment_help_approved() -> None:
    resident, account = resident_with_account(
        CUIHU, name="阿依", arrival_date=datetime.date(2023, 1, 1)
    )
    facts_for(resident, employment="seeking", insurance="resident")
    application = services.application_submit(
        actor=account, resident_id=resident.pk, data=services.SubmitInput("employment_assistance")
    )
    for username, code in (("hr_wuhua", "human_resources"), ("civil_wuhua", "civil_affairs")):
        part = application.parts.get(department__code=code)
        services.part_decide(
            actor=officer(username, "530102", code), part_id=part.pk, decision="approve"
        )


def _figure(code: str, area: str = "530102") -> dict[object, tuple[float, int, float]]:
    found = indicator(code)
    assert found is not None
    month = timezone.localdate().replace(day=1)
    cells = found.compute(Query(area=area, group_len=len(area), months=(month,)))
    return {key: (m.value, m.base, m.denominator) for key, m in cells.items()}


def test_incremental_equals_rebuilt_and_the_flows_count() -> None:
    rollups.rollups_update()
    _employment_help_approved()
    original = rollups.BATCH
    rollups.BATCH = 1
    try:
        rollups.rollups_update()
    finally:
        rollups.BATCH = original
    incremental = snapshot()
    rollups.rollups_rebuild()
    assert snapshot() == incremental
    received = _figure("applications.received")
    assert sum(v for v, _b, _d in received.values()) == 1
    approvals = _figure("applications.approvals")
    assert sum(v for v, _b, _d in approvals.values()) == 2  # two departments decided
    helped = _figure("applications.households_helped")
    assert sum(v for v, _b, _d in helped.values()) == 1  # one household, not two


def test_insurance_coverage_counts_stated_insurance_over_registered_residents() -> None:
    _employment_help_approved()  # 阿依 said she holds resident medical insurance
    for _ in range(3):
        resident_in(CUIHU)  # registered, said nothing about insurance
    rollups.rollups_update()
    (cell,) = _figure("applications.insurance_coverage", CUIHU).values()
    assert cell == (1.0, 4, 4.0)
