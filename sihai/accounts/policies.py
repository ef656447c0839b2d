"""Actions on accounts, roles and tokens, and the role → actions table.

The table is the whole permission model in one screen: which actions each role
grants. Every action named here must be declared in some app's ``policies.py``
(a system check refuses to start otherwise), so the catalogue stays closed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sihai.accounts.roles import Role
from sihai.core.policy import register_action

ROLE_VIEW = register_action("role.view", _("See staff accounts and their roles"))
ROLE_GRANT = register_action("role.grant", _("Grant and revoke staff roles"))
ACCOUNT_MANAGE = register_action("account.manage", _("Remove a staff member's lost authenticator"))
AUDIT_VIEW = register_action("audit.view", _("Read the audit log and the access log"))
RESIDENT_ACCOUNT_ASSIST = register_action(
    "resident_account.assist", _("Open a sign-in account for a resident at the counter")
)
SYSTEM_OPERATE = register_action("system.operate", _("Run operations: health, tasks, key rotation"))

_STAFF = frozenset({"area.browse"})

_COUNTER = _STAFF | {
    "resident_account.assist",
    "resident.view",
    "resident.register",
    "resident.update",
    "resident.import",
}
# Officers above the community find residents in their area; registering is the counter's job.
_OFFICER = _STAFF | {"resident.view"}

# A deletion request is decided above the community that holds the record (a second pair of
# eyes): by the subdistrict, the district or the city.
_DECIDES_DELETION = frozenset({"resident.erase"})
# Service points (sihai/directory/policies.py): every level manages the points in its area,
# department officers those of their department's organizations; planners see coverage.
# The directory is public information, so no administrator needs it (the audit administrator
# reads its changes in the audit log).
_POINTS = frozenset({"directory.manage"})
_PLANNING = frozenset({"directory.manage", "coverage.view"})
# Dashboards of the area's figures (sihai/reporting): every level and department sees its own.
_INSIGHT = frozenset({"insight.view"})
# The published figures of registered residents (the bureaus' yearbooks) that the
# equalisation gaps compare with: entered by the district or the city.
_COMPARES = frozenset({"insight.compare"})

# Service requests (sihai/cases/policies.py): every level handles the requests of its area
# (escalations reach it); the counter takes them in; officers above the community may refer
# without the resident's sharing consent, with a reason (audited).
_CASES = frozenset({"case.view", "case.handle"})
_CASE_COUNTER = _CASES | {"case.intake"}
_CASE_OFFICER = _CASE_COUNTER | {"case.consent_override"}
# Applications (sihai/applications/policies.py): the counter walks a resident through one,
# each department decides its own part, the city edits the types and their rules.
_APPLY_AT_COUNTER = frozenset({"application.assist"})
_DECIDES_PARTS = frozenset({"application.decide"})
_EDITS_TYPES = frozenset({"application_type.manage"})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.COMMUNITY_WORKER: _COUNTER | _POINTS | _CASE_COUNTER | _APPLY_AT_COUNTER | _INSIGHT,
    Role.SUBDISTRICT_OFFICER: _COUNTER
    | _PLANNING
    | _DECIDES_DELETION
    | _CASE_OFFICER
    | _APPLY_AT_COUNTER
    | _INSIGHT,
    Role.DISTRICT_OFFICER: _OFFICER
    | _PLANNING
    | _DECIDES_DELETION
    | _CASE_OFFICER
    | _INSIGHT
    | _COMPARES,
    Role.CITY_OFFICER: _OFFICER
    | _PLANNING
    | _DECIDES_DELETION
    | _CASE_OFFICER
    | _EDITS_TYPES
    | _INSIGHT
    | _COMPARES,
    Role.DEPARTMENT_OFFICER: _STAFF | _PLANNING | _CASES | _DECIDES_PARTS | _INSIGHT,
    # 三权分立: each administrator does one job and reads no residents' personal data.
    Role.SYSTEM_ADMIN: frozenset({"system.operate", "area.browse"}),
    # The security administrator also issues partner systems' Open311 API keys.
    Role.SECURITY_ADMIN: frozenset({"role.view", "role.grant", "account.manage", "open311.keys"}),
    Role.AUDIT_ADMIN: frozenset({"audit.view"}),
}
