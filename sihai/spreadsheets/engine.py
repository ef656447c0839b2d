"""The passes over an uploaded register: check every row, then import the valid ones.

Both passes stream the file and parse every mapped cell by its column's kind, so
each bad cell gets its own message; the importer then checks the row as a whole
and names its duplicate keys. A key seen on an earlier row is a duplicate in the
file; a key the database has is "already registered" (skipped, not an error).

The import pass writes in batches. Each batch is one transaction holding the new
records, their audit entry, the batch's row range (``ImportBatch``), its problems
and the job's counters and resume point (``next_row``): a worker killed at any
moment leaves whole batches or nothing, and the next pass starts after the last
committed one. A pass writes only while the job still carries its lease, so a
resumed job and a worker that was only slow never both write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sihai.audit import services as audit
from sihai.core.errors import InvalidInput
from sihai.spreadsheets import cells
from sihai.spreadsheets.models import (
    FileRole,
    ImportBatch,
    ImportFile,
    ImportIssue,
    ImportJob,
    Phase,
)
from sihai.spreadsheets.policies import can_import
from sihai.spreadsheets.readers import SpreadsheetError, Table, Value
from sihai.spreadsheets.registry import Cleaned, Column, Importer, Problem, ValidRow, suggest
from sihai.spreadsheets.services import file_store, importer_of, job_table
from sihai.spreadsheets.states import RUNNING, JobState, check_transition
from sihai.spreadsheets.writers import CellProblem, ErrorWorkbook

logger = logging.getLogger(__name__)
WRITE_ATTEMPTS = 3


class Superseded(Exception):
    """Another pass holds the job now (it was resumed, or cancelled): stop quietly."""


@dataclass
class RowResult:
    row: int
    problems: list[Problem] = field(default_factory=list)
    cleaned: Cleaned | None = None


def _text(column: Column, raw: Value, table: Table) -> str:
    value = cells.text(raw)
    if len(value) > column.max_length:
        raise InvalidInput(
            _("At most %(n)d characters.") % {"n": column.max_length}, code="cell.too_long"
        )
    return value


PARSERS: dict[str, Callable[[Column, Value, Table], Any]] = {
    "text": _text,
    "date": lambda column, raw, table: cells.parse_date(raw, epoch=table.epoch),
    "id_number": lambda column, raw, table: cells.parse_id_number(raw),
    "phone": lambda column, raw, table: cells.parse_phone(raw),
    "area": lambda column, raw, table: cells.parse_area_code(raw),
    "choice": lambda column, raw, table: cells.parse_choice(raw, column.choices, column.fallback),
    "list": lambda column, raw, table: cells.parse_list(raw),
}


def parse_cell(column: Column, raw: Value, table: Table) -> Any:
    """One cell as its column's kind; InvalidInput with the cell's message."""
    return PARSERS[column.kind](column, raw, table)


def run(job_id: int, lease: str) -> str:
    """Run the job's current pass if ``lease`` still holds it; the outcome as a word."""
    job = (
        ImportJob.objects.select_related("owner", "area")
        .filter(pk=job_id, lease=lease, state__in=RUNNING)
        .first()
    )
    if job is None:
        return "superseded"
    importer = importer_of(job)
    with translation.override(job.language):
        try:
            if not can_import(job.owner, importer.key, job.area_id):
                _fail(job_id, lease, _("The uploader no longer works in this area."))
                return "failed"
            Pass(job, importer, lease).run()
        except Superseded:
            return "superseded"
        except SpreadsheetError as exc:
            _fail(job_id, lease, str(exc.message))
            return "failed"
        except Exception:
            logger.exception("import job %s stopped", job_id)
            _fail(job_id, lease, _("An unexpected error stopped this import; it can be resumed."))
            raise
    return "finished"


def _lock(job_id: int, lease: str) -> ImportJob:
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.lease != lease or job.state not in RUNNING:
        raise Superseded
    return job


def _fail(job_id: int, lease: str, message: str) -> None:
    try:
        with transaction.atomic():
            job = _lock(job_id, lease)
            check_transition(job.state, JobState.FAILED)
            job.state = JobState.FAILED
            job.failure = message[:300]
            job.save(update_fields=["state", "failure", "updated_at"])
            audit.record(
                actor=None,
                action="spreadsheets.import_failed",
                target=job,
                area_code=job.area_id,
                changes={"phase": job.phase, "next_row": job.next_row, "failure": job.failure},
            )
    except Superseded:
        return


class Pass:
    """One pass over the file (``job.phase``: check or import)."""

    def __init__(self, job: ImportJob, importer: Importer, lease: str) -> None:
        self.job = job
        self.importer = importer
        self.lease = lease
        self.importing = job.phase == Phase.IMPORT
        self.mapping = {int(k): v for k, v in job.mapping.items()}
        self.columns = {index: importer.column(key) for index, key in self.mapping.items()}
        self.column_of = {key: index for index, key in self.mapping.items()}
        self.defaults = importer.defaults(actor=job.owner)
        self.seen: dict[str, int] = {}
        self.batch_rows = settings.SIHAI_IMPORT_BATCH_ROWS
        self.book: ErrorWorkbook | None = None

    def run(self) -> None:
        table = job_table(self.job)
        context = self.importer.begin(actor=self.job.owner, job=self.job)
        if not self.importing:
            self._reset_check()
        resume_from = self.job.next_row if self.importing else 0
        # Problems of rows in batches committed before a resume, for the error workbook.
        earlier = self._problems(below=resume_from) if resume_from else {}
        try:
            self._passes(context, table, resume_from, earlier)
        finally:
            if self.book is not None:
                self.book.finish()  # also when the pass stops: no temporary file is left

    def _passes(
        self,
        context: Any,
        table: Table,
        resume_from: int,
        earlier: dict[int, list[CellProblem]],
    ) -> None:
        pending: list[tuple[RowResult, list[Value]]] = []
        for number, values in table.rows():
            if number == self.job.header_row:
                self.book = self._open_book(values)
            if number <= self.job.header_row or all(cells.blank(v) for v in values):
                continue
            result = self.evaluate(context, number, values, table)
            if number < resume_from:
                # In a committed batch: evaluated only to know its duplicate keys.
                self._book().add(number, values, earlier.get(number, []))
                continue
            pending.append((result, values))
            if len(pending) >= self.batch_rows:
                self._commit(context, pending)
                pending = []
        if pending:
            self._commit(context, pending)
        self._finish()

    def _open_book(self, header: list[Value]) -> ErrorWorkbook:
        _mapping, refused = suggest(self.importer, header)
        reason = _("Removed from this workbook: this column is never imported or kept.")
        return ErrorWorkbook(header=header, blanked=dict.fromkeys(refused, reason))

    def _book(self) -> ErrorWorkbook:
        if self.book is None:
            self.book = self._open_book([])
        return self.book

    def _problems(self, *, below: int) -> dict[int, list[CellProblem]]:
        phase = Phase.IMPORT if self.importing else Phase.CHECK
        found: dict[int, list[CellProblem]] = {}
        for row, column, code, message in ImportIssue.objects.filter(
            job=self.job, phase=phase, row__lt=below
        ).values_list("row", "column", "code", "message"):
            found.setdefault(row, []).append(
                CellProblem(column, message, note=code == "import.exists")
            )
        return found

    def evaluate(self, context: Any, number: int, values: list[Value], table: Table) -> RowResult:
        result = RowResult(number)
        parsed: dict[str, Any] = dict(self.defaults)
        for index, column in self.columns.items():
            raw = values[index] if index < len(values) else None
            if cells.blank(raw):
                if column.required and column.key not in self.defaults:
                    result.problems.append(
                        Problem(column.key, "cell.required", _("This cell must be filled in."))
                    )
                continue
            try:
                parsed[column.key] = parse_cell(column, raw, table)
            except InvalidInput as exc:
                result.problems.append(Problem(column.key, exc.code, str(exc.message)))
        if result.problems:
            return result
        outcome = self.importer.clean(context, parsed, number)
        if isinstance(outcome, list):
            result.problems = outcome
            return result
        for key, column_key in outcome.keys:
            first = self.seen.get(key)
            if first is not None:
                label = self.importer.column(column_key).label
                result.problems.append(
                    Problem(
                        column_key,
                        "import.duplicate_in_file",
                        _("The same %(field)s is in row %(row)d of this file.")
                        % {"field": label, "row": first},
                    )
                )
        if result.problems:
            return result
        for key, _column in outcome.keys:
            self.seen[key] = number
        result.cleaned = outcome
        return result

    def _reset_check(self) -> None:
        with transaction.atomic():
            job = _lock(self.job.pk, self.lease)
            ImportIssue.objects.filter(job=job, phase=Phase.CHECK).delete()
            job.rows_done = job.rows_valid = job.rows_invalid = job.rows_existing = 0
            job.rows_imported = job.cells_invalid = 0
            job.heartbeat_at = timezone.now()
            job.save()

    def _commit(self, context: Any, pending: list[tuple[RowResult, list[Value]]]) -> None:
        results = [result for result, _values in pending]
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with transaction.atomic():
                    issues = self._commit_once(context, results)
            except IntegrityError:
                # A row was registered elsewhere since it was checked: check the batch again.
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
            else:
                break
        by_row: dict[int, list[CellProblem]] = {}
        for issue in issues:
            by_row.setdefault(issue.row, []).append(
                CellProblem(issue.column, issue.message, note=issue.code == "import.exists")
            )
        book = self._book()
        for result, values in pending:
            book.add(result.row, values, by_row.get(result.row, []))

    def _commit_once(self, context: Any, pending: list[RowResult]) -> list[ImportIssue]:
        job = _lock(self.job.pk, self.lease)
        if self.importing and pending[0].row < job.next_row:
            raise Superseded  # another pass committed these rows
        valid = [r for r in pending if r.cleaned is not None]
        existing = self.importer.existing(
            context,
            [key for r in valid for key, _column in r.cleaned.keys],  # type: ignore[union-attr]
        )
        fresh: list[ValidRow] = []
        issues: list[ImportIssue] = []
        phase = Phase.IMPORT if self.importing else Phase.CHECK
        notes = 0
        for r in valid:
            assert r.cleaned is not None  # noqa: S101  (filtered above)
            hit = next(((k, c) for k, c in r.cleaned.keys if k in existing), None)
            if hit is None:
                fresh.append(ValidRow(r.row, r.cleaned))
                continue
            notes += 1
            issues.append(
                ImportIssue(
                    job=job,
                    phase=phase,
                    row=r.row,
                    column=self.column_of.get(hit[1]),
                    code="import.exists",
                    message=_("Already registered: this row was skipped."),
                )
            )
        cell_problems = 0
        for r in pending:
            for problem in r.problems:
                cell_problems += problem.column is not None
                issues.append(
                    ImportIssue(
                        job=job,
                        phase=phase,
                        row=r.row,
                        column=self.column_of.get(problem.column) if problem.column else None,
                        code=problem.code[:60],
                        message=problem.message[:300],
                    )
                )
        created: list[int] = []
        if self.importing and fresh:
            created = self.importer.write(context, fresh, job=job)
        ImportIssue.objects.bulk_create(issues, batch_size=1000)
        invalid = sum(1 for r in pending if r.problems)
        job.rows_done += len(pending)
        job.rows_invalid += invalid
        job.rows_existing += notes
        job.rows_valid += len(fresh)
        job.cells_invalid += cell_problems
        job.heartbeat_at = timezone.now()
        fields = [
            "rows_done",
            "rows_invalid",
            "rows_existing",
            "rows_valid",
            "cells_invalid",
            "heartbeat_at",
            "updated_at",
        ]
        if self.importing:
            ImportBatch.objects.create(
                job=job,
                first_row=pending[0].row,
                last_row=pending[-1].row,
                created=len(created),
                skipped=len(pending) - len(created),
            )
            job.rows_imported += len(created)
            job.next_row = pending[-1].row + 1
            fields += ["rows_imported", "next_row"]
        job.save(update_fields=fields)
        return issues

    def _finish(self) -> None:
        book = self._book()
        workbook = book.finish() if book.rows else None
        with transaction.atomic():
            job = _lock(self.job.pk, self.lease)
            target = JobState.DONE if self.importing else JobState.CHECKED
            check_transition(job.state, target)
            if workbook is not None:
                file_store(job, FileRole.ERRORS, workbook)
            else:
                ImportFile.objects.filter(job=job, role=FileRole.ERRORS).delete()
            job.state = target
            job.lease = ""
            if self.importing:
                job.finished_at = timezone.now()
                # Nothing of the upload is needed any more: personal data is not kept longer.
                ImportFile.objects.filter(job=job, role=FileRole.UPLOAD).delete()
            else:
                job.rows_total = job.rows_done
            job.save()
            audit.record(
                actor=None,
                action="spreadsheets.import_finished"
                if self.importing
                else "spreadsheets.import_checked",
                target=job,
                area_code=job.area_id,
                changes={
                    "rows": job.rows_done,
                    "valid": job.rows_valid,
                    "invalid": job.rows_invalid,
                    "already_registered": job.rows_existing,
                    "imported": job.rows_imported,
                },
            )
