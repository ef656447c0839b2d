"""Registering residents: validation, de-duplication, the registration itself.

Registration is voluntary and needs consent to use the data to serve the
resident (``service_delivery``), recorded with it: tapped in the portal, or a
signed form at the counter whose reference the worker records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import ResidentAccount, User
from sihai.areas.codes import Level, validate_code
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.core.fields import BlindIndexField
from sihai.core.identity import normalise_id_number, normalise_phone
from sihai.core.policy import grants_for
from sihai.residents.models import (
    Consent,
    ConsentChannel,
    Gender,
    Need,
    Occupation,
    Purpose,
    RegisteredVia,
    Resident,
)
from sihai.residents.names import normalise_name
from sihai.residents.policies import RESIDENT_REGISTER

SENSITIVE = frozenset({"phone", "id_number", "address", "ethnicity", "religion"})
MAX_NAME = 100
OLDEST_BIRTH_YEAR = 1900


class PossibleDuplicate(InvalidInput):
    """Someone with the same name, date of birth and phone is registered: confirm it is not them."""

    code = "resident.possible_duplicate"


@dataclass
class ResidentInput:
    name: str
    birth_date: datetime.date
    community_code: str
    gender: str = Gender.UNSTATED
    phone: str = ""
    id_number: str = ""
    origin_code: str = ""
    arrival_date: datetime.date | None = None
    address: str = ""
    occupation: str = Occupation.OTHER
    languages: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)


def resident_input_clean(data: ResidentInput) -> dict[str, Any]:
    """Validate and normalise one resident's details; raise InvalidInput naming the first problem.

    Returns the model's field values (``community_id`` for the community). Shared by every
    registration path: the portal, the counter and the register import.
    """
    name = data.name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(
            _("Give a name of 1 to %(n)d characters.") % {"n": MAX_NAME}, code="resident.name"
        )
    today = timezone.localdate()
    if not (datetime.date(OLDEST_BIRTH_YEAR, 1, 1) <= data.birth_date <= today):
        raise InvalidInput(_("The date of birth is not possible."), code="resident.birth_date")
    if data.arrival_date and not (data.birth_date <= data.arrival_date <= today):
        raise InvalidInput(_("The date of arrival is not possible."), code="resident.arrival_date")
    validate_code(data.community_code)
    if len(data.community_code) != 12:
        raise InvalidInput(
            _("Choose a community or village (a 12-digit code)."), code="resident.community"
        )
    if data.origin_code and not (data.origin_code.isdigit() and len(data.origin_code) in (2, 4, 6)):
        raise InvalidInput(
            _("The place of origin is a 2, 4 or 6-digit area code."), code="resident.origin"
        )
    if data.gender not in Gender.values or data.occupation not in Occupation.values:
        raise InvalidInput(_("Choose from the listed options."), code="resident.choice")
    unknown_needs = set(data.needs) - set(Need.values)
    if unknown_needs:
        raise InvalidInput(_("Choose needs from the listed options."), code="resident.needs")
    id_number = normalise_id_number(data.id_number) if data.id_number.strip() else None
    if id_number is not None:
        born = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        if born != data.birth_date:
            raise InvalidInput(
                _("The date of birth does not match the ID number."),
                code="resident.id_birth_mismatch",
            )
    return {
        "name": name,
        "birth_date": data.birth_date,
        "gender": data.gender,
        "phone": normalise_phone(data.phone) if data.phone.strip() else None,
        "id_number": id_number,
        "origin_code": data.origin_code,
        "arrival_date": data.arrival_date,
        "community_id": data.community_code,
        "address": data.address.strip()[:300],
        "occupation": data.occupation,
        "languages": [lang.strip()[:40] for lang in data.languages if lang.strip()][:10],
        "needs": sorted(set(data.needs)),
    }


def blind_index(field_name: str, value: str) -> str:
    """The blind index a plaintext would have in a Resident column (phone, id_number)."""
    column = Resident._meta.get_field(f"{field_name}_index")
    assert isinstance(column, BlindIndexField)  # noqa: S101  (declared so on the model)
    return column.index_of(value)


def resident_duplicate_check(values: dict[str, Any], *, confirmed_new: bool) -> None:
    """Refuse a known ID number; flag a possible duplicate (same name, birth date and phone)."""
    if values["id_number"]:
        if Resident.objects.filter(
            id_number_index=blind_index("id_number", values["id_number"])
        ).exists():
            raise InvalidInput(
                _("Someone with this ID number is already registered: find their record instead."),
                code="resident.duplicate_id",
            )
        return
    if confirmed_new or not values["phone"]:
        return
    same_person = Resident.objects.filter(
        name_normalised=normalise_name(values["name"]),
        birth_date=values["birth_date"],
        phone_index=blind_index("phone", values["phone"]),
    )
    if same_person.exists():
        raise PossibleDuplicate(
            _("Someone with this name, birth date and phone is registered: is it the same person?")
        )


@transaction.atomic
def resident_register(
    *,
    actor: User | ResidentAccount,
    data: ResidentInput,
    consent_evidence: str = "",
    confirmed_new: bool = False,
) -> Resident:
    """Register a resident, by themself (portal) or by staff at the counter with a signed form.

    The service-delivery consent is recorded with the registration: without it
    there is nothing to register for.
    """
    values = resident_input_clean(data)
    if not AdministrativeArea.objects.filter(
        code=data.community_code, level=Level.VILLAGE
    ).exists():
        raise NotFound(
            _("There is no community with the code %(code)s.") % {"code": data.community_code}
        )
    if isinstance(actor, ResidentAccount):
        if Resident.objects.filter(account=actor).exists():
            raise InvalidInput(
                _("You are registered already: correct your record instead."),
                code="resident.exists",
            )
        via, registered_by, channel, account = (
            RegisteredVia.SELF,
            None,
            ConsentChannel.PORTAL,
            actor,
        )
    else:
        if not any(g.covers(data.community_code) for g in grants_for(actor, RESIDENT_REGISTER)):
            raise NotAllowed(
                _("You can register residents of your own area only."),
                code="resident.not_your_area",
            )
        if not consent_evidence.strip():
            raise InvalidInput(
                _("Record the reference of the consent form the resident signed."),
                code="resident.evidence",
            )
        via, registered_by, channel, account = (
            RegisteredVia.ASSISTED,
            actor,
            ConsentChannel.COUNTER,
            None,
        )
    resident_duplicate_check(values, confirmed_new=confirmed_new)
    resident = Resident.objects.create(
        registered_via=via, registered_by=registered_by, account=account, **values
    )
    Consent.objects.create(
        resident=resident,
        purpose=Purpose.SERVICE_DELIVERY,
        channel=channel,
        evidence=consent_evidence.strip()[:200],
        recorded_by=registered_by,
    )
    audit.record(
        actor=actor,
        action="residents.registered",
        target=resident,
        area_code=resident.community_id,
        changes=audit.field_changes(
            {}, {k: v for k, v in values.items() if v}, sensitive=SENSITIVE
        ),
    )
    return resident
