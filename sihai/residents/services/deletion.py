"""The right to deletion (PIPL art. 47): a request, a decision by a deadline, the erasure.

The resident files a request in the portal. Staff with ``resident.erase`` in the
resident's area decide it within ``SIHAI_DELETION_DECISION_DAYS``: granted, the
identifying fields are erased (name, phone, ID number, address, ethnicity,
religion, household, sign-in account) while what feeds suppressed statistics
stays (community, gender, birth year, occupation, dates of arrival and
registration); refused, the resident reads the reasons.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import ResidentAccount, User
from sihai.accounts.resident_auth import resident_account_close
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotFound
from sihai.residents.models import Consent, DeletionRequest, DeletionState, Resident
from sihai.residents.policies import RESIDENT_ERASE, deletion_requests
from sihai.residents.services.household import member_remove
from sihai.residents.services.registration import SENSITIVE

MAX_TEXT = 1000


def _own_resident(account: ResidentAccount) -> Resident:
    resident = (
        Resident.objects.select_for_update().filter(account=account, erased_at__isnull=True).first()
    )
    if resident is None:
        raise NotFound(NotFound.default_message())
    return resident


@transaction.atomic
def deletion_request_file(*, account: ResidentAccount, reason: str = "") -> DeletionRequest:
    """The resident asks for their data to be deleted; staff must decide by the deadline."""
    resident = _own_resident(account)
    if resident.deletions.filter(state=DeletionState.PENDING).exists():
        raise InvalidInput(
            _("You have asked already: we will tell you the decision by the date shown."),
            code="deletion.pending",
        )
    days = int(settings.SIHAI_DELETION_DECISION_DAYS)
    request = DeletionRequest.objects.create(
        resident=resident,
        reason=reason.strip()[:MAX_TEXT],
        due_on=timezone.localdate() + datetime.timedelta(days=days),
    )
    audit.record(
        actor=account,
        action="residents.deletion_requested",
        target=request,
        area_code=resident.community_id,
        changes={"due_on": request.due_on.isoformat()},
    )
    return request


@transaction.atomic
def deletion_request_withdraw(*, account: ResidentAccount, request_id: int) -> DeletionRequest:
    """The resident changes their mind before the decision."""
    resident = _own_resident(account)
    request = (
        DeletionRequest.objects.select_for_update()
        .filter(pk=request_id, resident=resident, state=DeletionState.PENDING)
        .first()
    )
    if request is None:
        raise NotFound(NotFound.default_message())
    request.state = DeletionState.WITHDRAWN
    request.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=account,
        action="residents.deletion_withdrawn",
        target=request,
        area_code=resident.community_id,
    )
    return request


@transaction.atomic
def deletion_request_decide(
    *, actor: User, request_id: int, grant: bool, refusal_reason: str = ""
) -> DeletionRequest:
    """Grant (erase now) or refuse (with reasons the resident reads) a pending request."""
    request = deletion_requests.get_for_actor(
        actor,
        RESIDENT_ERASE,
        DeletionRequest.objects.select_for_update().select_related("resident"),
        pk=request_id,
    )
    if request.state != DeletionState.PENDING:
        raise InvalidInput(
            _("This request was decided already: %(state)s.")
            % {"state": request.get_state_display()},
            code="deletion.decided",
        )
    if not grant and not refusal_reason.strip():
        raise InvalidInput(
            _("Give the reasons for refusing: the resident will read them."),
            code="deletion.reason",
        )
    request.state = DeletionState.ERASED if grant else DeletionState.REFUSED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.refusal_reason = "" if grant else refusal_reason.strip()[:MAX_TEXT]
    request.save()
    area = request.resident.community_id
    audit.record(
        actor=actor,
        action="residents.deletion_granted" if grant else "residents.deletion_refused",
        target=request,
        area_code=area,
        changes={} if grant else {"reason": request.refusal_reason},
    )
    if grant:
        resident_erase(actor=actor, resident=request.resident)
    return request


def resident_erase(*, actor: User | None, resident: Resident) -> None:
    """Erase the identifying fields of one record (inside the caller's transaction).

    Kept for suppressed statistics only: community, gender, birth year, occupation,
    dates of arrival and of registration. Consents end; the access log stays for
    the legal retention period (it names the record, not its contents).
    """
    for member in resident.members.all():
        member_remove(actor=actor, member=member)
    Consent.objects.filter(resident=resident, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    account = resident.account
    resident.name = ""
    resident.phone = resident.id_number = resident.ethnicity = resident.religion = None
    resident.address = ""
    resident.birth_date = datetime.date(resident.birth_date.year, 1, 1)
    resident.origin_code = resident.origin_code[:2]
    resident.languages, resident.needs = [], []
    resident.account = None
    resident.erased_at = timezone.now()
    resident.save()
    audit.record(
        actor=actor,
        action="residents.erased",
        target=resident,
        area_code=resident.community_id,
        changes={
            name: {"changed": audit.SENSITIVE_MARK}
            for name in sorted(SENSITIVE | {"name", "birth_date", "languages", "needs"})
        },
    )
    if account is not None:
        resident_account_close(actor=actor, account=account, area_code=resident.community_id)
