"""Who may find, open, register, correct, move and erase residents: staff, within their area.

A resident acts on their own record only (through their sign-in account); staff act
on records whose current community lies in their jurisdiction. Anything else is
answered as "not found".
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sihai.accounts.models import ResidentAccount
from sihai.core.policy import Action, ScopedPolicy, register_action
from sihai.residents.models import DeletionRequest, Resident

RESIDENT_VIEW = register_action("resident.view", _("Find and open residents' records"))
RESIDENT_REGISTER = register_action("resident.register", _("Register a resident at the counter"))
RESIDENT_UPDATE = register_action(
    "resident.update", _("Correct a resident's record, their household, or their move")
)
RESIDENT_ERASE = register_action(
    "resident.erase", _("Decide residents' requests to delete their data")
)

# A resident belongs to the community they live in; department staff see residents only
# through referrals and applications routed to them (later issues), never by area.
residents: ScopedPolicy[Resident] = ScopedPolicy(area_field="community__code")
deletion_requests: ScopedPolicy[DeletionRequest] = ScopedPolicy(
    area_field="resident__community__code"
)


def acts_on(actor: Any, action: Action, resident: Resident) -> bool:
    """May ``actor`` do ``action`` to this resident's record: their own, or in the staff's area?"""
    if isinstance(actor, ResidentAccount):
        return resident.account_id == actor.pk
    return residents.can(actor, action, resident)
