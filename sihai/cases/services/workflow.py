"""Moves through the workflow, assignment, rerouting, notes, rating and reopening."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import ResidentAccount, User
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.cases import policies
from sihai.cases.models import EventKind, ServiceRequest
from sihai.cases.policies import CASE_HANDLE
from sihai.cases.services.common import add_event, refresh_due, tell_requester
from sihai.cases.states import State, may_move
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.core.workcalendar import default_calendar

REOPEN_DAYS = 7
# A note or reason written by staff is kept whole up to this length.
MAX_NOTE = 2000


def _locked(actor: Any, request_id: int) -> ServiceRequest:
    request = policies.get_for_actor(actor, CASE_HANDLE, request_id)
    return ServiceRequest.objects.select_for_update().select_related("category").get(pk=request.pk)


def apply_move(request: ServiceRequest, to_state: str, *, now: datetime.datetime) -> str:
    """Set the state and the times that go with it; returns the state moved from."""
    from_state = request.state
    request.state = to_state
    if request.first_response_at is None and from_state == State.SUBMITTED:
        request.first_response_at = now
    if to_state == State.RESOLVED:
        request.resolved_at = now
    if to_state in {State.CLOSED, State.REJECTED}:
        request.closed_at = now
    if to_state == State.REOPENED:
        request.resolved_at = request.closed_at = None
        request.rating = request.rated_at = None
        request.rating_comment = ""
    refresh_due(request)
    return from_state


@transaction.atomic
def request_transition(
    *, actor: User, request_id: int, to_state: str, note: str = ""
) -> ServiceRequest:
    """Move a request along the transition table (states.py); anything else is refused."""
    request = _locked(actor, request_id)
    if not may_move(request.state, to_state):
        raise InvalidInput(
            _("A request that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": request.get_state_display(),
                "to": State(to_state).label if to_state in State.values else to_state,
            },
            code="request.illegal_move",
        )
    note = note.strip()[:MAX_NOTE]
    if to_state == State.REJECTED and not note:
        raise InvalidInput(_("Say why the request is rejected."), code="request.reason")
    now = timezone.now()
    from_state = apply_move(request, to_state, now=now)
    request.save()
    add_event(
        request,
        kind=EventKind.MOVED,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=note,
        at=now,
    )
    audit.record(
        actor=actor,
        action="cases.moved",
        target=request,
        area_code=request.community_id,
        changes={"state": {"from": from_state, "to": to_state}},
    )
    tell_requester(request, event=f"{to_state}:{now.timestamp():.0f}")
    return request


@transaction.atomic
def request_assign(*, actor: User, request_ids: list[int], assignee_id: int) -> int:
    """Assign requests (one or many) to a colleague who may handle each of them."""
    assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
    if assignee is None:
        raise InvalidInput(_("Choose a colleague to assign to."), code="request.assignee")
    requests = [_locked(actor, pk) for pk in sorted(set(request_ids))]
    if not requests:
        raise InvalidInput(_("Choose at least one request."), code="request.none")
    for request in requests:
        if not policies.can(assignee, CASE_HANDLE, request):
            raise NotAllowed(
                _("%(who)s cannot handle %(ref)s (outside their area).")
                % {"who": assignee, "ref": request.reference},
                code="request.assignee_scope",
            )
    for request in requests:
        request.assignee = assignee
        request.save(update_fields=["assignee", "updated_at"])
        add_event(request, kind=EventKind.ASSIGNED, actor=actor, note=str(assignee), public=False)
        audit.record(
            actor=actor,
            action="cases.assigned",
            target=request,
            area_code=request.community_id,
            changes={"assignee": assignee.username},
        )
    return len(requests)


@transaction.atomic
def request_reroute(
    *,
    actor: User,
    request_id: int,
    reason: str,
    community_code: str | None = None,
    department_code: str | None = None,
) -> ServiceRequest:
    """Send a wrongly routed request to the right unit; the reason stays on the timeline."""
    request = _locked(actor, request_id)
    reason = reason.strip()[:MAX_NOTE]
    if not reason:
        raise InvalidInput(_("Say why the request goes to another unit."), code="request.reason")
    before = {"community": request.community_id, "department": request.department_code}
    if community_code and community_code != request.community_id:
        target = AdministrativeArea.objects.filter(code=community_code, level="village").first()
        if target is None:
            raise InvalidInput(_("Choose a community."), code="request.community")
        request.community = target
    if department_code is not None:
        from sihai.accounts.models import Department  # noqa: PLC0415

        if department_code and not Department.objects.filter(code=department_code).exists():
            raise InvalidInput(_("Unknown department."), code="request.department")
        request.department_code = department_code
    after = {"community": request.community_id, "department": request.department_code}
    if before == after:
        raise InvalidInput(_("Choose a different unit."), code="request.same_unit")
    request.escalation_level = 0
    request.assignee = None
    request.save()
    add_event(request, kind=EventKind.REROUTED, actor=actor, note=reason, public=False)
    audit.record(
        actor=actor,
        action="cases.rerouted",
        target=request,
        area_code=before["community"],
        changes={**audit.field_changes(before, after), "reason": reason},
    )
    return request


@transaction.atomic
def request_note(*, actor: User, request_id: int, note: str, public: bool) -> ServiceRequest:
    """A reply to the requester (public) or an internal note on the timeline."""
    request = _locked(actor, request_id)
    note = note.strip()[:MAX_NOTE]
    if not note:
        raise InvalidInput(_("Write the note."), code="request.note")
    now = timezone.now()
    if public and request.first_response_at is None:
        request.first_response_at = now
        request.save(update_fields=["first_response_at", "updated_at"])
    add_event(request, kind=EventKind.NOTE, actor=actor, note=note, public=public, at=now)
    audit.record(
        actor=actor,
        action="cases.noted",
        target=request,
        area_code=request.community_id,
        changes={"public": public},
    )
    if public:
        tell_requester(request, event=f"note:{now.timestamp():.0f}")
    return request


def _own_or_followed_up(actor: Any, request_id: int) -> ServiceRequest:
    """The requester's own request (portal), or one a staff member follows up by phone."""
    if isinstance(actor, ResidentAccount):
        request = (
            ServiceRequest.objects.select_for_update().filter(pk=request_id, account=actor).first()
        )
        if request is None:
            raise NotFound(NotFound.default_message())
        return request
    return _locked(actor, request_id)


@transaction.atomic
def request_rate(
    *, actor: ResidentAccount | User, request_id: int, rating: int, comment: str = ""
) -> ServiceRequest:
    """The requester's 1–5 rating of a resolved request (or staff recording it by phone)."""
    request = _own_or_followed_up(actor, request_id)
    if rating not in range(1, 6):
        raise InvalidInput(_("Choose a rating from 1 to 5."), code="rating.range")
    if request.state != State.RESOLVED:
        raise InvalidInput(
            _("A request can be rated once it is resolved."), code="rating.not_resolved"
        )
    now = timezone.now()
    request.rating, request.rating_comment, request.rated_at = rating, comment.strip()[:1000], now
    from_state = apply_move(request, State.CLOSED, now=now)
    request.save()
    add_event(
        request,
        kind=EventKind.RATED,
        actor=actor,
        from_state=from_state,
        to_state=State.CLOSED,
        note=f"{rating}/5",
        at=now,
    )
    audit.record(
        actor=actor,
        action="cases.rated",
        target=request,
        area_code=request.community_id,
        changes={
            "rating": rating,
            "by": "requester" if isinstance(actor, ResidentAccount) else "follow-up call",
        },
    )
    return request


@transaction.atomic
def request_reopen(*, actor: ResidentAccount, request_id: int, reason: str) -> ServiceRequest:
    """The requester, not satisfied, reopens within 7 days of the resolution."""
    request = _own_or_followed_up(actor, request_id)
    reason = reason.strip()[:MAX_NOTE]
    if not reason:
        raise InvalidInput(_("Say what is still not right."), code="request.reason")
    now = timezone.now()
    if (
        request.state not in {State.RESOLVED, State.CLOSED}
        or request.resolved_at is None
        or now - request.resolved_at > datetime.timedelta(days=REOPEN_DAYS)
    ):
        raise InvalidInput(
            _("A request can be reopened only within 7 days of its resolution."),
            code="request.reopen_late",
        )
    if not may_move(request.state, State.REOPENED, system=True):
        raise InvalidInput(_("This request cannot be reopened."), code="request.illegal_move")
    from_state = apply_move(request, State.REOPENED, now=now)
    # A fresh resolution time from now: the unit gets the category's time again.
    request.resolution_due = default_calendar().add_working_hours(
        now, request.category.resolution_hours
    )
    refresh_due(request)
    request.save()
    add_event(
        request,
        kind=EventKind.MOVED,
        actor=actor,
        from_state=from_state,
        to_state=State.REOPENED,
        note=reason,
        at=now,
    )
    audit.record(
        actor=actor,
        action="cases.reopened",
        target=request,
        area_code=request.community_id,
        changes={"state": {"from": from_state, "to": State.REOPENED}},
    )
    return request
