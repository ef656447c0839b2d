"""`sihai imports resume|purge`: operators' side of the register import."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sihai.spreadsheets import services
from sihai.spreadsheets.models import ImportJob
from sihai.spreadsheets.states import RUNNING, JobState


class Command(BaseCommand):
    help = (
        "resume: queue again the import jobs whose worker stopped (killed, host restarted), "
        "from their last committed batch; purge: delete uploads and error workbooks past "
        "SIHAI_IMPORT_RETENTION_HOURS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["resume", "purge"])
        parser.add_argument(
            "--failed", action="store_true", help="resume: also jobs stopped by an error"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "purge":
            deleted = services.files_purge()
            self.stdout.write(f"deleted {deleted} import files past their retention")
            return
        states = set(RUNNING) | ({JobState.FAILED} if options["failed"] else set())
        resumed = 0
        for job in ImportJob.objects.filter(state__in=states).order_by("pk"):
            if job.state == JobState.FAILED or services.stale(job):
                services.job_resume(actor=None, job_id=job.pk)
                resumed += 1
                self.stdout.write(f"resumed import {job.pk} from row {job.next_row}")
        self.stdout.write(f"{resumed} import jobs resumed")
