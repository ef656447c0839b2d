"""Who may see and handle service requests.

Staff see the requests of the communities in their jurisdiction; department officers
those routed to their department in their area; and a receiver sees a request
referred to it (pending or accepted). Anything else is answered as "not found".
A requester sees their own requests through the portal (their account), never by area.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sihai.cases.models import Referral, ReferralState, ServiceRequest
from sihai.core.errors import NotFound
from sihai.core.policy import Action, Grant, grants_for, register_action

CASE_VIEW = register_action("case.view", _("See service requests and their timelines"))
CASE_HANDLE = register_action(
    "case.handle", _("Take, assign, answer and close service requests; refer them")
)
CASE_INTAKE = register_action(
    "case.intake", _("Enter a request at the counter or from a phone call")
)
CASE_OVERRIDE = register_action(
    "case.consent_override",
    _("Refer a request without the resident's sharing consent, giving a reason"),
)
OPEN311_KEYS = register_action("open311.keys", _("Issue and revoke Open311 API keys"))


def _grant_q(grant: Grant) -> Q:
    own = Q(community__code__startswith=grant.area_code)
    if grant.department is not None:
        own &= Q(department_code=grant.department)
    referred = Referral.objects.filter(
        request=OuterRef("pk"),
        to_area_code__startswith=grant.area_code,
        to_department_code=grant.department or "",
        state__in=[ReferralState.PENDING, ReferralState.ACCEPTED],
    )
    return own | Q(Exists(referred))


def scope_q(actor: Any, action: str | Action) -> Q:
    query = Q(pk__in=[])
    for grant in grants_for(actor, action):
        query |= _grant_q(grant)
    return query


def visible_to(
    actor: Any, action: str | Action, queryset: QuerySet[ServiceRequest] | None = None
) -> QuerySet[ServiceRequest]:
    qs = ServiceRequest.objects.all() if queryset is None else queryset
    return qs.filter(scope_q(actor, action))


def covers_request(grant: Grant, request: ServiceRequest) -> bool:
    if request.community_id.startswith(grant.area_code) and (
        grant.department is None or grant.department == request.department_code
    ):
        return True
    return request.referrals.filter(
        to_area_code__startswith=grant.area_code,
        to_department_code=grant.department or "",
        state__in=[ReferralState.PENDING, ReferralState.ACCEPTED],
    ).exists()


def can(actor: Any, action: str | Action, request: ServiceRequest) -> bool:
    return any(covers_request(g, request) for g in grants_for(actor, action))


def get_for_actor(actor: Any, action: str | Action, request_id: int) -> ServiceRequest:
    """The request if the actor may ``action`` it; NotFound for missing and out of scope."""
    found = (
        ServiceRequest.objects.select_related("category", "community").filter(pk=request_id).first()
    )
    if found is None or not can(actor, action, found):
        raise NotFound(NotFound.default_message())
    return found


def addressed_to(actor: Any, referral: Referral) -> bool:
    """Only the addressee of a referral (its area, and its department if any) may decide it."""
    for grant in grants_for(actor, CASE_HANDLE):
        if referral.to_department_code:
            # That department's officers over the receiving area (a city bureau answers too).
            if grant.department == referral.to_department_code and referral.to_area_code.startswith(
                grant.area_code
            ):
                return True
        elif grant.department is None and grant.area_code == referral.to_area_code:
            return True  # the receiving community's own workstation, nobody above it
    return False
