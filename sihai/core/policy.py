"""The policy base: a closed catalogue of actions, grants bounded by area, scoped queries.

Vocabulary (docs/adr/0005-permission-model.md):

* an **action** is a labelled code in a closed catalogue (``area.browse``,
  ``role.grant``, ``audit.view``); each app declares its own in ``policies.py``;
* a **grant** is what one role assignment gives: a set of actions, bounded by an
  area code (everything whose code starts with it) and, for department staff, by
  one department;
* a **scoped policy** answers ``can(actor, action, obj)`` and
  ``visible_to(actor, action, queryset)`` for a model whose rows carry an area
  code, so views never compute permissions themselves, and
  ``get_for_actor(...)`` raises the same :class:`NotFound` for "missing" and
  "not yours".

Core imports no other app: an actor provides its grants through a ``grants()``
method (the staff ``User`` does), and anonymous or role-less actors have none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise

from sihai.core.errors import NotFound

M = TypeVar("M", bound=Model)


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


@dataclass(frozen=True)
class Grant:
    """What one role assignment allows: ``actions`` on what lies under ``area_code``."""

    area_code: str
    department: str | None
    actions: frozenset[str]
    role: str = ""

    def covers(self, area_code: str, department: str | None = None) -> bool:
        """Does this grant reach a record in ``area_code`` (routed to ``department``)?"""
        if not area_code.startswith(self.area_code):
            return False
        return self.department is None or self.department == department


def grants_of(actor: Any) -> tuple[Grant, ...]:
    """The actor's grants; none for anonymous visitors or accounts without roles."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ()
    getter = getattr(actor, "grants", None)
    if getter is None:
        return ()
    grants: tuple[Grant, ...] = tuple(getter())
    return grants


def grants_for(actor: Any, action: str | Action) -> list[Grant]:
    code = action.code if isinstance(action, Action) else action
    if code not in _catalogue:
        msg = f"unknown action {code!r}: declare it with register_action()"
        raise KeyError(msg)
    return [g for g in grants_of(actor) if code in g.actions]


def has_action(actor: Any, action: str | Action) -> bool:
    """May the actor perform ``action`` anywhere at all (e.g. to show a navigation link)?"""
    return bool(grants_for(actor, action))


def jurisdiction_of(actor: Any) -> frozenset[str]:
    """The area codes of all the actor's grants."""
    return frozenset(g.area_code for g in grants_of(actor))


def roots_for(actor: Any, action: str | Action) -> list[str]:
    """Area codes where ``action`` is granted, none nested in another, sorted."""
    roots: list[str] = []
    for code in sorted({g.area_code for g in grants_for(actor, action)}, key=lambda c: (len(c), c)):
        if not any(code.startswith(root) for root in roots):
            roots.append(code)
    return roots


class ScopedPolicy(Generic[M]):
    """Permissions for a model whose rows carry an area code (and maybe a department).

    ``area_field`` is the lookup path to the row's area code (``"area__code"`` for a
    foreign key to an area, ``"community_code"`` for a plain code column);
    ``department_field`` the path to the department code the row is routed to
    (``"department__code"``), if department staff may see such rows.
    """

    def __init__(self, *, area_field: str, department_field: str | None = None) -> None:
        self.area_field = area_field
        self.department_field = department_field

    @staticmethod
    def _value(obj: M, path: str) -> str | None:
        try:
            value = attrgetter(path.replace("__", "."))(obj)
        except AttributeError:  # a null foreign key on the way
            return None
        return None if value is None else str(value)

    def _row_scope(self, obj: M) -> tuple[str, str | None]:
        area = self._value(obj, self.area_field) or ""
        department = self._value(obj, self.department_field) if self.department_field else None
        return area, department

    def can(self, actor: Any, action: str | Action, obj: M) -> bool:
        area, department = self._row_scope(obj)
        return any(g.covers(area, department) for g in grants_for(actor, action))

    def filter_for(self, grants: Iterable[Grant]) -> Q:
        query = Q(pk__in=[])
        for grant in grants:
            condition = Q(**{f"{self.area_field}__startswith": grant.area_code})
            if grant.department is not None:
                if self.department_field is None:
                    continue  # department staff see only what is routed to a department
                condition &= Q(**{self.department_field: grant.department})
            query |= condition
        return query

    def visible_to(self, actor: Any, action: str | Action, queryset: QuerySet[M]) -> QuerySet[M]:
        """``queryset`` narrowed to the rows ``actor`` may ``action``; empty when none."""
        return queryset.filter(self.filter_for(grants_for(actor, action)))

    def get_for_actor(
        self, actor: Any, action: str | Action, queryset: QuerySet[M], **lookup: Any
    ) -> M:
        """One row the actor may see, or NotFound: the same for missing and for out of scope."""
        obj = self.visible_to(actor, action, queryset).filter(**lookup).first()
        if obj is None:
            raise NotFound(NotFound.default_message())
        return obj
