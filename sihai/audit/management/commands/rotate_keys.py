"""`sihai rotate-keys`: re-encrypt every encrypted column under SIHAI_FIELD_KEY_ACTIVE.

Resumable: it can be interrupted and run again. Keep the old key listed in
SIHAI_FIELD_KEYS until a run reports 0 values left on it. The command lives in
the audit app because a rotation is recorded in the audit log (core imports no app).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from sihai.audit import services as audit
from sihai.core import crypto
from sihai.core.rotation import encrypted_columns, rotate_model


class Command(BaseCommand):
    help = "Re-encrypt stored values under the active field key (safe to interrupt and re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    @staticmethod
    def _record_batch(model_label: str, primary_keys: list[Any]) -> None:
        audit.record(
            actor=None,
            action="core.values_reencrypted",
            target_type=model_label.lower(),
            changes={
                "rows": len(primary_keys),
                "first": str(primary_keys[0]),
                "last": str(primary_keys[-1]),
            },
        )

    def handle(self, *args: Any, **options: Any) -> None:
        active = crypto.keyring().active
        self.stdout.write(f"active key: {active.key_id} ({active.algorithm})")
        total = 0
        for model, fields in encrypted_columns():
            report = rotate_model(
                model, fields, batch_size=options["batch_size"], on_batch=self._record_batch
            )
            total += report.rotated
            self.stdout.write(
                f"  {report.model}: {report.rotated} of {report.examined} rows re-encrypted"
            )
        with transaction.atomic():
            audit.record(
                actor=None,
                action="core.keys_rotated",
                changes={"active_key": active.key_id, "rows": total},
            )
        self.stdout.write(self.style.SUCCESS(f"done: {total} rows moved to key {active.key_id}"))
