"""Rollups maintained incrementally equal rollups rebuilt from scratch, for every source."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import override_settings

from sihai.accounts.models import User
from sihai.reporting import rollups
from sihai.reporting.models import DailyRollup, MonthlyRollup, RollupWatermark
from sihai.reporting.registry import sources
from sihai.reporting.tasks import rollups_update_task
from sihai.residents import services
from sihai.residents.factories import resident_in
from sihai.residents.metrics import ERASURES, MOVES, REGISTRATIONS
from sihai.residents.models import DeletionRequest, RegisteredVia, Resident

CUIHU = "530102001001"
CUIHU_EAST = "530102001002"
XIAOBA = "530103004001"

pytestmark = pytest.mark.django_db


def snapshot() -> set[tuple[object, ...]]:
    fields = ("source", "community", "category", "state", "count", "duration_seconds")
    daily = {("day", *r) for r in DailyRollup.objects.values_list("day", *fields)}
    monthly = {("month", *r) for r in MonthlyRollup.objects.values_list("month", "digits", *fields)}
    return daily | monthly


def history(persona: Callable[[str], User]) -> None:
    """Registrations in three communities, moves, and a granted erasure."""
    officer = persona("huashan_officer")
    worker = persona("cuihu_worker")
    people = [resident_in(CUIHU) for _ in range(5)]
    people += [resident_in(XIAOBA, registered_via=RegisteredVia.ASSISTED) for _ in range(3)]
    services.resident_move(
        actor=worker,
        resident_id=people[0].pk,
        to_community_code=CUIHU_EAST,
        moved_on=datetime.date(2026, 11, 3),
    )
    services.resident_move(
        actor=worker,
        resident_id=people[1].pk,
        to_community_code=CUIHU_EAST,
        moved_on=datetime.date(2026, 11, 4),
    )
    request = DeletionRequest.objects.create(resident=people[2], due_on=datetime.date(2026, 12, 20))
    services.deletion_request_decide(actor=officer, request_id=request.pk, grant=True)


def test_every_residents_source_is_registered() -> None:
    names = {s.name for s in sources()}
    assert {REGISTRATIONS, MOVES, ERASURES} <= names


def test_incremental_equals_rebuilt(persona: Callable[[str], User]) -> None:
    rollups.rollups_update()
    history(persona)
    # Increments in several runs, with more history in between and small batches.
    first = rollups.rollups_update()
    assert {r.source: r.events for r in first}[REGISTRATIONS] == 8
    resident_in(CUIHU)
    moved = Resident.objects.filter(community_id=CUIHU, erased_at__isnull=True).first()
    assert moved is not None
    services.resident_move(
        actor=persona("cuihu_worker"), resident_id=moved.pk, to_community_code=CUIHU_EAST
    )
    original = rollups.BATCH
    rollups.BATCH = 2
    try:
        rollups.rollups_update()
    finally:
        rollups.BATCH = original
    incremental = snapshot()
    marks = dict(RollupWatermark.objects.values_list("source", "last_id"))
    assert incremental  # something was counted
    rollups.rollups_rebuild()
    assert snapshot() == incremental
    # The rebuild's watermark is the newest id of the history (the audit chain's, for
    # erasures, which may be past the last erasure): never behind the increments'.
    rebuilt_marks = dict(RollupWatermark.objects.values_list("source", "last_id"))
    assert all(rebuilt_marks[name] >= last for name, last in marks.items())
    assert rebuilt_marks[REGISTRATIONS] == marks[REGISTRATIONS]
    # After a rebuild the increments carry on from the same watermark.
    assert all(r.events == 0 for r in rollups.rollups_update())
    assert snapshot() == incremental


def test_rows_count_what_happened(persona: Callable[[str], User]) -> None:
    history(persona)
    rollups.rollups_update()
    rows: dict[tuple[str, str, str, str], int] = {}
    for r in DailyRollup.objects.all():
        key = (r.source, r.community, r.category, r.state)
        rows[key] = rows.get(key, 0) + r.count
    # Registered where they first lived, even the two who moved since.
    assert rows[(REGISTRATIONS, CUIHU, "import", "registered")] == 5
    assert rows[(REGISTRATIONS, XIAOBA, "assisted", "registered")] == 3
    assert rows[(MOVES, CUIHU, "", "moved_out")] == 2
    assert rows[(MOVES, CUIHU_EAST, "", "moved_in")] == 2
    assert rows[(ERASURES, CUIHU, "", "erased")] == 1


@override_settings(SIHAI_ROLLUP_SETTLE_SECONDS=3600)
def test_events_younger_than_the_settling_time_wait() -> None:
    resident_in(CUIHU)
    results = {r.source: r for r in rollups.rollups_update()}
    assert results[REGISTRATIONS].events == 0
    assert not DailyRollup.objects.filter(source=REGISTRATIONS).exists()


def test_the_task_worker_runs_the_update() -> None:
    resident_in(CUIHU)
    result = rollups_update_task.enqueue()
    assert result.return_value is not None
    assert result.return_value[REGISTRATIONS] == 1
    assert DailyRollup.objects.get(source=REGISTRATIONS, community=CUIHU).count == 1


def test_rebuild_command(persona: Callable[[str], User]) -> None:
    history(persona)
    out = io.StringIO()
    call_command("rollups", "rebuild", stdout=out)
    assert "residents.registrations" in out.getvalue()
    rebuilt = snapshot()
    DailyRollup.objects.all().delete()
    MonthlyRollup.objects.all().delete()
    RollupWatermark.objects.all().delete()
    call_command("rollups", "update", stdout=io.StringIO())
    assert snapshot() == rebuilt


def test_unknown_source_is_refused() -> None:
    from django.core.management.base import CommandError  # noqa: PLC0415

    with pytest.raises(CommandError):
        call_command("rollups", "rebuild", "--source", "nope", stdout=io.StringIO())
    assert not DailyRollup.objects.exists()
