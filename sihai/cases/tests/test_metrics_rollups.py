"""The request timeline as a rollup source: incremental equals rebuilt, and the labels count."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from sihai.accounts.models import User
from sihai.cases import services
from sihai.cases.factories import request_in
from sihai.cases.metrics import TIMELINE
from sihai.cases.models import RequestEvent, ServiceRequest
from sihai.reporting import rollups
from sihai.reporting.models import DailyRollup, MonthlyRollup
from sihai.reporting.registry import Query, indicator, indicators, sources

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"
XIAOBA = "530103004001"


def snapshot() -> set[tuple[object, ...]]:
    fields = ("community", "category", "state", "count", "duration_seconds")
    daily = {
        ("day", *r) for r in DailyRollup.objects.filter(source=TIMELINE).values_list("day", *fields)
    }
    monthly = {
        ("month", *r)
        for r in MonthlyRollup.objects.filter(source=TIMELINE).values_list(
            "month", "digits", *fields
        )
    }
    return daily | monthly


def history(persona: Callable[[str], User]) -> None:
    """Requests answered, resolved, rated, referred and escalated, in two districts."""
    worker = persona("cuihu_worker")
    officer = persona("huashan_officer")
    for rating in (5, 4, 2):
        request = request_in(CUIHU)
        services.request_transition(actor=worker, request_id=request.pk, to_state="accepted")
        services.request_transition(
            actor=worker, request_id=request.pk, to_state="resolved", note="已答复"
        )
        services.request_rate(actor=worker, request_id=request.pk, rating=rating)
    referred = request_in(CUIHU, contact_phone="+8613900000000")
    services.request_transition(actor=officer, request_id=referred.pk, to_state="accepted")
    referral = services.referral_create(
        actor=officer,
        request_id=referred.pk,
        purpose="欠薪",
        fields=["contact_phone"],
        to_department_code="human_resources",
        override_reason="居民电话同意",
    )
    assert referral.pk
    waiting = request_in(XIAOBA)
    past = timezone.now() - datetime.timedelta(hours=1)
    ServiceRequest.objects.filter(pk=waiting.pk).update(response_due=past, due_at=past)
    assert services.escalation_sweep(now=timezone.now()) == 1


def test_the_timeline_is_a_registered_source() -> None:
    assert TIMELINE in {s.name for s in sources()}


def test_incremental_equals_rebuilt(persona: Callable[[str], User]) -> None:
    rollups.rollups_update()
    history(persona)
    original = rollups.BATCH
    rollups.BATCH = 3  # several small batches
    try:
        rollups.rollups_update()
    finally:
        rollups.BATCH = original
    request_in(XIAOBA)
    rollups.rollups_update()
    incremental = snapshot()
    assert incremental
    rollups.rollups_rebuild()
    assert snapshot() == incremental


def test_the_labels_feed_the_rates(persona: Callable[[str], User]) -> None:
    history(persona)
    rollups.rollups_update()
    counts: dict[tuple[str, str], int] = {}
    for row in DailyRollup.objects.filter(source=TIMELINE):
        counts[(row.category, row.state)] = counts.get((row.category, row.state), 0) + row.count
    states: dict[str, int] = {}
    for (_category, state), n in counts.items():
        states[state] = states.get(state, 0) + n
    assert states["submitted"] == RequestEvent.objects.filter(kind="submitted").count() == 5
    assert states["responded_on_time"] == 4  # answered at once, well inside the deadline
    assert states["resolved_on_time"] == 3
    assert states["rated_satisfied"] == 2
    assert states["rated_unsatisfied"] == 1
    assert counts[("human_resources", "referral_sent")] == 1
    assert states["escalated"] == 1
    # The indicators read the same rows: a satisfaction rate of 2 of 3 in the city.
    today = timezone.localdate().replace(day=1)
    query = Query(area="5301", group_len=4, months=(today,))
    satisfaction = indicator("cases.satisfaction_rate")
    assert satisfaction is not None
    cells = satisfaction.compute(query)
    (measure,) = cells.values()
    assert (measure.value, measure.denominator) == (2.0, 3.0)
    received_indicator = indicator("cases.received")
    assert received_indicator is not None
    received = received_indicator.compute(query)
    assert sum(m.value for m in received.values()) == 5


@pytest.mark.parametrize(
    ("area", "group_len"),
    [("5301", 4), ("5301", 6), ("530102", 9), ("530102001", 12), (CUIHU, 12)],
)
def test_each_level_gives_what_a_full_scan_gives(
    persona: Callable[[str], User], area: str, group_len: int
) -> None:
    """The area-level monthly rows, and the scan of the grouped SQL, agree for every
    request indicator, whichever level a dashboard groups by."""
    history(persona)
    rollups.rollups_update()
    month = timezone.localdate().replace(day=1)
    query = Query(area=area, group_len=group_len, months=(month,))
    compared = [i for i in indicators() if i.app == "cases"]
    assert len(compared) >= 10
    for chosen in compared:
        fast = chosen.compute(query)
        with rollups.full_scan():
            slow = chosen.compute(query)
        assert fast == slow, chosen.code
    received = indicator("cases.received")
    assert received is not None
    total = sum(m.value for m in received.compute(query).values())
    assert total == (5 if area == "5301" else 4)


def test_the_levels_are_the_recorded_rows_summed(persona: Callable[[str], User]) -> None:
    history(persona)
    rollups.rollups_update()
    recorded = MonthlyRollup.objects.filter(source=TIMELINE, digits=0)
    for digits in (4, 6, 9):
        sums: dict[tuple[object, ...], int] = {}
        for row in recorded:
            key = (row.month, row.community[:digits], row.category, row.state)
            sums[key] = sums.get(key, 0) + row.count
        stored = {
            (r.month, r.community, r.category, r.state): r.count
            for r in MonthlyRollup.objects.filter(source=TIMELINE, digits=digits)
        }
        assert stored == sums
