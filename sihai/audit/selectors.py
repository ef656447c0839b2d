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


def audit_entries_for_actor(*, actor: Any, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Audit entries the actor may read, newest first, narrowed by the filters."""
    entries = AuditEntry.objects.filter(_area_scope(actor, "area_code"))
    if filters.actor:
        entries = entries.filter(actor_label__icontains=filters.actor)
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.target:
        target_type, _, target_id = filters.target.partition(":")
        entries = entries.filter(target_type=target_type)
        if target_id:
            entries = entries.filter(target_id=target_id)
    return _dates(entries, "at", filters).order_by("-seq")


def access_entries_for_actor(*, actor: Any, filters: AuditFilters) -> QuerySet[AccessLogEntry]:
    """Access-log entries the actor may read, newest first."""
    entries = AccessLogEntry.objects.filter(_area_scope(actor, "subject_area"))
    if filters.actor:
        entries = entries.filter(actor_label__icontains=filters.actor)
    if filters.action:
        entries = entries.filter(purpose__startswith=filters.action)
    if filters.target:
        subject_type, _, subject_id = filters.target.partition(":")
        entries = entries.filter(subject_type=subject_type)
        if subject_id:
            entries = entries.filter(subject_id=subject_id)
    return _dates(entries, "at", filters).order_by("-at", "-id")
