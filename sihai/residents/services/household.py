"""Household members: children for school seats, spouses, parents.

A child under 14 is "sensitive personal information" (PIPL art. 28, 31): their
details are kept only with the guardian's consent, one consent per child, given
by the resident in the portal or recorded from a signed form at the counter.
Withdrawing it erases the child's details.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import ResidentAccount, User
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotFound
from sihai.core.fields import BlindIndexField
from sihai.core.identity import normalise_id_number
from sihai.residents.models import (
    Consent,
    ConsentChannel,
    Gender,
    HouseholdMember,
    Purpose,
    Relationship,
    Resident,
    SchoolStage,
)
from sihai.residents.policies import RESIDENT_UPDATE, acts_on
from sihai.residents.services.registration import MAX_NAME, OLDEST_BIRTH_YEAR

# PIPL art. 28: the personal information of a minor under 14 is sensitive.
GUARDIAN_CONSENT_BELOW = 14
MEMBER_SENSITIVE = frozenset({"id_number"})


@dataclass
class MemberInput:
    relationship: str
    name: str
    birth_date: datetime.date
    gender: str = Gender.UNSTATED
    id_number: str = ""
    school_stage: str = ""
    school_name: str = ""


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years of age on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _clean(data: MemberInput) -> dict[str, object]:
    name = data.name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(
            _("Give a name of 1 to %(n)d characters.") % {"n": MAX_NAME}, code="member.name"
        )
    if data.relationship not in Relationship.values or data.gender not in Gender.values:
        raise InvalidInput(_("Choose from the listed options."), code="member.choice")
    if data.school_stage and data.school_stage not in SchoolStage.values:
        raise InvalidInput(_("Choose from the listed options."), code="member.choice")
    today = timezone.localdate()
    if not (datetime.date(OLDEST_BIRTH_YEAR, 1, 1) <= data.birth_date <= today):
        raise InvalidInput(_("The date of birth is not possible."), code="member.birth_date")
    id_number = normalise_id_number(data.id_number) if data.id_number.strip() else None
    if id_number is not None:
        born = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        if born != data.birth_date:
            raise InvalidInput(
                _("The date of birth does not match the ID number."),
                code="member.id_birth_mismatch",
            )
    return {
        "relationship": data.relationship,
        "name": name,
        "gender": data.gender,
        "birth_date": data.birth_date,
        "id_number": id_number,
        "school_stage": data.school_stage,
        "school_name": data.school_name.strip()[:100],
    }


def _resident_for(actor: User | ResidentAccount, resident_id: int) -> Resident:
    resident = (
        Resident.objects.select_for_update().filter(pk=resident_id, erased_at__isnull=True).first()
    )
    if resident is None or not acts_on(actor, RESIDENT_UPDATE, resident):
        raise NotFound(NotFound.default_message())
    return resident


def _guardian_consent(
    *,
    actor: User | ResidentAccount,
    resident: Resident,
    member: HouseholdMember,
    agreed: bool,
    evidence: str,
) -> Consent:
    if isinstance(actor, ResidentAccount):
        if not agreed:
            raise InvalidInput(
                _("A child under 14: agree, as their guardian, that we keep their details."),
                code="member.guardian_consent",
            )
        channel, recorded_by = ConsentChannel.PORTAL, None
    else:
        if not evidence.strip():
            raise InvalidInput(
                _("A child under 14: record the reference of the form their guardian signed."),
                code="member.guardian_consent",
            )
        channel, recorded_by = ConsentChannel.COUNTER, actor
    return Consent.objects.create(
        resident=resident,
        purpose=Purpose.MINOR_DATA,
        member=member,
        channel=channel,
        evidence=evidence.strip()[:200],
        recorded_by=recorded_by,
    )


@transaction.atomic
def household_member_add(
    *,
    actor: User | ResidentAccount,
    resident_id: int,
    data: MemberInput,
    guardian_agrees: bool = False,
    guardian_evidence: str = "",
) -> HouseholdMember:
    """Add someone to a resident's household; a child under 14 needs the guardian's consent."""
    resident = _resident_for(actor, resident_id)
    values = _clean(data)
    if (
        values["id_number"]
        and HouseholdMember.objects.filter(resident=resident)
        .filter(id_number_index=_member_index(str(values["id_number"])))
        .exists()
    ):
        raise InvalidInput(_("This person is already in the household."), code="member.duplicate")
    member = HouseholdMember.objects.create(resident=resident, **values)
    minor = age_on(data.birth_date, timezone.localdate()) < GUARDIAN_CONSENT_BELOW
    if minor:
        _guardian_consent(
            actor=actor,
            resident=resident,
            member=member,
            agreed=guardian_agrees,
            evidence=guardian_evidence,
        )
    audit.record(
        actor=actor,
        action="residents.member_added",
        target=member,
        area_code=resident.community_id,
        changes={
            **audit.field_changes({}, {k: v for k, v in values.items() if v}, sensitive=_hidden()),
            "guardian_consent": minor,
        },
    )
    return member


def _member_index(id_number: str) -> str:
    column = HouseholdMember._meta.get_field("id_number_index")
    assert isinstance(column, BlindIndexField)  # noqa: S101  (declared so on the model)
    return column.index_of(id_number)


def _hidden() -> frozenset[str]:
    # A member's name and birth date are personal data too: the audit says they changed.
    return MEMBER_SENSITIVE | {"name", "birth_date", "school_name"}


def _member_for(actor: User | ResidentAccount, member_id: int) -> HouseholdMember:
    member = HouseholdMember.objects.select_related("resident").filter(pk=member_id).first()
    if member is None:
        raise NotFound(NotFound.default_message())
    _resident_for(actor, member.resident_id)
    return member


@transaction.atomic
def household_member_update(
    *, actor: User | ResidentAccount, member_id: int, data: MemberInput
) -> HouseholdMember:
    """Correct a member's details (a birthday that makes them a minor needs the consent first)."""
    member = _member_for(actor, member_id)
    values = _clean(data)
    today = timezone.localdate()
    has_consent = member.guardian_consents.filter(withdrawn_at__isnull=True).exists()
    if age_on(data.birth_date, today) < GUARDIAN_CONSENT_BELOW and not has_consent:
        raise InvalidInput(
            _("A child under 14: remove and add them again with their guardian's consent."),
            code="member.guardian_consent",
        )
    before = {name: getattr(member, name) for name in values}
    diff = audit.field_changes(before, values, sensitive=_hidden())
    if diff:
        for name, value in values.items():
            setattr(member, name, value)
        member.save()
        audit.record(
            actor=actor,
            action="residents.member_corrected",
            target=member,
            area_code=member.resident.community_id,
            changes=diff,
        )
    return member


@transaction.atomic
def household_member_remove(*, actor: User | ResidentAccount, member_id: int) -> None:
    """Take someone off the household; their details are deleted, the guardian consent ends."""
    member = _member_for(actor, member_id)
    member_remove(actor=actor, member=member)


def member_remove(*, actor: User | ResidentAccount | None, member: HouseholdMember) -> None:
    """Delete one member and end their guardian consent (inside the caller's transaction)."""
    member.guardian_consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    member_id, area = member.pk, member.resident.community_id
    member.delete()
    audit.record(
        actor=actor,
        action="residents.member_removed",
        target_type="residents.householdmember",
        target_id=str(member_id),
        area_code=area,
    )
