"""Start-up check: the role → actions table names only declared actions."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from sihai.accounts.policies import ROLE_ACTIONS
from sihai.accounts.roles import Role
from sihai.core.policy import action_catalogue


@register()
def role_actions_are_declared(**kwargs: Any) -> list[CheckMessage]:
    declared = action_catalogue()
    errors: list[CheckMessage] = []
    for role, actions in ROLE_ACTIONS.items():
        errors.extend(
            Error(f"role {role} grants undeclared action {code!r}", id="sihai.E001")
            for code in sorted(actions - declared.keys())
        )
    errors.extend(
        Error(f"role {role} has no entry in ROLE_ACTIONS", id="sihai.E002")
        for role in Role.values
        if role not in ROLE_ACTIONS
    )
    return errors
