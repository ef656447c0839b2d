"""Import jobs: upload, map, check, import, cancel, resume. Every change is audited.

The passes over the file run in the background (:mod:`sihai.spreadsheets.engine`,
started by :mod:`sihai.spreadsheets.tasks`); these services move a job between
states (``states.TRANSITIONS``) and queue the pass in the same transaction.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sihai.accounts.models import User
from sihai.audit import services as audit
from sihai.core import crypto
from sihai.core.errors import InvalidInput, NotFound
from sihai.core.policy import roots_for
from sihai.spreadsheets import readers
from sihai.spreadsheets.models import FileRole, ImportFile, ImportIssue, ImportJob, Phase
from sihai.spreadsheets.policies import can_import, visible_jobs
from sihai.spreadsheets.registry import Importer, importers, suggest
from sihai.spreadsheets.selectors import job_get_for_actor
from sihai.spreadsheets.states import FINISHED, RUNNING, JobState, check_transition

HEADER_SCAN_ROWS = 30


def _context(job_id: int, role: str) -> str:
    return f"spreadsheets.importfile.{role}.{job_id}"


def file_store(job: ImportJob, role: str, data: bytes) -> None:
    """Keep a job's file encrypted (the job id and role are the associated data)."""
    ImportFile.objects.update_or_create(
        job=job,
        role=role,
        defaults={
            "content": crypto.encrypt_bytes(data, context=_context(job.pk, role)),
            "size": len(data),
        },
    )


def file_load(job: ImportJob, role: str) -> bytes | None:
    stored = ImportFile.objects.filter(job=job, role=role).values_list("content", flat=True)
    token = stored.first()
    if token is None:
        return None
    return crypto.decrypt_bytes(bytes(token), context=_context(job.pk, role))


def importer_of(job: ImportJob) -> Importer:
    importer = importers.get(job.importer)
    if importer is None:
        raise NotFound(NotFound.default_message())
    return importer


def _locked(job_id: int, actor: Any, *, owner_only: bool = True) -> ImportJob:
    job_get_for_actor(actor=actor, job_id=job_id, owner_only=owner_only)
    return ImportJob.objects.select_for_update().select_related("area").get(pk=job_id)


def import_area(actor: Any, importer: Importer, area_code: str = "") -> str:
    """The area a job imports into: the one asked for, or the actor's only one."""
    roots = roots_for(actor, importer.action)
    if area_code:
        if not can_import(actor, importer.key, area_code):
            raise NotFound(NotFound.default_message())
        return area_code
    if len(roots) != 1:
        raise InvalidInput(
            _("You work in several areas: choose the one this register belongs to."),
            code="import.area",
        )
    return roots[0]


@transaction.atomic
def job_upload(
    *, actor: User, importer_key: str, file_name: str, data: bytes, area_code: str = ""
) -> tuple[ImportJob, bool]:
    """Store an uploaded register (encrypted) and suggest a mapping; ``(job, created)``.

    The same file uploaded again (same SM3 digest) gives back the job it made the first
    time, unchanged: re-uploading changes nothing.
    """
    importer = importers.get(importer_key)
    if importer is None or not roots_for(actor, importer.action):
        raise NotFound(NotFound.default_message())
    area = import_area(actor, importer, area_code)
    table = readers.open_table(data)
    digest = crypto.sm3_hex(data)
    earlier = (
        visible_jobs(actor, ImportJob.objects.all())
        .filter(importer=importer.key, file_hash=digest)
        .exclude(state=JobState.CANCELLED)
        .order_by("-created_at")
        .first()
    )
    if earlier is not None:
        return earlier, False
    job = ImportJob.objects.create(
        importer=importer.key,
        owner=actor,
        area_id=area,
        file_name=file_name[-120:],
        file_kind=table.kind,
        file_size=len(data),
        file_hash=digest,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        sheet=table.sheet,
        sheet_names=table.sheet_names[:50],
        rows_estimated=table.estimated_rows,
    )
    file_store(job, FileRole.UPLOAD, data)
    audit.record(
        actor=actor,
        action="spreadsheets.import_uploaded",
        target=job,
        area_code=area,
        changes={"importer": importer.key, "kind": table.kind, "bytes": len(data)},
    )
    return job, True


def job_table(job: ImportJob, sheet: str | None = None) -> readers.Table:
    """The job's uploaded file, opened at ``sheet`` (or the job's sheet)."""
    data = file_load(job, FileRole.UPLOAD)
    if data is None:
        raise InvalidInput(
            _("The uploaded file has been deleted: upload it again."), code="import.no_file"
        )
    return readers.open_table(data, sheet=sheet if sheet is not None else job.sheet)


def header_preview(
    job: ImportJob, *, sheet: str | None = None, header_row: int | None = None
) -> dict[str, Any]:
    """The header of a sheet and the suggested mapping (no data row is returned)."""
    from sihai.spreadsheets.registry import find_header  # noqa: PLC0415

    importer = importer_of(job)
    table = job_table(job, sheet)
    head: list[tuple[int, list[readers.Value]]] = []
    for number, values in table.rows():
        head.append((number, values))
        if len(head) >= HEADER_SCAN_ROWS:
            break
    found = header_row or find_header(importer, head)
    header = next((values for number, values in head if number == found), [])
    mapping, refused = suggest(importer, header)
    if sheet is None and header_row is None and job.mapping:
        mapping = {int(k): v for k, v in job.mapping.items()}
    return {
        "sheet": table.sheet,
        "sheet_names": table.sheet_names,
        "header_row": found or 1,
        "header": [("" if v is None else str(v))[:60] for v in header],
        "mapping": mapping,
        "refused": refused,
        "recognised": bool(mapping),
    }


def _validate_mapping(
    importer: Importer, mapping: dict[int, str], refused: dict[int, str], defaults: dict[str, Any]
) -> None:
    keys = list(mapping.values())
    known = {c.key for c in importer.columns}
    for index, key in mapping.items():
        if index in refused:
            item = next(r for r in importer.refused if r.key == refused[index])
            raise InvalidInput(str(item.reason), code="import.refused_column")
        if key not in known:
            raise InvalidInput(_("Choose a field from the list."), code="import.mapping")
    duplicated = {k for k in keys if keys.count(k) > 1}
    if duplicated:
        raise InvalidInput(
            _("Each field can come from one column only: %(fields)s.")
            % {"fields": "、".join(str(importer.column(k).label) for k in sorted(duplicated))},
            code="import.mapping_twice",
        )
    missing = [
        c for c in importer.columns if c.required and c.key not in keys and c.key not in defaults
    ]
    if missing:
        raise InvalidInput(
            _("Map a column to every required field: %(fields)s.")
            % {"fields": "、".join(str(c.label) for c in missing)},
            code="import.mapping_required",
        )


def _lease() -> str:
    return uuid.uuid4().hex


def _queue_pass(
    job: ImportJob, *, state: str, actor: User | None, action: str, changes: dict[str, Any]
) -> ImportJob:
    """Move the job to a running state under a new lease, audit it, and queue its pass."""
    from sihai.spreadsheets.tasks import import_pass  # noqa: PLC0415  (tasks import services)

    job.state = state
    job.phase = Phase.CHECK if state == JobState.CHECKING else Phase.IMPORT
    job.lease = _lease()
    job.heartbeat_at = timezone.now()
    job.failure = ""
    job.save()
    audit.record(actor=actor, action=action, target=job, area_code=job.area_id, changes=changes)
    import_pass.enqueue(job.pk, job.lease)
    return job


@transaction.atomic
def job_map(
    *, actor: User, job_id: int, sheet: str, header_row: int, mapping: dict[int, str]
) -> ImportJob:
    """Confirm the sheet, header row and mapping, and check every row in the background."""
    job = _locked(job_id, actor)
    check_transition(job.state, JobState.CHECKING)
    importer = importer_of(job)
    preview = header_preview(job, sheet=sheet, header_row=header_row)
    refused = preview["refused"]
    mapping = {i: k for i, k in mapping.items() if k}
    _validate_mapping(importer, mapping, refused, importer.defaults(actor=actor))
    header = preview["header"]
    job.sheet = preview["sheet"]
    job.header_row = preview["header_row"]
    job.mapping = {str(i): k for i, k in sorted(mapping.items())}
    job.refused_columns = [header[i] for i in sorted(refused) if i < len(header)]
    return _queue_pass(
        job,
        state=JobState.CHECKING,
        actor=actor,
        action="spreadsheets.import_mapped",
        changes={
            "sheet": job.sheet,
            "header_row": job.header_row,
            "mapping": job.mapping,
            "refused": job.refused_columns,
        },
    )


def job_map_as_suggested(*, actor: User, job_id: int) -> ImportJob:
    """Confirm the first sheet, the header row and the mapping the framework suggests."""
    job = job_get_for_actor(actor=actor, job_id=job_id, owner_only=True)
    preview = header_preview(job)
    return job_map(
        actor=actor,
        job_id=job.pk,
        sheet=preview["sheet"],
        header_row=preview["header_row"],
        mapping=preview["mapping"],
    )


@transaction.atomic
def job_start(*, actor: User, job_id: int, evidence: str = "") -> ImportJob:
    """Import the valid rows of a checked job, in batches, in the background."""
    job = _locked(job_id, actor)
    check_transition(job.state, JobState.IMPORTING)
    if job.state == JobState.FAILED and job.phase == Phase.CHECK:
        raise InvalidInput(_("Check the rows again first."), code="import.state")
    importer = importer_of(job)
    evidence = evidence.strip()[:200] or job.evidence
    if importer.evidence_label and not evidence:
        raise InvalidInput(
            _("Give the reference of the consent basis; nothing is imported without it."),
            code="import.evidence",
        )
    if not can_import(actor, importer.key, job.area_id):
        raise NotFound(NotFound.default_message())
    job.evidence = evidence
    if job.state == JobState.CHECKED:
        job.next_row = job.header_row + 1
        job.rows_done = job.rows_valid = job.rows_invalid = job.rows_existing = 0
        job.rows_imported = job.cells_invalid = 0
        ImportIssue.objects.filter(job=job, phase=Phase.IMPORT).delete()
    return _queue_pass(
        job,
        state=JobState.IMPORTING,
        actor=actor,
        action="spreadsheets.import_started",
        changes={"evidence": evidence, "from_row": job.next_row},
    )


def stale(job: ImportJob) -> bool:
    """A running pass that has not committed a batch for a while: its worker stopped."""
    if job.state not in RUNNING or job.heartbeat_at is None:
        return False
    limit = datetime.timedelta(seconds=settings.SIHAI_IMPORT_STALE_SECONDS)
    return timezone.now() - job.heartbeat_at > limit


@transaction.atomic
def job_resume(*, actor: User | None, job_id: int) -> ImportJob:
    """Queue a stopped pass again; the import pass goes on after its last committed batch.

    ``actor=None`` is the operator's command (``sihai imports resume``).
    """
    if actor is None:
        job = ImportJob.objects.select_for_update().get(pk=job_id)
    else:
        job = _locked(job_id, actor)
    if not (stale(job) or job.state == JobState.FAILED):
        raise InvalidInput(
            _("This import is running; it can be resumed only if it stops."),
            code="import.not_stopped",
        )
    target = JobState.CHECKING if job.phase == Phase.CHECK else JobState.IMPORTING
    check_transition(job.state, target)
    return _queue_pass(
        job,
        state=target,
        actor=actor,
        action="spreadsheets.import_resumed",
        changes={"state": target, "from_row": job.next_row},
    )


@transaction.atomic
def job_cancel(*, actor: User, job_id: int) -> ImportJob:
    """Abandon a job before it imports; its uploaded file is deleted."""
    job = _locked(job_id, actor)
    check_transition(job.state, JobState.CANCELLED)
    job.state = JobState.CANCELLED
    job.lease = ""
    job.finished_at = timezone.now()
    job.save()
    ImportFile.objects.filter(job=job).delete()
    audit.record(
        actor=actor, action="spreadsheets.import_cancelled", target=job, area_code=job.area_id
    )
    return job


def errors_download(*, actor: User, job_id: int) -> tuple[ImportJob, bytes]:
    """The error workbook of a job, for its owner or staff over its area; the read is logged."""
    job = job_get_for_actor(actor=actor, job_id=job_id)
    data = file_load(job, FileRole.ERRORS)
    if data is None:
        raise NotFound(NotFound.default_message())
    audit.access(
        actor=actor,
        subject=job,
        purpose="import_errors",
        fields=sorted(set(job.mapping.values())),
        subject_area=job.area_id,
    )
    return job, data


@transaction.atomic
def files_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete files past their retention: uploads of abandoned jobs, old error workbooks."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.SIHAI_IMPORT_RETENTION_HOURS)
    old = ImportFile.objects.filter(created_at__lt=cutoff).exclude(
        job__state__in=RUNNING
    ) | ImportFile.objects.filter(job__state__in=FINISHED, role=FileRole.UPLOAD)
    deleted = 0
    for job_id, role in list(old.values_list("job_id", "role").distinct()):
        deleted += ImportFile.objects.filter(job_id=job_id, role=role).delete()[0]
        audit.record(
            actor=None,
            action="spreadsheets.file_purged",
            target_type="spreadsheets.importjob",
            target_id=str(job_id),
            changes={"file": role},
        )
    return deleted
