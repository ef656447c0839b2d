"""Reads of service requests: the staff inbox (keyset-paginated), one request, the requester's."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from sihai.accounts.models import ResidentAccount
from sihai.audit import services as audit
from sihai.cases import policies
from sihai.cases.models import (
    Referral,
    ReferralState,
    RequestEvent,
    ServiceCategory,
    ServiceRequest,
)
from sihai.cases.policies import CASE_VIEW
from sihai.cases.services.intake import follow_up_hash
from sihai.core.errors import NotFound
from sihai.core.policy import grants_for

PAGE_SIZE = 50
FAR_FUTURE = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class InboxPage:
    rows: list[ServiceRequest]
    next_cursor: str


def _cursor(request: ServiceRequest) -> str:
    due = request.due_at or FAR_FUTURE
    return f"{due.timestamp():.6f}_{request.pk}"


def _parse_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    try:
        stamp, pk = cursor.split("_")
        return datetime.datetime.fromtimestamp(float(stamp), tz=datetime.UTC), int(pk)
    except ValueError:
        return None


def code_range(prefix: str) -> Q:
    """Requests under an area code, written so the planner reads the deadline index.

    A community is an equality on the (community, due_at, id) index. Above it a prefix
    match is deliberately *not* index-usable: the planner then walks the (due_at, id)
    index in order and stops after a page, instead of collecting every request of a
    district and sorting them (which grows with the table).
    """
    if len(prefix) == 12:
        return Q(community_id=prefix)
    return Q(community__code__startswith=prefix)


def _scopes(actor: Any) -> list[Q]:
    """One filter per grant (own area, own department), plus the referrals to the actor."""
    scopes: list[Q] = []
    referred = Referral.objects.none()
    for grant in grants_for(actor, CASE_VIEW):
        own = code_range(grant.area_code)
        if grant.department is not None:
            own &= Q(department_code=grant.department)
        scopes.append(own)
        referred = referred | Referral.objects.filter(
            to_area_code__startswith=grant.area_code,
            to_department_code=grant.department or "",
            state__in=[ReferralState.PENDING, ReferralState.ACCEPTED],
        )
    if scopes:
        scopes.append(Q(pk__in=referred.values("request_id")))
    return scopes


def inbox_for_actor(
    *,
    actor: Any,
    state: str = "",
    category: str = "",
    area: str = "",
    escalated: bool = False,
    cursor: str = "",
    page_size: int = PAGE_SIZE,
) -> InboxPage:
    """Open (or ``state``) requests in the actor's scope, earliest deadline first.

    Keyset pagination on (``due_at``, ``id``): a page costs the same at any depth. Each
    scope (a grant's area and department, the referrals addressed to the actor) is its own
    indexed query of at most one page; the pages are merged. Open requests are exactly those
    with a ``due_at`` (``refresh_due``), so no state list is needed for the default view.
    ``area`` narrows to a code prefix (inside the scope, never beyond it).
    """
    base = ServiceRequest.objects.all()
    if state:
        base = base.filter(state=state)
    base = base.filter(due_at__isnull=False)
    if category:
        base = base.filter(category_code=category)
    if area and area.isdigit():
        base = base.filter(code_range(area))
    if escalated:
        base = base.filter(escalation_level__gt=0)
    after = _parse_cursor(cursor) if cursor else None
    if after is not None:
        base = base.filter(Q(due_at__gt=after[0]) | Q(due_at=after[0], id__gt=after[1]))
    found: dict[int, ServiceRequest] = {}
    for scope in _scopes(actor):
        for row in (
            base.filter(scope)
            .select_related("category", "community", "assignee")
            .order_by("due_at", "id")[: page_size + 1]
        ):
            found[row.pk] = row
    rows = sorted(found.values(), key=lambda r: (r.due_at or FAR_FUTURE, r.pk))[: page_size + 1]
    more = len(rows) > page_size
    rows = rows[:page_size]
    return InboxPage(rows=rows, next_cursor=_cursor(rows[-1]) if more and rows else "")


def request_get_for_actor(
    *, actor: Any, request_id: int, purpose: str = "case_handling"
) -> ServiceRequest:
    """One request for staff; the read of the requester's details is access-logged."""
    request = policies.get_for_actor(actor, CASE_VIEW, request_id)
    if request.resident_id is not None:
        audit.access(
            actor=actor,
            subject=request.resident,  # type: ignore[arg-type]
            purpose=purpose,
            fields=["service_request", "contact"],
            subject_area=request.community_id,
        )
    return request


def timeline(request: ServiceRequest, *, public_only: bool) -> QuerySet[RequestEvent]:
    events = RequestEvent.objects.filter(request=request)
    return events.filter(public=True) if public_only else events


def referrals_of(request: ServiceRequest) -> QuerySet[Referral]:
    return Referral.objects.filter(request=request).select_related("created_by", "decided_by")


def referrals_to_actor(*, actor: Any) -> list[Referral]:
    """Pending referrals addressed to the actor's unit(s)."""
    pending = (
        Referral.objects.filter(state="pending")
        .filter(request__in=policies.visible_to(actor, CASE_VIEW))
        .select_related("request")
        .order_by("created_at")[:200]
    )
    return [r for r in pending if policies.addressed_to(actor, r)]


def requests_of_account(*, account: ResidentAccount) -> QuerySet[ServiceRequest]:
    return (
        ServiceRequest.objects.filter(account=account)
        .select_related("category")
        .order_by("-submitted_at")
    )


def request_of_account(*, account: ResidentAccount, request_id: int) -> ServiceRequest:
    found = (
        ServiceRequest.objects.select_related("category")
        .filter(pk=request_id, account=account)
        .first()
    )
    if found is None:
        raise NotFound(NotFound.default_message())
    return found


def request_by_follow_up(*, reference: str, code: str) -> ServiceRequest:
    """An anonymous consultation, found by its reference and follow-up code (both needed)."""
    reference, code = reference.strip().upper(), code.strip()
    found = ServiceRequest.objects.select_related("category").filter(reference=reference).first()
    if (
        found is None
        or not found.follow_up_hash
        or found.follow_up_hash != follow_up_hash(reference, code)
    ):
        raise NotFound(NotFound.default_message())
    return found


def catalogue() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(active=True).prefetch_related("attributes")


def rates_for_actor(
    *, actor: Any, level: int = 12, days: int = 90, now: datetime.datetime | None = None
) -> list[Any]:
    """The three rates per unit over the last ``days`` for requests in the actor's scope.

    ``level`` is the length of the unit code (12 community, 9 subdistrict, 6 district);
    department-routed requests count for their department (``unit`` = department code).
    """
    from django.utils import timezone  # noqa: PLC0415

    from sihai.cases.metrics import CaseFacts, rates_by_unit  # noqa: PLC0415

    now = now or timezone.now()
    rows = (
        policies.visible_to(actor, CASE_VIEW)
        .filter(submitted_at__gte=now - datetime.timedelta(days=days))
        .values_list(
            "community_id",
            "department_code",
            "state",
            "response_due",
            "first_response_at",
            "resolved_at",
            "rating",
        )
    )
    facts = [
        CaseFacts(
            unit=department or community[:level],
            state=state,
            response_due=response_due,
            first_response_at=first_response,
            resolved_at=resolved,
            rating=rating,
        )
        for (
            community,
            department,
            state,
            response_due,
            first_response,
            resolved,
            rating,
        ) in rows.iterator(chunk_size=5000)
    ]
    return rates_by_unit(facts, now=now)
