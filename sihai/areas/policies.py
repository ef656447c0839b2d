"""Who may browse which part of the area tree in the workbench.

The tree itself is public, but the workbench browser shows what each area
contains (staff, and later residents and requests), so it is bounded by the
actor's grants of ``area.browse``: a community worker sees their community, a
district officer the whole district. Out of scope is answered exactly like missing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sihai.core.policy import grants_for, register_action, roots_for

AREA_BROWSE = register_action("area.browse", _("Browse areas and what they contain"))


def can_browse(actor: Any, area_code: str) -> bool:
    # Department staff browse their whole area: the tree and its counts are not routed records.
    return any(area_code.startswith(g.area_code) for g in grants_for(actor, AREA_BROWSE))


def browse_roots(actor: Any) -> list[str]:
    """The top areas an actor may browse from (no code nested inside another)."""
    return roots_for(actor, AREA_BROWSE)
