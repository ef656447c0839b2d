"""Re-encrypting stored values under the active key (``sihai rotate-keys``).

Rows are read as raw ciphertext in primary-key order, batch by batch; a value
whose key id is not the active one is decrypted and encrypted again. Each batch
commits on its own, so the run can stop at any point and simply be started
again: rows already moved are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from sihai.core import crypto
from sihai.core.fields import EncryptedTextField


@dataclass
class RotationReport:
    model: str
    examined: int = 0
    rotated: int = 0


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[EncryptedTextField]]]:
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


def rotate_model(
    model: type[models.Model],
    fields: list[EncryptedTextField],
    *,
    batch_size: int = 500,
    on_batch: Callable[[str, list[Any]], None] | None = None,
) -> RotationReport:
    """Move every value of ``fields`` to the active key, one committed batch at a time."""
    active = crypto.keyring().active.key_id
    report = RotationReport(model._meta.label)
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    last_pk: Any = None
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    while True:
        where = f"WHERE {pk_column} > %s " if last_pk is not None else ""
        params: list[Any] = [last_pk] if last_pk is not None else []
        # Read and rewrite a batch in one transaction, rows locked, so a value changed by
        # the application meanwhile is never overwritten with its older plaintext.
        with transaction.atomic(), connection.cursor() as cursor:
            # Identifiers come from the model and are quoted by the backend; values are parameters.
            sql = f"SELECT {pk_column}, {columns} FROM {table} {where}"  # noqa: S608
            sql += f"ORDER BY {pk_column} LIMIT %s{lock}"
            cursor.execute(sql, [*params, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return report
            moved: list[Any] = []
            for pk, *values in rows:
                report.examined += 1
                changes = {}
                for field, value in zip(fields, values, strict=True):
                    if value and crypto.key_id_of(value) != active:
                        plaintext = crypto.decrypt(value, context=field.crypto_context)
                        changes[field.attname] = crypto.Ciphertext(
                            crypto.encrypt(plaintext, context=field.crypto_context)
                        )
                if changes:
                    model._default_manager.filter(pk=pk).update(**changes)
                    report.rotated += 1
                    moved.append(pk)
            if moved and on_batch is not None:
                # In the batch transaction: re-encrypted rows and their record commit together.
                on_batch(model._meta.label, moved)
        last_pk = rows[-1][0]
