"""Import jobs: an uploaded register, its mapping, its progress, its committed batches.

The uploaded file and the error workbook are personal data: they are kept
encrypted (``ImportFile``, SM4-GCM like the fields) and deleted when the job is
finished or abandoned (``SIHAI_IMPORT_RETENTION_HOURS``). Problems are stored by
row and column with their message, never with the cell's value.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sihai.core.models import TimeStampedModel
from sihai.spreadsheets.states import JobState


class Phase(models.TextChoices):
    CHECK = "check", _("check")
    IMPORT = "import", _("import")


class ImportJob(TimeStampedModel):
    importer = models.CharField(_("what is imported"), max_length=40)
    owner = models.ForeignKey(
        "accounts.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    # The jurisdiction the worker imports into: rows must lie under it.
    area = models.ForeignKey(
        "areas.AdministrativeArea",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=120)
    file_kind = models.CharField(max_length=10)
    file_size = models.PositiveIntegerField(default=0)
    # SM3 of the uploaded bytes: the same file uploaded again finds this job.
    file_hash = models.CharField(max_length=64, db_index=True)
    # The language the worker uploaded in: messages in the error workbook use it.
    language = models.CharField(max_length=10, default="zh-hans")
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    sheet_names = models.JSONField(default=list)
    header_row = models.PositiveIntegerField(default=1)
    # {"<column index>": "<field key>"}; refused columns are listed by header name only.
    mapping = models.JSONField(default=dict)
    refused_columns = models.JSONField(default=list)
    evidence = models.CharField(_("consent basis"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=JobState.choices, default=JobState.UPLOADED
    )
    # The pass the job is in (or stopped in): checking every row, or importing.
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.CHECK)
    # Counts of data rows (non-empty rows below the header).
    rows_total = models.PositiveIntegerField(default=0)
    rows_estimated = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    rows_existing = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    cells_invalid = models.PositiveIntegerField(default=0)
    # Resume point of the import pass: the first sheet row no committed batch covers.
    next_row = models.PositiveIntegerField(default=0)
    # The running pass's lease: a worker writes only while the job still names its token.
    lease = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["owner", "-created_at"], name="importjob_owner_recent")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.importer}, {self.state})"


class FileRole(models.TextChoices):
    UPLOAD = "upload", _("uploaded file")
    ERRORS = "errors", _("error workbook")


class ImportFile(models.Model):
    """An encrypted file of a job: the upload, or the error workbook."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=10, choices=FileRole.choices)
    content = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "role"], name="one_file_per_role")]

    def __str__(self) -> str:
        return f"{self.role} of job {self.job_id}"


class ImportIssue(models.Model):
    """One problem on one cell (or row) of a job's file: where, which code, what message."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    row = models.PositiveIntegerField()
    # The sheet column (0-based); null for a problem of the whole row.
    column = models.PositiveIntegerField(null=True)
    code = models.CharField(max_length=60)
    message = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["job", "phase", "row"], name="importissue_job_row")]

    def __str__(self) -> str:
        return f"{self.code} at row {self.row}"


class ImportBatch(models.Model):
    """A committed batch of the import pass, written in the same transaction as its rows."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="batches")
    first_row = models.PositiveIntegerField()
    last_row = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    skipped = models.PositiveIntegerField()
    committed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "first_row"], name="one_batch_per_start")
        ]

    def __str__(self) -> str:
        return f"rows {self.first_row}-{self.last_row} of job {self.job_id}"
