"""What every request write shares: the timeline entry, the audit entry, the notification."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.cases.measures import elapsed, event_measure
from sihai.cases.models import EventKind, RequestEvent, ServiceRequest
from sihai.cases.states import OPEN_STATES, State
from sihai.notifications import services as outbox


def actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    identity = getattr(actor, "audit_identity", None)
    if identity is None:
        return ""
    return str(identity()[2])[:150]


def add_event(
    request: ServiceRequest,
    *,
    kind: str,
    actor: Any,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    public: bool = True,
    at: datetime.datetime | None = None,
    referral_department: str | None = None,
) -> RequestEvent:
    """Append one timeline entry, with what it counts for in the figures (measures.py)."""
    moment = at or timezone.now()
    return RequestEvent.objects.create(
        request=request,
        at=moment,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        community_code=request.community_id,
        category_code=request.category_code,
        actor_label=actor_label(actor) if kind != EventKind.SUBMITTED or actor else "",
        note=note[:4000],
        public=public,
        measure=event_measure(
            kind=kind,
            to_state=to_state,
            at=moment,
            first_response=request.first_response_at is not None
            and request.first_response_at == moment,
            response_due=request.response_due,
            resolution_due=request.resolution_due,
            rating=request.rating if kind == EventKind.RATED else None,
            referral_department=referral_department,
        ),
        elapsed_seconds=elapsed(moment, request.submitted_at),
    )


def refresh_due(request: ServiceRequest) -> None:
    """The earliest deadline still to meet; none once the request is no longer open."""
    if request.state not in OPEN_STATES:
        request.due_at = None
    elif request.first_response_at is None and request.state == State.SUBMITTED:
        request.due_at = request.response_due
    else:
        request.due_at = request.resolution_due


def tell_requester(request: ServiceRequest, *, event: str) -> None:
    """An SMS to the requester's contact number, through the outbox (at-least-once)."""
    phone = request.contact_phone
    if not phone and request.account_id is not None and request.account is not None:
        phone = request.account.phone
    if not phone:
        return
    body = _("Sihai: your request %(ref)s is now: %(state)s.") % {
        "ref": request.reference,
        "state": request.get_state_display(),
    }
    outbox.notify(
        key=f"case:{request.pk}:{event}",
        channel_name="sms",
        recipient=phone,
        template="SMS_SIHAI_CASE_STATE",
        params={"ref": request.reference, "state": request.state},
        body=body,
    )
