"""Registries through which apps contribute entries to the two shells.

An app declares its workbench links and portal entries in its own ``nav.py``
(collected at start-up by :class:`sihai.core.apps.CoreConfig`), so the portal
and workbench never import every app, and a new capability appears in the
navigation by declaring itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from sihai.core.policy import has_action

Visible = Callable[[Any], bool]


def _always(_user: Any) -> bool:
    return True


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@dataclass(frozen=True)
class NavEntry:
    """One link: a stable key, a translatable label, a URL name and who may see it."""

    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    description: str | Promise = ""
    # Shown only to actors holding this action somewhere (the usual case), and/or when
    # ``visible`` says so (for anything else).
    action: str = ""
    visible: Visible = field(default=_always)

    def shown_to(self, user: Any) -> bool:
        if self.action and not has_action(user, self.action):
            return False
        return self.visible(user)


class NavRegistry:
    """An ordered set of entries; registering the same key twice is a programming error."""

    def __init__(self) -> None:
        self._entries: dict[str, NavEntry] = {}

    def register(self, entry: NavEntry) -> NavEntry:
        if entry.key in self._entries and self._entries[entry.key] != entry:
            msg = f"navigation key {entry.key!r} registered twice"
            raise ValueError(msg)
        self._entries[entry.key] = entry
        return entry

    def for_user(self, user: Any) -> list[NavEntry]:
        return sorted(
            (e for e in self._entries.values() if e.shown_to(user)),
            key=lambda e: (e.order, e.key),
        )


workbench_nav = NavRegistry()
portal_nav = NavRegistry()
