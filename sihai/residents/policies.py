"""Who may find, open, register and update residents: staff, within their area."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sihai.core.policy import ScopedPolicy, register_action
from sihai.residents.models import Resident

RESIDENT_VIEW = register_action("resident.view", _("Find and open residents' records"))
RESIDENT_REGISTER = register_action("resident.register", _("Register a resident at the counter"))
RESIDENT_UPDATE = register_action("resident.update", _("Correct a resident's record"))

# A resident belongs to the community they live in; department staff see residents only
# through referrals and applications routed to them (later issues), never by area.
residents: ScopedPolicy[Resident] = ScopedPolicy(area_field="community__code")
