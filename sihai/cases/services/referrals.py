"""Referral across (横向联动): only the fields the purpose needs, behind the consent gate."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import Department, User
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.cases import policies
from sihai.cases.models import ConsentBasis, EventKind, Referral, ReferralState, ServiceRequest
from sihai.cases.policies import CASE_HANDLE, CASE_OVERRIDE
from sihai.cases.services.common import add_event
from sihai.cases.services.workflow import MAX_NOTE, apply_move
from sihai.cases.states import State, may_move
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.core.policy import grants_for
from sihai.residents.models import Purpose
from sihai.residents.services import consent_active

# What may travel with a referral; the sender picks the ones the purpose needs.
SHAREABLE = ("category", "description", "answers", "community", "contact_name", "contact_phone")
PERSONAL = frozenset({"contact_name", "contact_phone"})


def _shared(request: ServiceRequest, fields: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "category": request.category_code,
        "description": request.description,
        "answers": request.attributes,
        "community": request.community_id,
        "contact_name": request.contact_name,
        "contact_phone": request.contact_phone,
    }
    return {name: values[name] for name in SHAREABLE if name in fields}


@transaction.atomic
def referral_create(  # noqa: PLR0912  (the consent gate reads best as one ladder)
    *,
    actor: User,
    request_id: int,
    purpose: str,
    fields: list[str],
    to_department_code: str = "",
    to_community_code: str = "",
    to_area_code: str = "",
    override_reason: str = "",
) -> Referral:
    """Refer a request to a department (in the request's district unless ``to_area_code``)
    or to another community. Personal fields go to a department only with the resident's
    consent for that department, or an officer's audited override with a reason."""
    request = policies.get_for_actor(actor, CASE_HANDLE, request_id)
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    purpose = purpose.strip()[:200]
    if not purpose:
        raise InvalidInput(_("Say what the receiver should do."), code="referral.purpose")
    unknown = [f for f in fields if f not in SHAREABLE]
    if unknown or not fields:
        raise InvalidInput(_("Choose the fields the receiver needs."), code="referral.fields")
    if not may_move(request.state, State.REFERRED, system=True):
        raise InvalidInput(
            _("A request that is “%(state)s” cannot be referred.")
            % {"state": request.get_state_display()},
            code="request.illegal_move",
        )
    if bool(to_department_code) == bool(to_community_code):
        raise InvalidInput(
            _("Refer to one department or to one community."), code="referral.receiver"
        )
    basis = ConsentBasis.NOT_PERSONAL
    if to_department_code:
        department = Department.objects.filter(code=to_department_code).first()
        if department is None:
            raise InvalidInput(_("Unknown department."), code="referral.receiver")
        area = to_area_code or request.community_id[:6]
        if not request.community_id.startswith(area):
            raise InvalidInput(
                _("Choose a department over the request's area."), code="referral.receiver"
            )
        if PERSONAL & set(fields):
            resident = request.resident
            if resident is not None and consent_active(
                resident, Purpose.DEPARTMENT_SHARING, department
            ):
                basis = ConsentBasis.CONSENT
            elif not override_reason.strip():
                raise NotAllowed(
                    _(
                        "The resident has not agreed to share their details with this "
                        "department. Leave the contact details out, or (officers) give a "
                        "reason to override."
                    ),
                    code="referral.no_consent",
                )
            elif not any(g.covers(request.community_id) for g in grants_for(actor, CASE_OVERRIDE)):
                raise NotAllowed(
                    _("Only an officer with the right may override the consent check."),
                    code="referral.override_denied",
                )
            else:
                basis = ConsentBasis.OVERRIDE
    else:
        target = AdministrativeArea.objects.filter(code=to_community_code, level="village").first()
        if target is None or target.code == request.community_id:
            raise InvalidInput(_("Choose another community."), code="referral.receiver")
        area = target.code
    referral = Referral.objects.create(
        request=request,
        to_area_code=area,
        to_department_code=to_department_code,
        purpose=purpose,
        shared=_shared(request, fields),
        consent_basis=basis,
        override_reason=override_reason.strip()[:MAX_NOTE]
        if basis == ConsentBasis.OVERRIDE
        else "",
        created_by=actor,
    )
    now = timezone.now()
    from_state = apply_move(request, State.REFERRED, now=now)
    request.save()
    receiver = f"{to_department_code}@{area}" if to_department_code else area
    add_event(
        request,
        kind=EventKind.REFERRED,
        actor=actor,
        from_state=from_state,
        to_state=State.REFERRED,
        note=purpose,
        at=now,
        referral_department=to_department_code,
    )
    audit.record(
        actor=actor,
        action="cases.referred",
        target=referral,
        area_code=request.community_id,
        changes={
            "request": request.reference,
            "to": receiver,
            "fields": sorted(fields),
            "consent_basis": basis,
        },
    )
    if basis == ConsentBasis.OVERRIDE:
        audit.record(
            actor=actor,
            action="cases.consent_overridden",
            target=referral,
            area_code=request.community_id,
            changes={"reason": referral.override_reason, "to": receiver},
        )
    return referral


@transaction.atomic
def referral_decide(*, actor: User, referral_id: int, accept: bool, reason: str = "") -> Referral:
    """The addressee accepts or declines (with a reason); no one else may answer."""
    referral = (
        Referral.objects.select_for_update()
        .select_related("request")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or not policies.can(actor, CASE_HANDLE, referral.request):
        raise NotFound(NotFound.default_message())
    if not policies.addressed_to(actor, referral):
        raise NotAllowed(
            _("This referral is addressed to another unit."), code="referral.not_addressee"
        )
    if referral.state != ReferralState.PENDING:
        raise InvalidInput(_("This referral was already answered."), code="referral.decided")
    reason = reason.strip()[:MAX_NOTE]
    if not accept and not reason:
        raise InvalidInput(_("Say why the referral is declined."), code="referral.reason")
    now = timezone.now()
    referral.state = ReferralState.ACCEPTED if accept else ReferralState.DECLINED
    referral.decided_by, referral.decided_at, referral.decline_reason = actor, now, reason
    referral.save()
    request = ServiceRequest.objects.select_for_update().get(pk=referral.request_id)
    from_state = apply_move(request, State.IN_PROGRESS, now=now)
    if accept and referral.to_department_code:
        request.department_code = referral.to_department_code
    request.save()
    add_event(
        request,
        kind=EventKind.REFERRAL_ACCEPTED if accept else EventKind.REFERRAL_DECLINED,
        actor=actor,
        from_state=from_state,
        to_state=State.IN_PROGRESS,
        note=reason,
        at=now,
        referral_department=referral.to_department_code,
    )
    audit.record(
        actor=actor,
        action="cases.referral_accepted" if accept else "cases.referral_declined",
        target=referral,
        area_code=request.community_id,
        changes={"request": request.reference, "reason": reason},
    )
    return referral
