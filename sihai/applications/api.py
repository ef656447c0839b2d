"""Applications over the JSON API, under ``/api/v1/applications/``.

Residents use their portal session (``/mine``, ``/precheck``, ``POST /``); staff a personal
API token (``/queue``, ``POST /parts/{id}/decision``). The same services and selectors as the
pages do the work: a part of another department is 404, a second decision 403.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from sihai.accounts.api import ErrorOut, StaffToken
from sihai.accounts.models import User
from sihai.applications import selectors, services
from sihai.applications.models import Application, ApplicationPart
from sihai.residents.api import RESIDENT, _account, _own

router = Router()
STAFF = StaffToken()


class TypeOut(Schema):
    code: str
    name_zh: str
    name_en: str
    subject: str
    documents: list[str]
    departments: list[str]
    sequential: bool
    decide_within_days: int


class VerdictOut(Schema):
    type: str
    eligible: bool
    why_not: list[str]
    member_id: int | None
    bring: list[str]
    held: list[str]


class PartOut(Schema):
    id: int
    department: str
    state: str
    due_on: datetime.date | None
    reason: str
    seat_school: str | None


class ApplicationOut(Schema):
    id: int
    reference: str
    type: str
    state: str
    member_id: int | None
    preferred_school: str | None
    parts: list[PartOut]


class SubmitIn(Schema):
    type: str
    member_id: int | None = None
    school_id: str | None = None
    document_ids: list[int] = []


class QueueOut(Schema):
    id: int
    reference: str
    type: str
    area_code: str
    state: str
    due_on: datetime.date | None


class DecisionIn(Schema):
    decision: str
    reason: str = ""
    seat_school_id: str | None = None


def _part_out(part: ApplicationPart) -> PartOut:
    return PartOut(
        id=part.pk,
        department=part.department.code,
        state=part.state,
        due_on=part.due_on,
        reason=part.reason,
        seat_school=part.seat_school.name if part.seat_school else None,
    )


def _out(application: Application) -> ApplicationOut:
    return ApplicationOut(
        id=application.pk,
        reference=application.reference,
        type=application.type.code,
        state=application.state,
        member_id=application.member_id,
        preferred_school=(
            application.preferred_school.name if application.preferred_school else None
        ),
        parts=[_part_out(p) for p in application.parts.all()],
    )


@router.get("/types", response={200: list[TypeOut]})
def application_types(request: HttpRequest) -> list[TypeOut]:
    """The open application types (public: what anyone may apply for)."""
    return [
        TypeOut(
            code=t.code,
            name_zh=t.name_zh,
            name_en=t.name_en,
            subject=t.subject,
            documents=t.documents,
            departments=t.departments,
            sequential=t.sequential,
            decide_within_days=t.decide_within_days,
        )
        for t in selectors.active_types()
    ]


@router.get(
    "/precheck", response={200: list[VerdictOut], 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT
)
def application_precheck(request: HttpRequest) -> list[VerdictOut]:
    """For the signed-in resident's household: likely eligible, or why not, and what to bring."""
    return [
        VerdictOut(
            type=v.type.code,
            eligible=v.eligible,
            why_not=v.why_not,
            member_id=v.member_id,
            bring=v.bring,
            held=v.held,
        )
        for v in selectors.precheck(_own(request))
    ]


@router.get(
    "/mine", response={200: list[ApplicationOut], 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT
)
def applications_mine(request: HttpRequest) -> list[ApplicationOut]:
    return [_out(a) for a in selectors.applications_of(_own(request))]


@router.post(
    "/",
    response={201: ApplicationOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=RESIDENT,
)
def application_submit(request: HttpRequest, payload: SubmitIn) -> Status[ApplicationOut]:
    """Apply: one application, one part per deciding department."""
    resident = _own(request)
    application = services.application_submit(
        actor=_account(request),
        resident_id=resident.pk,
        data=services.SubmitInput(
            type_code=payload.type,
            member_id=payload.member_id,
            school_id=payload.school_id,
            document_ids=tuple(payload.document_ids),
        ),
    )
    found = selectors.application_own_get(account=_account(request), application_id=application.pk)
    return Status(201, _out(found))


@router.get("/queue", response={200: list[QueueOut], 401: ErrorOut}, auth=STAFF)
def application_queue(request: HttpRequest) -> list[QueueOut]:
    """The parts waiting for the token holder's department in their area."""
    return [
        QueueOut(
            id=p.pk,
            reference=p.application.reference,
            type=p.application.type.code,
            area_code=p.area_code,
            state=p.state,
            due_on=p.due_on,
        )
        for p in selectors.queue_for_actor(actor=request.user)
    ]


@router.post(
    "/parts/{part_id}/decision",
    response={200: PartOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF,
)
def application_part_decide(request: HttpRequest, part_id: int, payload: DecisionIn) -> PartOut:
    """Decide one part of one's own department; another's is 404, a decided one 403."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (set by StaffToken)
    part = services.part_decide(
        actor=user,
        part_id=part_id,
        decision=payload.decision,
        reason=payload.reason,
        seat_school_id=payload.seat_school_id,
    )
    return _part_out(part)


class FactsIn(Schema):
    """What the rules read that the resident record does not hold (said by the resident)."""

    insurance: str
    housing: str
    employment: str
    social_insurance_months: int = 0
    has_residence_permit: bool = False


@router.put(
    "/facts", response={200: FactsIn, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT
)
def application_facts(request: HttpRequest, payload: FactsIn) -> FactsIn:
    """Tell the pre-check about insurance, housing, work, contributions and the permit."""
    resident = _own(request)
    saved = services.facts_update(
        actor=_account(request),
        resident_id=resident.pk,
        data=services.FactsInput(**payload.dict()),
    )
    return FactsIn(
        insurance=saved.insurance,
        housing=saved.housing,
        employment=saved.employment,
        social_insurance_months=saved.social_insurance_months,
        has_residence_permit=saved.has_residence_permit,
    )
