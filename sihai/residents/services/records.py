"""Correcting a record (PIPL art. 46) and moving within the city, with history kept.

A resident corrects their own details in the portal; staff correct them at the
counter. A move to another community changes whose area the record lies in: the
old community's staff lose sight of it at once, the new community's gain it, and
the move itself is kept (``ResidenceChange``).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import ResidentAccount, User
from sihai.areas.codes import Level, validate_code
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotFound
from sihai.residents.models import ResidenceChange, Resident
from sihai.residents.policies import RESIDENT_UPDATE, acts_on
from sihai.residents.services.registration import (
    SENSITIVE,
    ResidentInput,
    blind_index,
    resident_input_clean,
)

# What a resident may correct themself. The phone number is their sign-in (changed at the
# counter), the community changes by a move, ethnicity and religion on their own screen.
CORRECTABLE_BY_RESIDENT = frozenset(
    {
        "name",
        "gender",
        "birth_date",
        "id_number",
        "origin_code",
        "arrival_date",
        "address",
        "occupation",
        "languages",
        "needs",
    }
)
CORRECTABLE_BY_STAFF = CORRECTABLE_BY_RESIDENT | {"phone"}
MAX_REASON = 300


def _locked(resident_id: int) -> Resident:
    resident = (
        Resident.objects.select_for_update().filter(pk=resident_id, erased_at__isnull=True).first()
    )
    if resident is None:
        raise NotFound(NotFound.default_message())
    return resident


def _current_input(resident: Resident) -> ResidentInput:
    return ResidentInput(
        name=resident.name,
        birth_date=resident.birth_date,
        community_code=resident.community_id,
        gender=resident.gender,
        phone=resident.phone or "",
        id_number=resident.id_number or "",
        origin_code=resident.origin_code,
        arrival_date=resident.arrival_date,
        address=resident.address,
        occupation=resident.occupation,
        languages=list(resident.languages),
        needs=list(resident.needs),
    )


@transaction.atomic
def resident_update(
    *,
    actor: User | ResidentAccount,
    resident_id: int,
    changes: dict[str, Any],
    reason: str = "",
) -> Resident:
    """Correct some fields of a record; the whole record is validated again.

    ``changes`` maps field names (those of :class:`ResidentInput`) to new values. A
    field the actor may not correct is refused, and nothing is written.
    """
    resident = _locked(resident_id)
    if not acts_on(actor, RESIDENT_UPDATE, resident):
        raise NotFound(NotFound.default_message())
    allowed = (
        CORRECTABLE_BY_RESIDENT if isinstance(actor, ResidentAccount) else CORRECTABLE_BY_STAFF
    )
    refused = set(changes) - allowed
    if refused:
        raise InvalidInput(
            _("These details cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(refused))},
            code="resident.not_correctable",
        )
    if not isinstance(actor, ResidentAccount) and not reason.strip():
        raise InvalidInput(
            _("Say why the record is corrected (for example, the resident showed their ID card)."),
            code="resident.reason",
        )
    data = dataclasses.replace(_current_input(resident), **changes)
    values = resident_input_clean(data)
    if values["id_number"] and values["id_number"] != resident.id_number:
        taken = (
            Resident.objects.filter(id_number_index=blind_index("id_number", values["id_number"]))
            .exclude(pk=resident.pk)
            .exists()
        )
        if taken:
            raise InvalidInput(
                _("Someone else is registered with this ID number: check it with the resident."),
                code="resident.duplicate_id",
            )
    values.pop("community_id")
    before = {name: getattr(resident, name) for name in values}
    diff = audit.field_changes(before, values, sensitive=SENSITIVE)
    if not diff:
        return resident
    for name, value in values.items():
        setattr(resident, name, value)
    resident.save()
    audit.record(
        actor=actor,
        action="residents.corrected",
        target=resident,
        area_code=resident.community_id,
        changes={**diff, "reason": reason.strip()[:MAX_REASON]},
    )
    return resident


@transaction.atomic
def resident_move(
    *,
    actor: User | ResidentAccount,
    resident_id: int,
    to_community_code: str,
    moved_on: datetime.date | None = None,
    address: str = "",
) -> ResidenceChange:
    """Move a resident to another community of the city; the record's scope moves with them."""
    resident = _locked(resident_id)
    if not acts_on(actor, RESIDENT_UPDATE, resident):
        raise NotFound(NotFound.default_message())
    validate_code(to_community_code)
    target = AdministrativeArea.objects.filter(code=to_community_code, level=Level.VILLAGE).first()
    if target is None:
        raise InvalidInput(
            _("Choose the community or village the resident moved to (a 12-digit code)."),
            code="resident.move_target",
        )
    if target.code == resident.community_id:
        raise InvalidInput(
            _("The resident already lives in this community."), code="resident.move_same"
        )
    today = timezone.localdate()
    moved_on = moved_on or today
    if not (resident.birth_date <= moved_on <= today):
        raise InvalidInput(_("The date of the move is not possible."), code="resident.move_date")
    move = ResidenceChange.objects.create(
        resident=resident,
        from_community_id=resident.community_id,
        to_community=target,
        moved_on=moved_on,
        recorded_by=actor if isinstance(actor, User) else None,
    )
    old_area = resident.community_id
    resident.community = target
    resident.address = address.strip()[:300]
    resident.save(update_fields=["community", "address", "updated_at"])
    audit.record(
        actor=actor,
        action="residents.moved",
        target=resident,
        area_code=old_area,
        changes={
            "community": {"from": old_area, "to": target.code},
            "address": {"changed": audit.SENSITIVE_MARK},
            "moved_on": moved_on.isoformat(),
        },
    )
    return move
