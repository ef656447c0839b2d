"""Fast bulk inserts for the city-scale demo and benchmarks (millions of rows).

``bulk_create`` compiles every value of every row through the ORM; at a million rows
that costs more than the database. :func:`insert_rows` prepares each column once
(encrypting ``EncryptedTextField`` values and computing ``BlindIndexField`` indexes
exactly as a save would) and sends plain ``executemany`` batches. Primary keys are
assigned here, from the table's current maximum, so callers can refer to the new rows
(a consent for each resident) without reading them back; the PostgreSQL sequence is
moved past them afterwards.

For seeders and benchmarks only: no signals, no ``save()``, no audit entry. Anything
a person does goes through a service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from sihai.core import crypto
from sihai.core.fields import BlindIndexField, EncryptedTextField

Prepare = Callable[[dict[str, Any]], Any]


def _preparer(field: models.Field[Any, Any], now: Any) -> Prepare:  # noqa: PLR0911  (one per kind)
    name = field.attname
    ops = connection.ops
    if isinstance(field, EncryptedTextField):
        context = field.crypto_context

        def encrypt(row: dict[str, Any]) -> str | None:
            value = row.get(name, field.get_default())
            if value is None or value == "":
                return None if value is None else ""  # as EncryptedTextField stores them
            return crypto.encrypt(str(value), context=context)

        return encrypt
    if isinstance(field, BlindIndexField):
        source = field.source

        def index(row: dict[str, Any]) -> str | None:
            if name in row:  # computed by the caller already (to check uniqueness)
                given: str | None = row[name]
                return given
            value = row.get(source)
            return None if value in (None, "") else field.index_of(str(value))

        return index
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        return lambda row: now
    if isinstance(field, models.DateTimeField):
        return lambda row: ops.adapt_datetimefield_value(row.get(name, field.get_default()))
    if isinstance(field, models.DateField):
        return lambda row: ops.adapt_datefield_value(row.get(name, field.get_default()))
    if isinstance(field, models.JSONField):
        return lambda row: field.get_db_prep_save(row.get(name, field.get_default()), connection)
    default = field.get_default()
    return lambda row: row.get(name, default)


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def next_pk(model: type[models.Model]) -> int:
    """The first primary key :func:`insert_rows` would give a new row."""
    top: int | None = model._default_manager.aggregate(top=Max("pk"))["top"]
    return (top or 0) + 1


def insert_rows(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, batch: int = 5000
) -> int:
    """Insert ``rows`` (dicts keyed by attribute name, ``id`` included), one transaction per
    batch; returns how many were inserted."""
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608, E501  (names from the model, values bound)
    total = 0
    for chunk in _chunks(rows, batch):
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        prepare = [_preparer(f, now) for f in fields]
        params = [[p(row) for p in prepare] for row in chunk]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, params)
        total += len(chunk)
    if connection.vendor == "postgresql" and total:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)
    return total
