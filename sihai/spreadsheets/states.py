"""The life of an import job, and the only moves between its states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sihai.core.errors import InvalidInput


class JobState(models.TextChoices):
    # The file is stored (encrypted); the worker maps its columns next.
    UPLOADED = "uploaded", gettext_lazy("Uploaded: map the columns")
    # Every row is being checked in the background; nothing is written.
    CHECKING = "checking", gettext_lazy("Checking the rows")
    # Checked: the preview shows what would be imported and what is wrong.
    CHECKED = "checked", gettext_lazy("Checked: read the preview")
    # Valid rows are being written, batch by batch; a stopped job resumes from its last batch.
    IMPORTING = "importing", gettext_lazy("Importing")
    # Finished; the upload is deleted, the error workbook kept for a while.
    DONE = "done", gettext_lazy("Imported")
    # The file could not be read to the end, or the worker failed; it can be resumed.
    FAILED = "failed", gettext_lazy("Stopped by an error")
    # Abandoned by the worker before importing; the upload is deleted.
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


TRANSITIONS: dict[str, frozenset[str]] = {
    JobState.UPLOADED: frozenset({JobState.CHECKING, JobState.CANCELLED}),
    JobState.CHECKING: frozenset(
        {JobState.CHECKING, JobState.CHECKED, JobState.FAILED, JobState.CANCELLED}
    ),
    JobState.CHECKED: frozenset({JobState.CHECKING, JobState.IMPORTING, JobState.CANCELLED}),
    # Importing → importing is a resume after a stopped worker.
    JobState.IMPORTING: frozenset({JobState.IMPORTING, JobState.DONE, JobState.FAILED}),
    JobState.FAILED: frozenset({JobState.CHECKING, JobState.IMPORTING, JobState.CANCELLED}),
    JobState.DONE: frozenset(),
    JobState.CANCELLED: frozenset(),
}
RUNNING = frozenset({JobState.CHECKING, JobState.IMPORTING})
# Nothing of the file is needed any more.
FINISHED = frozenset({JobState.DONE, JobState.CANCELLED})


def check_transition(current: str, target: str) -> None:
    """Refuse a move the table does not allow (a coded error, nothing changed)."""
    if target not in TRANSITIONS[current]:
        raise InvalidInput(
            _("This import is “%(state)s”: that step is not possible now.")
            % {"state": JobState(current).label},
            code="import.state",
        )
