"""Consent per purpose: given, checked at every use, withdrawn with immediate effect.

Ethnicity and religion need their own, separate consent (单独同意) and are set
only by the resident; withdrawing that consent erases the answers.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import Department, ResidentAccount, User
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.residents.ethnicity import ethnic_groups
from sihai.residents.models import Consent, ConsentChannel, Purpose, Resident
from sihai.residents.policies import RESIDENT_REGISTER, acts_on
from sihai.residents.services.household import member_remove
from sihai.residents.services.registration import SENSITIVE


def consent_active(resident: Resident, purpose: str, department: Department | None = None) -> bool:
    """Does an unwithdrawn consent cover this use now? Checked at every use."""
    return Consent.objects.filter(
        resident=resident, purpose=purpose, department=department, withdrawn_at__isnull=True
    ).exists()


@transaction.atomic
def consent_grant(
    *,
    actor: User | ResidentAccount,
    resident: Resident,
    purpose: str,
    department_code: str | None = None,
    evidence: str = "",
) -> Consent:
    """Record a consent: by the resident in the portal, or by staff with a signed form."""
    if purpose not in Purpose.values or purpose == Purpose.MINOR_DATA:
        # A guardian's consent is given with the child's details (household services).
        raise InvalidInput(_("Unknown purpose."), code="consent.purpose")
    if resident.erased_at is not None or not acts_on(actor, RESIDENT_REGISTER, resident):
        raise NotFound(NotFound.default_message())
    if isinstance(actor, ResidentAccount):
        channel, recorded_by = ConsentChannel.PORTAL, None
    else:
        if purpose == Purpose.SENSITIVE_CATEGORIES:
            # Self-declared only: staff never record ethnicity or religion, nor consent to it.
            raise NotAllowed(
                _("Only the resident can give this consent, in the portal."),
                code="consent.self_only",
            )
        if not evidence.strip():
            raise InvalidInput(
                _("Record the reference of the consent form the resident signed."),
                code="consent.evidence",
            )
        channel, recorded_by = ConsentChannel.COUNTER, actor
    department = None
    if purpose == Purpose.DEPARTMENT_SHARING:
        department = Department.objects.filter(code=department_code or "").first()
        if department is None:
            raise InvalidInput(
                _("Name the department the data may be shared with."), code="consent.department"
            )
    if consent_active(resident, purpose, department):
        raise InvalidInput(_("This consent is already given."), code="consent.exists")
    consent = Consent.objects.create(
        resident=resident,
        purpose=purpose,
        department=department,
        channel=channel,
        evidence=evidence.strip()[:200],
        recorded_by=recorded_by,
    )
    audit.record(
        actor=actor,
        action="residents.consent_given",
        target=consent,
        area_code=resident.community_id,
        changes={
            "purpose": purpose,
            "department": department.code if department else None,
            "channel": channel,
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: ResidentAccount | User, consent_id: int) -> None:
    """Withdraw a consent; takes effect at once. Withdrawing the sensitive-category consent
    erases the ethnicity and religion answers."""
    consent = (
        Consent.objects.select_related("resident", "member")
        .filter(pk=consent_id, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        raise NotFound(NotFound.default_message())
    resident = consent.resident
    if not acts_on(actor, RESIDENT_REGISTER, resident):
        raise NotFound(NotFound.default_message())
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    changes: dict[str, Any] = {"purpose": consent.purpose}
    if consent.purpose == Purpose.MINOR_DATA and consent.member is not None:
        # Without the guardian's consent the child's details cannot be kept: erased now.
        member_remove(actor=actor, member=consent.member)
        changes["erased"] = "household member"
    if consent.purpose == Purpose.SENSITIVE_CATEGORIES and (
        resident.ethnicity or resident.religion
    ):
        resident.ethnicity = resident.religion = None
        resident.save(update_fields=["ethnicity", "religion", "updated_at"])
        changes["erased"] = audit.field_changes(
            {"ethnicity": 1, "religion": 1}, {}, sensitive=SENSITIVE
        )
    audit.record(
        actor=actor,
        action="residents.consent_withdrawn",
        target=consent,
        area_code=resident.community_id,
        changes=changes,
    )


@transaction.atomic
def resident_declare_sensitive(
    *, account: ResidentAccount, ethnicity_code: str | None, religion: str | None
) -> Resident:
    """The resident declares (or clears) their ethnic group and religion, after separate consent."""
    resident = Resident.objects.select_for_update().filter(account=account).first()
    if resident is None:
        raise NotFound(NotFound.default_message())
    if not consent_active(resident, Purpose.SENSITIVE_CATEGORIES):
        raise NotAllowed(
            _("First read and agree to how your ethnic group and religion would be used."),
            code="consent.sensitive_missing",
        )
    if ethnicity_code and ethnicity_code not in ethnic_groups():
        raise InvalidInput(_("Choose an ethnic group from the list."), code="resident.ethnicity")
    religion_text = (religion or "").strip()[:50] or None
    before = {"ethnicity": resident.ethnicity, "religion": resident.religion}
    resident.ethnicity, resident.religion = ethnicity_code or None, religion_text
    resident.save(update_fields=["ethnicity", "religion", "updated_at"])
    audit.record(
        actor=account,
        action="residents.sensitive_declared",
        target=resident,
        area_code=resident.community_id,
        changes=audit.field_changes(
            before,
            {"ethnicity": resident.ethnicity, "religion": resident.religion},
            sensitive=SENSITIVE,
        ),
    )
    return resident
