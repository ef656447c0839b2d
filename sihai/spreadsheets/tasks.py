"""The background pass of an import job (django-tasks; `sihai db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task

from sihai.spreadsheets import engine


@task()
def import_pass(job_id: int, lease: str) -> str:
    """Check or import a job's rows; a pass whose lease was replaced stops at once."""
    return engine.run(job_id, lease)
