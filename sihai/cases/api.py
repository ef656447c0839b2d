"""Service requests over the JSON API: the resident's own (``/api/v1/cases/mine``, the portal's
session cookie with the CSRF token on writes) and the staff inbox (``Authorization: Bearer``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from sihai.accounts.api import ErrorOut, StaffToken
from sihai.accounts.models import ResidentAccount, User
from sihai.cases import selectors, services
from sihai.cases.models import Channel, RequestEvent, ServiceCategory, ServiceRequest
from sihai.cases.services import RequestInput, RequestInvalid
from sihai.core.errors import InvalidInput
from sihai.residents.api import ResidentSession

router = Router()
RESIDENT = ResidentSession()
STAFF = StaffToken()


class AttributeOut(Schema):
    code: str
    datatype: str
    required: bool
    label: str
    values: list[dict[str, str]]


class ServiceOut(Schema):
    code: str
    name: str
    description: str
    private: bool
    response_hours: int
    resolution_hours: int
    attributes: list[AttributeOut]

    @classmethod
    def of(cls, c: ServiceCategory) -> ServiceOut:
        return cls(
            code=c.code,
            name=c.name,
            description=c.description,
            private=c.private,
            response_hours=c.response_hours,
            resolution_hours=c.resolution_hours,
            attributes=[
                AttributeOut(
                    code=a.code,
                    datatype=a.datatype,
                    required=a.required,
                    label=a.label,
                    values=[{"key": k, "name": n} for k, n in a.choices()],
                )
                for a in c.attributes.all()
            ],
        )


class EventOut(Schema):
    at: datetime.datetime
    kind: str
    from_state: str
    to_state: str
    note: str


class RequestOut(Schema):
    id: int
    reference: str
    service: str
    state: str
    community: str
    submitted_at: datetime.datetime
    response_due: datetime.datetime
    resolution_due: datetime.datetime
    description: str
    answers: dict[str, Any]
    rating: int | None
    timeline: list[EventOut] | None = None

    @classmethod
    def of(cls, r: ServiceRequest, events: list[RequestEvent] | None = None) -> RequestOut:
        return cls(
            id=r.pk,
            reference=r.reference,
            service=r.category_code,
            state=r.state,
            community=r.community_id,
            submitted_at=r.submitted_at,
            response_due=r.response_due,
            resolution_due=r.resolution_due,
            description=r.description,
            answers=r.attributes,
            rating=r.rating,
            timeline=None
            if events is None
            else [
                EventOut(
                    at=e.at, kind=e.kind, from_state=e.from_state, to_state=e.to_state, note=e.note
                )
                for e in events
            ],
        )


class RequestIn(Schema):
    service: str
    description: str
    answers: dict[str, Any] = {}
    community: str = ""
    address: str = ""
    contact_phone: str = ""
    idempotency_key: str = ""


class InboxRowOut(Schema):
    id: int
    reference: str
    service: str
    state: str
    community: str
    department: str
    escalation_level: int
    due_at: datetime.datetime | None


class InboxOut(Schema):
    rows: list[InboxRowOut]
    next_cursor: str


class MoveIn(Schema):
    to_state: str
    note: str = ""


class InboxQuery(Schema):
    state: str = ""
    service: str = ""
    area: str = ""
    after: str = ""


def _account(request: HttpRequest) -> ResidentAccount:
    account = request.auth  # type: ignore[attr-defined]
    assert isinstance(account, ResidentAccount)  # noqa: S101  (set by ResidentSession)
    return account


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (set by StaffToken)
    return user


@router.get("/services", response=list[ServiceOut], auth=None)
def service_list(request: HttpRequest) -> list[ServiceOut]:
    """The catalogue: what can be asked, with each service's questions and times."""
    return [ServiceOut.of(c) for c in selectors.catalogue()]


@router.post(
    "/mine",
    response={201: RequestOut, 200: RequestOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=RESIDENT,
)
def my_request_submit(request: HttpRequest, payload: RequestIn) -> Status[RequestOut]:
    """Ask (signed-in resident). The same ``idempotency_key`` again returns the first request."""
    try:
        created, _code = services.request_submit(
            actor=_account(request),
            data=RequestInput(
                category_code=payload.service,
                description=payload.description,
                community_code=payload.community,
                attributes=payload.answers,
                address_string=payload.address,
                contact_phone=payload.contact_phone,
                idempotency_key=payload.idempotency_key,
            ),
            channel=Channel.PORTAL,
        )
    except RequestInvalid as exc:
        raise InvalidInput("; ".join(m for _c, m in exc.errors), code=exc.code) from exc
    return Status(201, RequestOut.of(created))


@router.get("/mine", response={200: list[RequestOut], 401: ErrorOut}, auth=RESIDENT)
def my_requests(request: HttpRequest) -> list[RequestOut]:
    """My requests, newest first."""
    return [
        RequestOut.of(r) for r in selectors.requests_of_account(account=_account(request))[:200]
    ]


@router.get(
    "/mine/{request_id}", response={200: RequestOut, 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT
)
def my_request(request: HttpRequest, request_id: int) -> RequestOut:
    """One of my requests with its timeline (what I am shown)."""
    found = selectors.request_of_account(account=_account(request), request_id=request_id)
    return RequestOut.of(found, list(selectors.timeline(found, public_only=True)))


@router.get("/inbox", response={200: InboxOut, 401: ErrorOut}, auth=STAFF)
def inbox(request: HttpRequest, filters: Query[InboxQuery]) -> InboxOut:
    """Requests in my scope, earliest deadline first; pass ``next_cursor`` as ``after``."""
    page = selectors.inbox_for_actor(
        actor=_staff(request),
        state=filters.state,
        category=filters.service,
        area=filters.area,
        cursor=filters.after,
    )
    return InboxOut(
        rows=[
            InboxRowOut(
                id=r.pk,
                reference=r.reference,
                service=r.category_code,
                state=r.state,
                community=r.community_id,
                department=r.department_code,
                escalation_level=r.escalation_level,
                due_at=r.due_at,
            )
            for r in page.rows
        ],
        next_cursor=page.next_cursor,
    )


@router.post(
    "/requests/{request_id}/move",
    response={200: RequestOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=STAFF,
)
def request_move(request: HttpRequest, request_id: int, payload: MoveIn) -> RequestOut:
    """Move a request along the transition table (refused with ``request.illegal_move``)."""
    moved = services.request_transition(
        actor=_staff(request), request_id=request_id, to_state=payload.to_state, note=payload.note
    )
    return RequestOut.of(moved)
