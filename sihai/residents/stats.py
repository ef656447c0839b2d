"""Counts of registered residents per community, for planning (no personal data leaves here).

Used by the service directory's coverage analysis: how many registered residents
live within 15 minutes of a service point. Only counts are returned, never who.
"""

from __future__ import annotations

from django.db.models import Count

from sihai.residents.models import Resident


def residents_per_community() -> dict[str, int]:
    """``{community code: number of registered residents}`` (communities with none are absent)."""
    rows = Resident.objects.values("community_id").annotate(n=Count("id")).order_by()
    return {row["community_id"]: row["n"] for row in rows}
