"""Who may browse which part of the area tree in the workbench.

The tree itself is public, but the workbench browser shows what each area
contains (staff, and later residents and requests), so it is bounded by the
actor's jurisdiction: a community worker sees their community, a district
officer the whole district. Out of scope is answered exactly like missing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sihai.areas.codes import contains, minimal_roots
from sihai.core.policy import jurisdiction_of, register_action

AREA_BROWSE = register_action("area.browse", _("Browse areas and what they contain"))


def can_browse(actor: Any, area_code: str) -> bool:
    return any(contains(root, area_code) for root in jurisdiction_of(actor))


def browse_roots(actor: Any) -> list[str]:
    """The top areas an actor may browse from (no code nested inside another)."""
    return minimal_roots(jurisdiction_of(actor))
