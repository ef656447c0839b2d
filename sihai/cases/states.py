"""The request workflow: its states and the one table of legal moves.

Every move goes through :func:`sihai.cases.services.request_transition`, which
refuses anything not in :data:`TRANSITIONS` with the code ``request.illegal_move``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SUBMITTED = (
        "submitted",
        _("Submitted"),
    )  # received, not yet taken by a unit; response clock runs
    ACCEPTED = "accepted", _("Accepted")  # a unit took it (the response); resolution clock runs
    IN_PROGRESS = "in_progress", _("In progress")  # someone is working on it
    WAITING = "waiting", _("Waiting for the resident")  # needs something from the requester
    REFERRED = "referred", _("Referred")  # sent to a department or another community
    RESOLVED = "resolved", _("Resolved")  # answered or done; the requester may rate or reopen
    CLOSED = "closed", _("Closed")  # final: rated, or 7 days after resolution
    REJECTED = "rejected", _("Rejected")  # final: not something the platform handles (reason kept)
    REOPENED = "reopened", _("Reopened")  # the requester was not satisfied within 7 days


OPEN_STATES = frozenset(
    {
        State.SUBMITTED,
        State.ACCEPTED,
        State.IN_PROGRESS,
        State.WAITING,
        State.REFERRED,
        State.REOPENED,
    }
)
FINAL_STATES = frozenset({State.CLOSED, State.REJECTED})

# from-state → the states a staff member may move it to.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.SUBMITTED: frozenset({State.ACCEPTED, State.REJECTED}),
    State.ACCEPTED: frozenset({State.IN_PROGRESS, State.WAITING, State.RESOLVED, State.REJECTED}),
    State.IN_PROGRESS: frozenset({State.WAITING, State.RESOLVED}),
    State.WAITING: frozenset({State.IN_PROGRESS, State.RESOLVED, State.CLOSED}),
    State.REFERRED: frozenset({State.IN_PROGRESS, State.RESOLVED}),
    State.RESOLVED: frozenset({State.CLOSED}),
    State.REOPENED: frozenset({State.IN_PROGRESS, State.RESOLVED}),
    State.CLOSED: frozenset(),
    State.REJECTED: frozenset(),
}
# Moves made by other services, not picked from the staff's list: a referral (to REFERRED,
# back to IN_PROGRESS when declined), and the requester's reopen (RESOLVED → REOPENED).
SYSTEM_MOVES: dict[str, frozenset[str]] = {
    State.ACCEPTED: frozenset({State.REFERRED}),
    State.IN_PROGRESS: frozenset({State.REFERRED}),
    State.REOPENED: frozenset({State.REFERRED}),
    State.REFERRED: frozenset({State.IN_PROGRESS}),
    State.RESOLVED: frozenset({State.REOPENED}),
    State.CLOSED: frozenset({State.REOPENED}),
}


def open311_status(state: str) -> str:
    """Open311 has two statuses; the rich state travels in ``status_notes``."""
    return "open" if state in OPEN_STATES else "closed"


def may_move(from_state: str, to_state: str, *, system: bool = False) -> bool:
    allowed = TRANSITIONS.get(from_state, frozenset())
    if system:
        allowed = allowed | SYSTEM_MOVES.get(from_state, frozenset())
    return to_state in allowed
