"""Maintaining the daily rollups: incrementally past a watermark, or rebuilt exactly.

``rollups_update`` (run by the task worker) adds each source's events with ids past
its watermark, in batches, each batch and the watermark's move in one transaction
under a row lock on the watermark (so two workers never add the same events).
Events younger than ``SIHAI_ROLLUP_SETTLE_SECONDS`` wait for the next run: an id
handed out by a transaction that commits later than a higher one would otherwise be
skipped for ever (the nightly rebuild also repairs that).

``rollups_rebuild`` replaces a source's rows with its own grouped query up to the
largest id now, and sets the watermark there: the same rows the increments give.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from sihai.reporting.models import DailyRollup, MonthlyRollup, RollupWatermark
from sihai.reporting.registry import (
    Measure,
    Query,
    RollupEvent,
    RollupRow,
    RollupSource,
    sources,
)
from sihai.reporting.registry import source as registry_source

BATCH = 5_000
CellKey = tuple[datetime.date, str, str, str]


@dataclass(frozen=True)
class UpdateResult:
    source: str
    events: int
    watermark: int


def _settle_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(
        seconds=float(getattr(settings, "SIHAI_ROLLUP_SETTLE_SECONDS", 60))
    )


def _add(
    model: Any,
    source: str,
    date_field: str,
    totals: dict[CellKey, list[int]],
) -> None:
    """Add ``totals`` (key → [count, seconds]) to the stored rows of ``source``."""
    existing = {
        (getattr(r, date_field), r.community, r.category, r.state): r
        for r in model.objects.filter(
            source=source,
            **{f"{date_field}__in": {key[0] for key in totals}},
            community__in={key[1] for key in totals},
        )
    }
    new: list[Any] = []
    changed: list[Any] = []
    for key, (n, seconds) in totals.items():
        row = existing.get(key)
        if row is None:
            new.append(
                model(
                    source=source,
                    **{date_field: key[0]},
                    community=key[1],
                    category=key[2],
                    state=key[3],
                    count=n,
                    duration_seconds=seconds,
                )
            )
        else:
            row.count += n
            row.duration_seconds += seconds
            changed.append(row)
    model.objects.bulk_create(new, batch_size=1000)
    model.objects.bulk_update(changed, ["count", "duration_seconds"], batch_size=1000)


def _apply(source: str, totals: dict[CellKey, list[int]]) -> None:
    """Add the day cells to the daily rows and, summed per month, to the monthly rows."""
    if not totals:
        return
    _add(DailyRollup, source, "day", totals)
    months: dict[CellKey, list[int]] = defaultdict(lambda: [0, 0])
    for (day, community, category, state), (n, seconds) in totals.items():
        cell = months[(day.replace(day=1), community, category, state)]
        cell[0] += n
        cell[1] += seconds
    _add(MonthlyRollup, source, "month", months)


def _batch(source: RollupSource, settle: datetime.datetime) -> int:
    with transaction.atomic():
        mark, _created = RollupWatermark.objects.get_or_create(source=source.name)
        mark = RollupWatermark.objects.select_for_update().get(pk=mark.pk)
        events = source.events_after(mark.last_id, BATCH)
        taken: list[RollupEvent] = []
        for event in events:
            if event.at > settle:
                break
            taken.append(event)
        if not taken:
            return 0
        # Events sharing an id (one move is two events) are taken together or not at all.
        last = taken[-1].id
        if len(taken) < len(events) and events[len(taken)].id == last:
            taken = [e for e in taken if e.id != last]
            if not taken:
                return 0
            last = taken[-1].id
        totals: dict[CellKey, list[int]] = defaultdict(lambda: [0, 0])
        for event in taken:
            cell = totals[(event.day, event.community, event.category, event.state)]
            cell[0] += event.count
            cell[1] += event.duration_seconds
        _apply(source.name, totals)
        mark.last_id = last
        mark.save(update_fields=["last_id", "updated_at"])
        return len(taken)


def rollups_update(*, source_name: str | None = None) -> list[UpdateResult]:
    """Add every settled event past each source's watermark; returns what was added."""
    settle = _settle_before()
    results = []
    for source in sources():
        if source_name and source.name != source_name:
            continue
        added = 0
        while (n := _batch(source, settle)) > 0:
            added += n
        mark = RollupWatermark.objects.filter(source=source.name).first()
        results.append(UpdateResult(source.name, added, mark.last_id if mark else 0))
    return results


def rollups_rebuild(*, source_name: str | None = None) -> list[UpdateResult]:
    """Replace each source's rows by its exact grouped rebuild; the watermark moves with it."""
    results = []
    for source in sources():
        if source_name and source.name != source_name:
            continue
        with transaction.atomic():
            mark, _created = RollupWatermark.objects.get_or_create(source=source.name)
            mark = RollupWatermark.objects.select_for_update().get(pk=mark.pk)
            upto = source.max_id()
            DailyRollup.objects.filter(source=source.name).delete()
            MonthlyRollup.objects.filter(source=source.name).delete()
            written = 0
            # In chunks: a source may rebuild into millions of rows.
            for chunk in _chunks(source.rebuild(upto), 5000):
                DailyRollup.objects.bulk_create(
                    [
                        DailyRollup(
                            source=source.name,
                            day=r.day,
                            community=r.community,
                            category=r.category,
                            state=r.state,
                            count=r.count,
                            duration_seconds=r.duration_seconds,
                        )
                        for r in chunk
                        if r.count or r.duration_seconds
                    ]
                )
                written += len(chunk)
            _months_from_days(source.name)
            mark.last_id = upto
            mark.rebuilt_at = timezone.now()
            mark.save()
        results.append(UpdateResult(source.name, written, upto))
    _analyze()
    return results


def _analyze() -> None:
    """Fresh planner statistics after a bulk rewrite (PostgreSQL would otherwise sort
    thousands of rows it believes to be one until autovacuum comes by)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reporting_dailyrollup, reporting_monthlyrollup")


def _chunks(rows: Iterable[RollupRow], size: int) -> Iterator[list[RollupRow]]:
    chunk: list[RollupRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _months_from_days(source: str) -> None:
    """The monthly rows of ``source`` summed from its daily rows (one grouped query)."""
    sums = (
        DailyRollup.objects.filter(source=source)
        .annotate(month=TruncMonth("day"))
        .values("month", "community", "category", "state")
        .annotate(n=Sum("count"), seconds=Sum("duration_seconds"))
        .order_by()
    )
    MonthlyRollup.objects.bulk_create(
        (
            MonthlyRollup(
                source=source,
                month=r["month"].date()
                if isinstance(r["month"], datetime.datetime)
                else r["month"],
                community=r["community"],
                category=r["category"],
                state=r["state"],
                count=r["n"],
                duration_seconds=r["seconds"],
            )
            for r in sums.iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )


def rollup_measures(
    query: Query,
    *,
    source: str,
    states: Iterable[str],
    by_category: bool = True,
    since_start: bool = False,
    signs: dict[str, int] | None = None,
    hours: bool = False,
) -> dict[tuple[str, str, datetime.date], Measure]:
    """Counts of ``source`` rows in ``states`` under ``query.area``, grouped for the query.

    The building block of rollup-backed indicators: one grouped query over the rollup
    table. ``since_start``: count everything up to each month's end (a stock), not only
    within the months asked. ``signs``: a state's weight (``{"moved_out": -1}``).
    ``hours``: the value is the summed duration in hours (base: the count), for averages.
    """
    states = list(states)
    if _scanning.get():
        return _scan_measures(
            query,
            source=source,
            states=states,
            by_category=by_category,
            since_start=since_start,
            signs=signs,
            hours=hours,
        )
    # Monthly rows: the daily ones summed, so a year of a city is a few thousand rows.
    rows = MonthlyRollup.objects.filter(
        source=source, state__in=states, month__lte=query.end, community__startswith=query.area
    )
    if not since_start:
        rows = rows.filter(month__gte=query.start)
    grouped = (
        rows.annotate(group=Substr("community", 1, query.group_len))
        .values("group", "month", "state", *(["category"] if by_category else []))
        .annotate(n=Sum("count"), seconds=Sum("duration_seconds"))
        .order_by()
    )
    weights = signs or {}
    flows: dict[tuple[str, str, datetime.date], Measure] = defaultdict(lambda: Measure(0, 0))
    for row in grouped:
        weight = weights.get(row["state"], 1)
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        key = (row["group"], row.get("category", "") if by_category else "", month)
        n = int(row["n"]) * weight
        value = float(row["seconds"] or 0) * weight / 3600 if hours else float(n)
        flows[key] = flows[key] + Measure(value, n)
    if not since_start:
        return dict(flows)
    return _cumulate(flows, query.months)


# Set by :func:`full_scan`: indicators read the source tables instead of the rollups.
_scanning: contextvars.ContextVar[bool] = contextvars.ContextVar("full_scan", default=False)


@contextlib.contextmanager
def full_scan() -> Iterator[None]:
    """Within this block, rollup-backed indicators compute from the source tables.

    Each source's exact rebuild (one grouped query over its own tables, a full scan)
    replaces the rollup table: the same figures, the slow way. For the benchmark
    (``bench/dashboard.py``) and for tests that check the rollups against the sources.
    """
    token = _scanning.set(True)
    try:
        yield
    finally:
        _scanning.reset(token)


def _scan_measures(
    query: Query,
    *,
    source: str,
    states: list[str],
    by_category: bool,
    since_start: bool,
    signs: dict[str, int] | None,
    hours: bool,
) -> dict[tuple[str, str, datetime.date], Measure]:
    declared = registry_source(source)
    if declared is None:
        return {}
    weights = signs or {}
    flows: dict[tuple[str, str, datetime.date], Measure] = defaultdict(lambda: Measure(0, 0))
    for row in declared.rebuild(declared.max_id()):
        if row.state not in states or not row.community.startswith(query.area):
            continue
        if row.day > query.end or (not since_start and row.day < query.start):
            continue
        weight = weights.get(row.state, 1)
        key = (
            row.community[: query.group_len],
            row.category if by_category else "",
            row.day.replace(day=1),
        )
        n = row.count * weight
        value = row.duration_seconds * weight / 3600 if hours else float(n)
        flows[key] = flows[key] + Measure(value, n)
    if not since_start:
        return dict(flows)
    return _cumulate(flows, query.months)


def _cumulate(
    flows: dict[tuple[str, str, datetime.date], Measure], months: tuple[datetime.date, ...]
) -> dict[tuple[str, str, datetime.date], Measure]:
    """Running totals: each asked month gets everything up to its end."""
    series: dict[tuple[str, str], list[tuple[datetime.date, Measure]]] = defaultdict(list)
    for (group, category, month), measure in flows.items():
        series[(group, category)].append((month, measure))
    out: dict[tuple[str, str, datetime.date], Measure] = {}
    for (group, category), points in series.items():
        points.sort(key=lambda p: p[0])
        running = Measure(0, 0)
        index = 0
        for month in months:
            while index < len(points) and points[index][0] <= month:
                running = running + points[index][1]
                index += 1
            out[(group, category, month)] = running
    return out


def scanning() -> bool:
    """True inside :func:`full_scan` (the figures then come from the source tables)."""
    return _scanning.get()
