"""Finding and opening residents' records: search-first, scoped, and logged.

There is no list of everyone: staff find a resident by ID number, by phone, or
by name together with the date of birth, within their own area. Opening a
record names a purpose and writes the access log the resident can read.
Ethnicity and religion are never loaded by these reads.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sihai.accounts.models import User
from sihai.audit import services as audit
from sihai.audit.models import AccessLogEntry
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.core.identity import normalise_id_number, normalise_phone
from sihai.residents.models import (
    DeletionRequest,
    DeletionState,
    HouseholdMember,
    Purpose,
    ResidenceChange,
    Resident,
)
from sihai.residents.names import normalise_name
from sihai.residents.policies import RESIDENT_ERASE, RESIDENT_VIEW, deletion_requests, residents
from sihai.residents.services import blind_index, consent_active

# Never read for staff screens, lists or searches.
SENSITIVE_FIELDS = ("ethnicity", "religion")
# What opening a record shows, for the access log.
RECORD_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "phone",
    "id_number",
    "address",
    "community",
    "occupation",
]
PURPOSES = {
    "service_delivery": "service_delivery",
    "counter_visit": "counter_visit",
    "correction": "correction",
    "deletion_request": "deletion_request",
}
# Household members shown with an open record, for the access log.
MEMBER_FIELDS = ["member.name", "member.birth_date", "member.id_number", "member.school"]
MAX_RESULTS = 20


def _scoped(actor: Any) -> QuerySet[Resident]:
    live = Resident.objects.filter(erased_at__isnull=True).defer(*SENSITIVE_FIELDS)
    return residents.visible_to(actor, RESIDENT_VIEW, live)


def resident_search_for_actor(
    *,
    actor: Any,
    id_number: str = "",
    phone: str = "",
    name: str = "",
    birth_date: datetime.date | None = None,
) -> list[Resident]:
    """Residents matching one identifying key, within the actor's area (at most 20)."""
    found = _scoped(actor)
    if id_number.strip():
        found = found.filter(
            id_number_index=blind_index("id_number", normalise_id_number(id_number))
        )
    elif phone.strip():
        found = found.filter(phone_index=blind_index("phone", normalise_phone(phone)))
    elif name.strip() and birth_date is not None:
        found = found.filter(name_normalised=normalise_name(name), birth_date=birth_date)
    else:
        raise InvalidInput(
            _("Search by ID number, by phone number, or by name together with the date of birth."),
            code="resident.search_key",
        )
    return list(found.select_related("community").order_by("name_normalised", "pk")[:MAX_RESULTS])


def resident_get_for_actor(*, actor: Any, resident_id: int, purpose: str) -> Resident:
    """Open one record for a stated purpose; the read is logged. Out of scope = not found."""
    if purpose not in PURPOSES:
        raise InvalidInput(_("Say why you are opening this record."), code="resident.purpose")
    resident = residents.get_for_actor(
        actor, RESIDENT_VIEW, _scoped(actor).select_related("community"), pk=resident_id
    )
    if purpose == "service_delivery" and not consent_active(resident, Purpose.SERVICE_DELIVERY):
        # Withdrawal takes effect at once: only with the resident present (who may consent
        # again on a signed form) or to handle their own requests may the record be opened.
        raise NotAllowed(
            _(
                "The resident withdrew their consent to be served with this data: open the "
                "record only with the resident at the counter."
            ),
            code="resident.consent_withdrawn",
        )
    audit.access(
        actor=actor,
        subject=resident,
        purpose=purpose,
        fields=[*RECORD_FIELDS, *MEMBER_FIELDS],
        subject_area=resident.community_id,
    )
    return resident


def resident_in_scope(*, actor: Any, resident_id: int) -> bool:
    """Is this record in the actor's area? (A scope check: it reads no personal field.)"""
    return _scoped(actor).filter(pk=resident_id).exists()


def household_of(resident: Resident) -> list[HouseholdMember]:
    """The members of a record already opened (and logged) by the caller, oldest first."""
    return list(resident.members.order_by("birth_date", "pk"))


def moves_of(resident: Resident) -> list[ResidenceChange]:
    """Where the resident lived before, newest move first."""
    return list(resident.moves.select_related("from_community", "to_community"))


def deletion_queue_for_actor(*, actor: Any, include_decided: bool = False) -> list[DeletionRequest]:
    """Deletion requests in the actor's area, the nearest deadline first (no personal fields)."""
    found = deletion_requests.visible_to(
        actor, RESIDENT_ERASE, DeletionRequest.objects.select_related("resident__community")
    )
    if not include_decided:
        found = found.filter(state=DeletionState.PENDING)
    return list(found.order_by("due_on", "pk")[:200])


def deletion_request_get_for_actor(*, actor: Any, request_id: int) -> DeletionRequest:
    """One deletion request to decide; opening it shows the record, so the read is logged."""
    request = deletion_requests.get_for_actor(
        actor,
        RESIDENT_ERASE,
        DeletionRequest.objects.select_related("resident__community"),
        pk=request_id,
    )
    if request.resident.erased_at is None:
        audit.access(
            actor=actor,
            subject=request.resident,
            purpose="deletion_request",
            fields=["name", "birth_date", "community"],
            subject_area=request.resident.community_id,
        )
    return request


def deletion_requests_of(resident: Resident) -> list[DeletionRequest]:
    """The resident's own deletion requests, newest first."""
    return list(resident.deletions.order_by("-created_at", "-pk"))


def resident_for_account(*, account: Any) -> Resident:
    """The signed-in resident's own record (their own reads are not access-logged)."""
    resident = (
        Resident.objects.filter(account=account, erased_at__isnull=True)
        .select_related("community")
        .first()
    )
    if resident is None:
        raise NotFound(NotFound.default_message())
    return resident


def reads_of(resident: Resident) -> QuerySet[AccessLogEntry]:
    """Who read this resident's record and why (the access log), newest first."""
    return AccessLogEntry.objects.filter(
        subject_type="residents.resident", subject_id=str(resident.pk)
    ).order_by("-at", "-pk")


def resident_data_export(resident: Resident) -> dict[str, Any]:
    """Everything held about the resident, for their own copy (PIPL art. 45).

    The same content feeds the JSON download, the readable page and the API.
    """
    return {
        "name": resident.name,
        "gender": resident.gender,
        "birth_date": resident.birth_date.isoformat(),
        "phone": resident.phone,
        "id_number": resident.id_number,
        "origin_code": resident.origin_code,
        "arrival_date": resident.arrival_date.isoformat() if resident.arrival_date else None,
        "community": {"code": resident.community_id, "name": resident.community.short_name},
        "address": resident.address,
        "occupation": resident.occupation,
        "languages": resident.languages,
        "needs": resident.needs,
        "ethnicity": resident.ethnicity,
        "religion": resident.religion,
        "registered": {"via": resident.registered_via, "at": resident.created_at.isoformat()},
        "household": [
            {
                "relationship": m.relationship,
                "name": m.name,
                "gender": m.gender,
                "birth_date": m.birth_date.isoformat(),
                "id_number": m.id_number,
                "school_stage": m.school_stage,
                "school_name": m.school_name,
            }
            for m in household_of(resident)
        ],
        "moves": [
            {
                "from": m.from_community_id,
                "to": m.to_community_id,
                "moved_on": m.moved_on.isoformat(),
            }
            for m in moves_of(resident)
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "department": c.department.code if c.department else None,
                "given": c.granted_at.isoformat(),
                "how": c.channel,
                "withdrawn": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in resident.consents.select_related("department").order_by("granted_at", "pk")
        ],
        "deletion_requests": [
            {
                "filed": d.created_at.isoformat(),
                "state": d.state,
                "decide_by": d.due_on.isoformat(),
                "refusal_reason": d.refusal_reason or None,
            }
            for d in deletion_requests_of(resident)
        ],
        "reads_of_your_record": [
            {"at": e.at.isoformat(), "by": e.actor_label, "why": e.purpose}
            for e in reads_of(resident).order_by("at", "pk")
        ],
    }


def reads_in_plain_words(resident: Resident, *, limit: int = 200) -> list[dict[str, Any]]:
    """The access log of a record as a resident reads it: when, who (name, role, where), why."""
    entries = list(reads_of(resident)[:limit])
    staff_ids = {int(e.actor_id) for e in entries if e.actor_kind == "staff" and e.actor_id}
    people = {
        u.pk: u
        for u in User.objects.filter(pk__in=staff_ids).prefetch_related("role_assignments__area")
    }
    words = []
    for entry in entries:
        user = people.get(int(entry.actor_id)) if entry.actor_id.isdigit() else None
        roles = [
            f"{a.get_role_display()} · {a.area.short_name}"
            for a in (user.role_assignments.all() if user else [])
        ]
        words.append(
            {
                "at": entry.at,
                "who": (user.display_name or user.username) if user else entry.actor_label,
                "role": "; ".join(roles),
                "purpose": entry.purpose,
            }
        )
    return words
