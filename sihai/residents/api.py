"""Residents over the JSON API: the resident's own data (``/api/v1/me/``) and the staff
registry (``/api/v1/residents/``).

The resident is signed in by the portal's session cookie (with the CSRF token on
writes); staff by a personal API token (``Authorization: Bearer sihai_...``). The
same services and selectors as the pages do the work, so the rules are the same:
search by key only, a stated purpose for every open (logged), out of scope = 404.
Identifiers travel in bodies, never in URLs.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.security import APIKeyCookie
from pydantic import Field

from sihai.accounts.api import ErrorOut, StaffToken
from sihai.accounts.models import ResidentAccount, User
from sihai.accounts.resident_auth import current_resident
from sihai.core.errors import InvalidInput
from sihai.core.identity import mask_phone
from sihai.residents import selectors, services
from sihai.residents.models import Consent, HouseholdMember, Purpose, Resident
from sihai.residents.portal_views import SELF_SERVICE_PURPOSES

me_router = Router()
staff_router = Router()


class ResidentSession(APIKeyCookie):
    """The resident portal's session (the cookie set at sign-in by phone and code)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> ResidentAccount | None:
        return current_resident(request) if key else None


def _account(request: HttpRequest) -> ResidentAccount:
    account = request.auth  # type: ignore[attr-defined]
    assert isinstance(account, ResidentAccount)  # noqa: S101  (set by ResidentSession)
    return account


def _own(request: HttpRequest) -> Resident:
    """The signed-in resident's record; 404 until they have registered."""
    return selectors.resident_for_account(account=_account(request))


def _blank_nulls(changes: dict[str, Any]) -> dict[str, Any]:
    """JSON ``null`` clears a text field (to ""); only the arrival date is truly optional."""
    return {k: ("" if v is None and k != "arrival_date" else v) for k, v in changes.items()}


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (set by StaffToken)
    return user


# --- schemas ---------------------------------------------------------------------------


class CommunityOut(Schema):
    code: str
    name: str


class ProfileOut(Schema):
    """A resident's details as the resident sees them (their own, everything)."""

    name: str
    gender: str
    birth_date: datetime.date
    phone: str | None
    id_number: str | None
    origin_code: str
    arrival_date: datetime.date | None
    community: CommunityOut
    address: str
    occupation: str
    languages: list[str]
    needs: list[str]
    ethnicity: str | None
    religion: str | None
    registered_via: str
    registered_at: datetime.datetime

    @classmethod
    def of(cls, r: Resident) -> ProfileOut:
        return cls(
            name=r.name,
            gender=r.gender,
            birth_date=r.birth_date,
            phone=r.phone,
            id_number=r.id_number,
            origin_code=r.origin_code,
            arrival_date=r.arrival_date,
            community=CommunityOut(code=r.community_id, name=r.community.short_name),
            address=r.address,
            occupation=r.occupation,
            languages=list(r.languages),
            needs=list(r.needs),
            ethnicity=r.ethnicity,
            religion=r.religion,
            registered_via=r.registered_via,
            registered_at=r.created_at,
        )


class ProfilePatch(Schema):
    """Corrections (PIPL art. 46): only the fields given change; the phone is the sign-in."""

    name: str | None = None
    gender: str | None = None
    birth_date: datetime.date | None = None
    id_number: str | None = None
    origin_code: str | None = None
    arrival_date: datetime.date | None = None
    address: str | None = None
    occupation: str | None = None
    languages: list[str] | None = None
    needs: list[str] | None = None


class ConsentOut(Schema):
    id: int
    purpose: str
    department: str | None
    given_at: datetime.datetime
    channel: str
    withdrawn_at: datetime.datetime | None

    @classmethod
    def of(cls, c: Consent) -> ConsentOut:
        return cls(
            id=c.pk,
            purpose=c.purpose,
            department=c.department.code if c.department else None,
            given_at=c.granted_at,
            channel=c.channel,
            withdrawn_at=c.withdrawn_at,
        )


class ConsentIn(Schema):
    purpose: str = Field(description="event_contact, cross_region_referral or sensitive_categories")


class AccessOut(Schema):
    at: datetime.datetime
    who: str
    role: str
    purpose: str


class MemberOut(Schema):
    id: int
    relationship: str
    name: str
    gender: str
    birth_date: datetime.date
    id_number: str | None
    school_stage: str
    school_name: str

    @classmethod
    def of(cls, m: HouseholdMember) -> MemberOut:
        return cls(
            id=m.pk,
            relationship=m.relationship,
            name=m.name,
            gender=m.gender,
            birth_date=m.birth_date,
            id_number=m.id_number,
            school_stage=m.school_stage,
            school_name=m.school_name,
        )


class MemberIn(Schema):
    relationship: str
    name: str
    birth_date: datetime.date
    gender: str = "unstated"
    id_number: str = ""
    school_stage: str = ""
    school_name: str = ""
    guardian_agrees: bool = Field(
        False, description="The guardian's consent; required for a child under 14"
    )


class DeletionIn(Schema):
    reason: str = ""


class DeletionOut(Schema):
    id: int
    state: str
    filed_at: datetime.datetime
    decide_by: datetime.date
    refusal_reason: str


# --- the resident's own data -----------------------------------------------------------

RESIDENT = ResidentSession()


@me_router.get("/profile", response={200: ProfileOut, 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT)
def my_profile(request: HttpRequest) -> ProfileOut:
    """My registered details."""
    return ProfileOut.of(_own(request))


@me_router.patch(
    "/profile",
    response={200: ProfileOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=RESIDENT,
)
def my_profile_correct(request: HttpRequest, payload: ProfilePatch) -> ProfileOut:
    """Correct my details; the whole record is validated again and nothing half-changes."""
    resident = _own(request)
    changes: dict[str, Any] = payload.dict(exclude_unset=True)
    changes = {
        k: ("" if v is None and k not in {"arrival_date"} else v) for k, v in changes.items()
    }
    services.resident_update(actor=_account(request), resident_id=resident.pk, changes=changes)
    return ProfileOut.of(selectors.resident_for_account(account=_account(request)))


@me_router.get(
    "/consents", response={200: list[ConsentOut], 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT
)
def my_consents(request: HttpRequest) -> list[ConsentOut]:
    """What I agreed to, and what I withdrew."""
    resident = _own(request)
    found = resident.consents.select_related("department").order_by("-granted_at", "-pk")
    return [ConsentOut.of(c) for c in found]


@me_router.post(
    "/consents",
    response={201: ConsentOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=RESIDENT,
)
def my_consent_give(request: HttpRequest, payload: ConsentIn) -> Status[ConsentOut]:
    """Agree to one more use of my data (sharing with a department is asked when needed)."""
    if payload.purpose not in [*SELF_SERVICE_PURPOSES, Purpose.SENSITIVE_CATEGORIES]:
        raise InvalidInput(
            _("Choose event_contact, cross_region_referral or sensitive_categories."),
            code="consent.purpose",
        )
    consent = services.consent_grant(
        actor=_account(request), resident=_own(request), purpose=payload.purpose
    )
    return Status(201, ConsentOut.of(consent))


@me_router.post(
    "/consents/{consent_id}/withdraw",
    response={200: ConsentOut, 401: ErrorOut, 404: ErrorOut},
    auth=RESIDENT,
)
def my_consent_withdraw(request: HttpRequest, consent_id: int) -> ConsentOut:
    """Withdraw a consent; it stops applying at once."""
    resident = _own(request)
    services.consent_withdraw(actor=_account(request), consent_id=consent_id)
    return ConsentOut.of(resident.consents.select_related("department").get(pk=consent_id))


@me_router.get(
    "/access-log", response={200: list[AccessOut], 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT
)
def my_access_log(request: HttpRequest) -> list[AccessOut]:
    """Who opened my record, when, and for what purpose (newest first, at most 200)."""
    return [AccessOut(**e) for e in selectors.reads_in_plain_words(_own(request))]


@me_router.get("/data", response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT)
def my_data(request: HttpRequest) -> dict[str, Any]:
    """A copy of everything held about me (PIPL art. 45), the same as the JSON download."""
    return selectors.resident_data_export(_own(request))


@me_router.get(
    "/household", response={200: list[MemberOut], 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT
)
def my_household(request: HttpRequest) -> list[MemberOut]:
    return [MemberOut.of(m) for m in selectors.household_of(_own(request))]


@me_router.post(
    "/household",
    response={201: MemberOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=RESIDENT,
)
def my_household_add(request: HttpRequest, payload: MemberIn) -> Status[MemberOut]:
    """Add a household member; a child under 14 needs ``guardian_agrees``."""
    values = payload.dict()
    agrees = values.pop("guardian_agrees")
    member = services.household_member_add(
        actor=_account(request),
        resident_id=_own(request).pk,
        data=services.MemberInput(**values),
        guardian_agrees=agrees,
    )
    return Status(201, MemberOut.of(member))


@me_router.delete(
    "/household/{member_id}", response={204: None, 401: ErrorOut, 404: ErrorOut}, auth=RESIDENT
)
def my_household_remove(request: HttpRequest, member_id: int) -> Status[None]:
    services.household_member_remove(actor=_account(request), member_id=member_id)
    return Status(204, None)


@me_router.post(
    "/deletion-requests",
    response={201: DeletionOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=RESIDENT,
)
def my_deletion_request(request: HttpRequest, payload: DeletionIn) -> Status[DeletionOut]:
    """Ask for my data to be deleted (PIPL art. 47); staff decide by ``decide_by``."""
    filed = services.deletion_request_file(account=_account(request), reason=payload.reason)
    return Status(
        201,
        DeletionOut(
            id=filed.pk,
            state=filed.state,
            filed_at=filed.created_at,
            decide_by=filed.due_on,
            refusal_reason=filed.refusal_reason,
        ),
    )


# --- the staff registry ----------------------------------------------------------------

STAFF = StaffToken()


class SearchIn(Schema):
    """One identifying key: an ID number, a phone number, or a name with the date of birth."""

    id_number: str = ""
    phone: str = ""
    name: str = ""
    birth_date: datetime.date | None = None


class MatchOut(Schema):
    id: int
    name: str
    birth_date: datetime.date
    phone_masked: str
    community: CommunityOut


class RecordOut(Schema):
    """A record as staff see it: never the ethnic group or the religion."""

    id: int
    name: str
    gender: str
    birth_date: datetime.date
    phone: str | None
    id_number: str | None
    origin_code: str
    arrival_date: datetime.date | None
    community: CommunityOut
    address: str
    occupation: str
    languages: list[str]
    needs: list[str]
    registered_via: str
    household: list[MemberOut]

    @classmethod
    def of(cls, r: Resident) -> RecordOut:
        return cls(
            id=r.pk,
            name=r.name,
            gender=r.gender,
            birth_date=r.birth_date,
            phone=r.phone,
            id_number=r.id_number,
            origin_code=r.origin_code,
            arrival_date=r.arrival_date,
            community=CommunityOut(code=r.community_id, name=r.community.short_name),
            address=r.address,
            occupation=r.occupation,
            languages=list(r.languages),
            needs=list(r.needs),
            registered_via=r.registered_via,
            household=[MemberOut.of(m) for m in selectors.household_of(r)],
        )


class OpenQuery(Schema):
    purpose: str = Field(
        description="Why the record is opened: service_delivery, counter_visit, correction "
        "or deletion_request (the resident sees it)"
    )


class CorrectionIn(ProfilePatch):
    phone: str | None = None
    reason: str = Field(description="Why the record is corrected (kept in its history)")


@staff_router.post(
    "/search",
    response={200: list[MatchOut], 400: ErrorOut, 401: ErrorOut},
    auth=STAFF,
)
def residents_search(request: HttpRequest, payload: SearchIn) -> list[MatchOut]:
    """Find residents in your area by one key (at most 20); there is no list of everyone."""
    found = selectors.resident_search_for_actor(actor=_staff(request), **payload.dict())
    return [
        MatchOut(
            id=r.pk,
            name=r.name,
            birth_date=r.birth_date,
            phone_masked=mask_phone(r.phone) if r.phone else "",
            community=CommunityOut(code=r.community_id, name=r.community.short_name),
        )
        for r in found
    ]


@staff_router.get(
    "/{resident_id}",
    response={200: RecordOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF,
)
def resident_open(request: HttpRequest, resident_id: int, query: Query[OpenQuery]) -> RecordOut:
    """Open one record for a stated purpose; the read is logged and the resident can see it."""
    resident = selectors.resident_get_for_actor(
        actor=_staff(request), resident_id=resident_id, purpose=query.purpose
    )
    return RecordOut.of(resident)


@staff_router.patch(
    "/{resident_id}",
    response={200: RecordOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=STAFF,
)
def resident_correct(request: HttpRequest, resident_id: int, payload: CorrectionIn) -> RecordOut:
    """Correct a record in your area, with the reason; the change is audited."""
    changes: dict[str, Any] = payload.dict(exclude_unset=True)
    reason = str(changes.pop("reason", ""))
    changes = {
        k: ("" if v is None and k not in {"arrival_date"} else v) for k, v in changes.items()
    }
    if not changes:
        raise InvalidInput(_("Give at least one field to correct."), code="resident.no_change")
    services.resident_update(
        actor=_staff(request), resident_id=resident_id, changes=changes, reason=reason
    )
    resident = selectors.resident_get_for_actor(
        actor=_staff(request), resident_id=resident_id, purpose="correction"
    )
    return RecordOut.of(resident)
