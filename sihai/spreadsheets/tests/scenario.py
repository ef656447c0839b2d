"""Steps of the kill-and-resume test, run inside `sihai shell` against a real database."""

from __future__ import annotations

import json

from sihai.accounts.models import User
from sihai.audit.models import AuditEntry
from sihai.residents.imports import sample_register
from sihai.residents.models import Consent, Resident
from sihai.spreadsheets import services
from sihai.spreadsheets.models import ImportBatch, ImportJob


def prepare(count: int) -> None:
    """Upload a register and confirm its mapping (the check pass is queued)."""
    worker = User.objects.get(username="cuihu_worker")
    register = sample_register(count, seed=3)
    job, _created = services.job_upload(
        actor=worker, importer_key="residents", file_name="台账.xlsx", data=register.data
    )
    services.job_map_as_suggested(actor=worker, job_id=job.pk)
    print(json.dumps({"job": job.pk, "valid": register.valid}))  # noqa: T201


def start(job_id: int) -> None:
    worker = User.objects.get(username="cuihu_worker")
    services.job_start(actor=worker, job_id=job_id, evidence="kill test forms")


def report(job_id: int) -> None:
    """What is in the database now, for the test to compare."""
    job = ImportJob.objects.get(pk=job_id)
    batches = list(ImportBatch.objects.filter(job=job).order_by("first_row").values())
    imported = Resident.objects.filter(
        registered_via="import", registered_by__username="cuihu_worker"
    )
    print(  # noqa: T201
        json.dumps(
            {
                "state": job.state,
                "next_row": job.next_row,
                "rows_imported": job.rows_imported,
                "residents": imported.count(),
                "distinct_ids": imported.values("id_number_index").distinct().count(),
                "consents": Consent.objects.filter(resident__in=imported).count(),
                "batches": [(b["first_row"], b["last_row"], b["created"]) for b in batches],
                "audited": AuditEntry.objects.filter(
                    action="residents.imported", target_id=str(job.pk)
                ).count(),
            }
        )
    )
