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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Length, Substr, TruncMonth
from django.utils import timezone

from sihai.reporting.models import AREA_DIGITS, DailyRollup, MonthlyRollup, RollupWatermark
from sihai.reporting.registry import (
    GROUPED_COLUMNS,
    Measure,
    Query,
    RollupEvent,
    RollupSource,
    sources,
)
from sihai.reporting.registry import source as registry_source

BATCH = 5_000
CellKey = tuple[datetime.date, str, str, str]
# (month, digits, area code, category, state): one monthly row at one level.
LevelKey = tuple[datetime.date, int, str, str, str]
DAILY_KEY = ("day", "community", "category", "state")
MONTHLY_KEY = ("month", "digits", "community", "category", "state")


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
    key_fields: tuple[str, ...],
    totals: dict[Any, list[int]],
) -> None:
    """Add ``totals`` (key → [count, seconds]) to the stored rows of ``source``.

    A key holds the values of ``key_fields`` in order; its first field is the day or
    the month, and ``community`` is one of them.
    """
    at = key_fields.index("community")
    existing = {
        tuple(getattr(r, f) for f in key_fields): r
        for r in model.objects.filter(
            source=source,
            **{f"{key_fields[0]}__in": {key[0] for key in totals}},
            community__in={key[at] for key in totals},
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
                    **dict(zip(key_fields, key, strict=True)),
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


def levels(community: str) -> list[tuple[int, str]]:
    """Where a recorded code's figures are also kept: (digits, code) for each level."""
    return [(0, community)] + [(d, community[:d]) for d in AREA_DIGITS if len(community) >= d]


def _apply(source: str, totals: dict[CellKey, list[int]]) -> None:
    """Add the day cells to the daily rows and, summed per month, to the monthly rows
    (as recorded and at each area level)."""
    if not totals:
        return
    _add(DailyRollup, source, DAILY_KEY, totals)
    months: dict[LevelKey, list[int]] = defaultdict(lambda: [0, 0])
    for (day, community, category, state), (n, seconds) in totals.items():
        for digits, code in levels(community):
            cell = months[(day.replace(day=1), digits, code, category, state)]
            cell[0] += n
            cell[1] += seconds
    _add(MonthlyRollup, source, MONTHLY_KEY, months)


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
    """Replace each source's rows by its exact grouped rebuild; the watermark moves with it.

    All inside the database: the daily rows by one ``INSERT … SELECT`` over the source's
    grouped querysets, the monthly rows from them by another, then one per area level.
    """
    results = []
    for source in sources():
        if source_name and source.name != source_name:
            continue
        with transaction.atomic():
            mark, _created = RollupWatermark.objects.get_or_create(source=source.name)
            mark = RollupWatermark.objects.select_for_update().get(pk=mark.pk)
            upto = source.max_id()
            _rebuild_memory()
            DailyRollup.objects.filter(source=source.name).delete()
            MonthlyRollup.objects.filter(source=source.name).delete()
            written = _days_from_source(source, upto)
            _months_from_days(source.name)
            mark.last_id = upto
            mark.rebuilt_at = timezone.now()
            mark.save()
        results.append(UpdateResult(source.name, written, upto))
    _analyze()
    return results


def _rebuild_memory() -> None:
    """More working memory for this transaction's grouped queries (PostgreSQL only)."""
    work_mem = str(getattr(settings, "SIHAI_ROLLUP_REBUILD_WORK_MEM", "") or "")
    if connection.vendor == "postgresql" and work_mem:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])


def _analyze() -> None:
    """Fresh planner statistics after a bulk rewrite (PostgreSQL would otherwise sort
    thousands of rows it believes to be one until autovacuum comes by)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reporting_dailyrollup, reporting_monthlyrollup")


def _sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


def grouped_sql(source: RollupSource, upto: int, **where: Any) -> tuple[str, tuple[Any, ...]]:
    """One SELECT of the source's grouped rows (the :data:`GROUPED_COLUMNS`), all added up.

    ``where``: lookups on those columns (``rollup_state__in=[…]``) applied inside each
    grouped query, before it groups (what a full scan asks for, so it groups only that).
    """
    names = ", ".join(GROUPED_COLUMNS)
    parts: list[str] = []
    params: list[Any] = []
    for n, queryset in enumerate(source.grouped(upto)):
        if where:
            queryset = queryset.filter(**where)  # noqa: PLW2901 (narrowed, then compiled)
        sql, part = _sql(queryset)
        parts.append(f"SELECT {names} FROM ({sql}) AS part{n}")  # noqa: S608 (our columns)
        params.extend(part)
    if not parts:
        return "", ()
    day, community, category, state, count, seconds = GROUPED_COLUMNS
    union = " UNION ALL ".join(parts)
    keys = f"{day}, {community}, {category}, {state}"
    sql = (
        f"SELECT {keys}, SUM({count}) AS {count}, SUM({seconds}) AS {seconds}"  # noqa: S608
        f" FROM ({union}) AS parts GROUP BY {keys}"
    )
    return sql, tuple(params)


def _insert(model: Any, columns: Iterable[str], sql: str, params: Sequence[Any]) -> int:
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}", params)
        return max(int(cursor.rowcount), 0)


def _days_from_source(source: RollupSource, upto: int) -> int:
    """The source's daily rows, written by one ``INSERT … SELECT``; returns how many."""
    sql, params = grouped_sql(source, upto)
    if not sql:
        return 0
    day, community, category, state, count, seconds = GROUPED_COLUMNS
    select = (
        f"SELECT %s, {day}, {community}, {category}, {state}, {count}, {seconds}"  # noqa: S608
        f" FROM ({sql}) AS cells WHERE {count} <> 0 OR {seconds} <> 0"
    )
    columns = ("source", "day", "community", "category", "state", "count", "duration_seconds")
    return _insert(DailyRollup, columns, select, (source.name, *params))


def _months_from_days(source: str) -> None:
    """The monthly rows of ``source``: its daily rows summed per month, as recorded and
    then at each area level (each one ``INSERT … SELECT``)."""
    columns = (
        *("source", "digits", "month", "community"),
        *("category", "state", "count", "duration_seconds"),
    )
    recorded = (
        DailyRollup.objects.filter(source=source)
        .values(
            rollup_month=TruncMonth("day"),
            rollup_community=F("community"),
            rollup_category=F("category"),
            rollup_state=F("state"),
        )
        .annotate(rollup_count=Sum("count"), rollup_seconds=Sum("duration_seconds"))
        .order_by()
    )
    _insert_months(columns, recorded, source, 0)
    for digits in AREA_DIGITS:
        level = (
            MonthlyRollup.objects.filter(source=source, digits=0)
            .alias(code_length=Length("community"))
            .filter(code_length__gte=digits)
            .values(
                rollup_month=F("month"),
                rollup_community=Substr("community", 1, digits),
                rollup_category=F("category"),
                rollup_state=F("state"),
            )
            .annotate(rollup_count=Sum("count"), rollup_seconds=Sum("duration_seconds"))
            .order_by()
        )
        _insert_months(columns, level, source, digits)


def _insert_months(
    columns: tuple[str, ...], queryset: QuerySet[Any], source: str, digits: int
) -> None:
    sql, params = _sql(queryset)
    select = (
        "SELECT %s, %s, rollup_month, rollup_community, rollup_category, rollup_state,"  # noqa: S608
        f" rollup_count, rollup_seconds FROM ({sql}) AS months"
    )
    _insert(MonthlyRollup, columns, select, (source, digits, *params))


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
    # Monthly rows at the level asked (a city's districts are a few hundred rows a month,
    # whatever the number of events); other groupings sum the rows as recorded.
    rows = MonthlyRollup.objects.filter(
        source=source, state__in=states, month__lte=query.end, community__startswith=query.area
    )
    if query.group_len in AREA_DIGITS:
        rows = rows.filter(digits=query.group_len)
        group: Any = F("community")
    else:
        rows = (
            rows.filter(digits=0)
            .alias(code_length=Length("community"))
            .filter(code_length__gte=query.group_len)
        )
        group = Substr("community", 1, query.group_len)
    if not since_start:
        rows = rows.filter(month__gte=query.start)
    by = ["group", "month", "state", *(["category"] if by_category else [])]
    grouped = (
        rows.annotate(group=group)
        .values(*by)
        .annotate(n=Sum("count"), seconds=Sum("duration_seconds"))
        .order_by()
        .values_list(*by, "n", "seconds")
    )
    weights = signs or {}
    # value and base of each cell, added up as plain numbers (thousands of rows).
    sums: dict[tuple[str, str, datetime.date], list[float]] = {}
    for row in grouped:
        group_code, month, state = row[:3]
        category, n_sum, seconds = row[3:] if by_category else ("", *row[3:])
        weight = weights.get(state, 1)
        if isinstance(month, datetime.datetime):
            month = month.date()
        key = (group_code, category, month)
        n = int(n_sum) * weight
        value = float(seconds or 0) * weight / 3600 if hours else float(n)
        cell = sums.get(key)
        if cell is None:
            sums[key] = [value, n]
        else:
            cell[0] += value
            cell[1] += n
    flows = {key: Measure(value, int(n)) for key, (value, n) in sums.items()}
    if not since_start:
        return flows
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
    memo = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(memo)
        _scanning.reset(token)


_memo: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "scan_memo", default=None
)


def scan_memo() -> dict[Any, Any] | None:
    """Within :func:`full_scan`, a dict a source may keep what it found in (e.g. the
    distinct label strings its grouped queries need), so that a scan's many figures
    do not find it again; None outside one."""
    return _memo.get()


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
    """What :func:`rollup_measures` gives, from the source's own grouped query (a scan)."""
    declared = registry_source(source)
    if declared is None or not states:
        return {}
    upto = declared.max_id()
    asked: dict[str, Any] = {
        "rollup_state__in": states,
        "rollup_community__startswith": query.area,
        "rollup_day__lte": query.end,
    }
    if not since_start:
        asked["rollup_day__gte"] = query.start
    sql, params = grouped_sql(declared, upto, **asked)
    if not sql:
        return {}
    day, community, category, state, count, seconds = GROUPED_COLUMNS
    where = [f"length({community}) >= %s"]
    where_params: list[Any] = [query.group_len]
    length = int(query.group_len)
    scan = (
        f"SELECT substr({community}, 1, {length}), {category}, {day}, {state},"  # noqa: S608
        f" SUM({count}), SUM({seconds}) FROM ({sql}) AS scan WHERE {' AND '.join(where)}"
        " GROUP BY 1, 2, 3, 4"
    )
    weights = signs or {}
    flows: dict[tuple[str, str, datetime.date], Measure] = defaultdict(lambda: Measure(0, 0))
    with connection.cursor() as cursor:
        cursor.execute(scan, (*params, *where_params))
        for group, cat, when, row_state, n_sum, seconds_sum in cursor.fetchall():
            day_of = _date(when)
            weight = weights.get(row_state, 1)
            key = (group, cat if by_category else "", day_of.replace(day=1))
            n = int(n_sum) * weight
            value = float(seconds_sum or 0) * weight / 3600 if hours else float(n)
            flows[key] = flows[key] + Measure(value, n)
    if not since_start:
        return dict(flows)
    return _cumulate(flows, query.months)


def _date(value: Any) -> datetime.date:
    """A day as the database hands it back: a date, a datetime, or text (SQLite)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


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
