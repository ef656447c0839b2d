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

from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotFound
from sihai.core.identity import normalise_id_number, normalise_phone
from sihai.residents.models import Resident
from sihai.residents.names import normalise_name
from sihai.residents.policies import RESIDENT_VIEW, residents
from sihai.residents.services import blind_index

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
}
MAX_RESULTS = 20


def _scoped(actor: Any) -> QuerySet[Resident]:
    return residents.visible_to(actor, RESIDENT_VIEW, Resident.objects.defer(*SENSITIVE_FIELDS))


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
    audit.access(
        actor=actor,
        subject=resident,
        purpose=purpose,
        fields=RECORD_FIELDS,
        subject_area=resident.community_id,
    )
    return resident


def resident_for_account(*, account: Any) -> Resident:
    """The signed-in resident's own record (their own reads are not access-logged)."""
    resident = Resident.objects.filter(account=account).select_related("community").first()
    if resident is None:
        raise NotFound(NotFound.default_message())
    return resident
