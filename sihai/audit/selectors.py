"""Reading the audit and access logs: audit administrators only, bounded by their area."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from sihai.audit.models import AccessLogEntry, AuditEntry
from sihai.core.policy import roots_for

AUDIT_VIEW = "audit.view"


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    target: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _area_scope(actor: Any, field: str) -> Q:
    roots = roots_for(actor, AUDIT_VIEW)
    scope = Q(pk__in=[])
    for root in roots:
        scope |= Q(**{f"{field}__startswith": root})
        if len(root) == 4:
            # System-wide entries (no area) belong to the city-level auditor.
            scope |= Q(**{field: ""})
    return scope


def _dates(queryset: QuerySet[Any], field: str, filters: AuditFilters) -> QuerySet[Any]:
    zone = timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=zone)
        queryset = queryset.filter(**{f"{field}__gte": start})
    if filters.date_to:
        end = datetime.datetime.combine(
            filters.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset


def _narrow(
    entries: QuerySet[Any],
    filters: AuditFilters,
    *,
    action_field: str,
    type_field: str,
    id_field: str,
) -> QuerySet[Any]:
    if filters.actor:
        entries = entries.filter(actor_label__icontains=filters.actor)
    if filters.action:
        entries = entries.filter(**{f"{action_field}__startswith": filters.action})
    if filters.target:
        record_type, _, record_id = filters.target.partition(":")
        entries = entries.filter(**{type_field: record_type})
        if record_id:
            entries = entries.filter(**{id_field: record_id})
    return _dates(entries, "at", filters)


def audit_entries_for_actor(*, actor: Any, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Audit entries the actor may read, newest first, narrowed by the filters."""
    entries = AuditEntry.objects.filter(_area_scope(actor, "area_code"))
    return _narrow(
        entries, filters, action_field="action", type_field="target_type", id_field="target_id"
    ).order_by("-seq")


def access_entries_for_actor(*, actor: Any, filters: AuditFilters) -> QuerySet[AccessLogEntry]:
    """Access-log entries the actor may read, newest first."""
    entries = AccessLogEntry.objects.filter(_area_scope(actor, "subject_area"))
    return _narrow(
        entries, filters, action_field="purpose", type_field="subject_type", id_field="subject_id"
    ).order_by("-at", "-id")
