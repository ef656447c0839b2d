"""Reading import jobs: scoped to the actor (policies.visible_jobs), never their file contents."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sihai.core.errors import NotFound
from sihai.spreadsheets.models import FileRole, ImportFile, ImportIssue, ImportJob, Phase
from sihai.spreadsheets.policies import visible_jobs
from sihai.spreadsheets.registry import Importer
from sihai.spreadsheets.states import JobState

RECENT = 50


def jobs_for_actor(*, actor: Any) -> QuerySet[ImportJob]:
    """The actor's visible jobs, newest first (at most 50)."""
    return visible_jobs(actor, ImportJob.objects.select_related("area", "owner")).order_by(
        "-created_at", "-pk"
    )[:RECENT]


def job_get_for_actor(*, actor: Any, job_id: int, owner_only: bool = False) -> ImportJob:
    """A job the actor may see (``owner_only``: one they uploaded); else NotFound."""
    queryset = visible_jobs(actor, ImportJob.objects.select_related("area", "owner"))
    if owner_only:
        queryset = queryset.filter(owner_id=actor.pk)
    job = queryset.filter(pk=job_id).first()
    if job is None:
        raise NotFound(NotFound.default_message())
    return job


def first_issues(*, job: ImportJob, limit: int = 20) -> list[ImportIssue]:
    """The first problems of the job's latest pass (for the preview; no cell values)."""
    phase = Phase.IMPORT if job.phase == Phase.IMPORT else Phase.CHECK
    return list(
        ImportIssue.objects.filter(job=job, phase=phase).order_by("row", "column", "pk")[:limit]
    )


def has_error_workbook(*, job: ImportJob) -> bool:
    return ImportFile.objects.filter(job=job, role=FileRole.ERRORS).exists()


def mapped_fields(*, job: ImportJob, importer: Importer) -> list[tuple[str, str]]:
    """(sheet column letter, field label) of the confirmed mapping."""
    from sihai.spreadsheets.readers import column_letter  # noqa: PLC0415

    known = {c.key: c.label for c in importer.columns}
    return [
        (column_letter(int(index)), str(known.get(key, key)))
        for index, key in sorted(job.mapping.items(), key=lambda item: int(item[0]))
    ]


def progress(*, job: ImportJob) -> dict[str, int]:
    """Rows done of the current pass, of how many (counted by the check, else estimated)."""
    if job.state in {JobState.CHECKED, JobState.DONE}:
        return {"done": job.rows_done, "total": job.rows_done, "percent": 100}
    total = job.rows_total or job.rows_estimated - job.header_row
    total = max(total, job.rows_done, 1)
    return {"done": job.rows_done, "total": total, "percent": 100 * job.rows_done // total}
