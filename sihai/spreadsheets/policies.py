"""Who may import registers, and who sees an import job.

An importer names the action it needs (``resident.import`` for the residents'
register). A job is seen by its owner while they still hold that action over the
job's area, and by staff holding it over a larger area that contains it (a
subdistrict officer over a community's jobs). Anyone else gets "not found".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sihai.core.policy import grants_for, register_action
from sihai.spreadsheets.models import ImportJob
from sihai.spreadsheets.registry import importers

# The residents' register import (sihai/residents/imports.py). Declared here, beside the
# framework that checks it; ROLE_ACTIONS gives it to the roles that register at the counter.
RESIDENT_IMPORT = register_action(
    "resident.import", _("Import an existing register of residents from a spreadsheet")
)


def visible_jobs(actor: Any, queryset: QuerySet[ImportJob]) -> QuerySet[ImportJob]:
    """Jobs the actor may see: their own within their grants, and those below their area."""
    query = Q(pk__in=[])
    for importer in importers.all():
        for grant in grants_for(actor, importer.action):
            if grant.department is not None:
                continue
            under = Q(importer=importer.key, area__code__startswith=grant.area_code)
            query |= under & (Q(owner_id=actor.pk) | ~Q(area_id=grant.area_code))
    return queryset.filter(query)


def can_import(actor: Any, importer_key: str, area_code: str) -> bool:
    """May the actor import with this importer into ``area_code``?"""
    importer = importers.get(importer_key)
    if importer is None:
        return False
    return any(
        g.department is None and g.covers(area_code) for g in grants_for(actor, importer.action)
    )
