"""Writes on residents' data; every one is atomic and audited in its own transaction.

The package splits by concern; import from here (``from sihai.residents import services``):

* ``registration`` — validation, de-duplication, ``resident_register``;
* ``consent`` — ``consent_grant``, ``consent_withdraw``, ``consent_active``, the sensitive answers;
* ``records`` — corrections (``resident_update``) and moves within the city (``resident_move``);
* ``household`` — household members, with the guardian's consent for children under 14;
* ``deletion`` — the resident's deletion request, its decision, and the erasure itself.
"""

from sihai.residents.services.consent import (
    consent_active,
    consent_grant,
    consent_withdraw,
    resident_declare_sensitive,
)
from sihai.residents.services.deletion import (
    deletion_request_decide,
    deletion_request_file,
    deletion_request_withdraw,
)
from sihai.residents.services.household import (
    MemberInput,
    household_member_add,
    household_member_remove,
    household_member_update,
)
from sihai.residents.services.records import (
    CORRECTABLE_BY_RESIDENT,
    resident_move,
    resident_update,
)
from sihai.residents.services.registration import (
    SENSITIVE,
    PossibleDuplicate,
    ResidentInput,
    blind_index,
    resident_duplicate_check,
    resident_input_clean,
    resident_register,
)

__all__ = [
    "CORRECTABLE_BY_RESIDENT",
    "SENSITIVE",
    "MemberInput",
    "PossibleDuplicate",
    "ResidentInput",
    "blind_index",
    "consent_active",
    "consent_grant",
    "consent_withdraw",
    "deletion_request_decide",
    "deletion_request_file",
    "deletion_request_withdraw",
    "household_member_add",
    "household_member_remove",
    "household_member_update",
    "resident_declare_sensitive",
    "resident_duplicate_check",
    "resident_input_clean",
    "resident_move",
    "resident_register",
    "resident_update",
]
