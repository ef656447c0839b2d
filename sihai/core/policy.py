"""The policy base: a closed catalogue of actions and the actor's jurisdiction.

Each app declares its actions here (``area.browse``, later ``case.refer``) and
writes its ``policies.py`` in terms of them; views name the action they need and
never compute permissions themselves. A permission is always bounded by the
actor's jurisdiction: the set of area codes whose prefix covers what they may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Action:
    code: str
    label: str | Promise


_catalogue: dict[str, Action] = {}


def register_action(code: str, label: str | Promise) -> Action:
    """Add an action to the closed catalogue; a code can be declared once."""
    if code in _catalogue:
        msg = f"action {code!r} declared twice"
        raise ValueError(msg)
    action = Action(code, label)
    _catalogue[code] = action
    return action


def action_catalogue() -> dict[str, Action]:
    return dict(_catalogue)


def jurisdiction_of(actor: Any) -> frozenset[str]:
    """The area codes an actor's roles are bound to; empty for anonymous or role-less actors."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    getter = getattr(actor, "jurisdiction_codes", None)
    if getter is None:
        return frozenset()
    codes: frozenset[str] = getter()
    return codes
