"""What each area contains, as counts, contributed by every app that places records in areas.

The area browser shows, for each child of an area, the counts of every registered
counter. A counter answers for all children of one parent in a single grouped
query (group by the child-length prefix of the code), so a row of 150 subdistricts
costs one query per counter, not one per subdistrict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sihai.areas.codes import Level
from sihai.areas.models import AdministrativeArea

CountByChild = Callable[[str, int], dict[str, int]]


@dataclass(frozen=True)
class AreaCounter:
    key: str
    label: str | Promise
    count_by_child: CountByChild
    order: int = 100


_counters: dict[str, AreaCounter] = {}


def register(counter: AreaCounter) -> AreaCounter:
    _counters[counter.key] = counter
    return counter


def registered() -> list[AreaCounter]:
    return sorted(_counters.values(), key=lambda c: (c.order, c.key))


def count_by_child_prefix(
    queryset: QuerySet[Any], code_field: str, parent_code: str, child_length: int
) -> dict[str, int]:
    """Group ``queryset`` rows lying under ``parent_code`` by their child-area prefix."""
    rows = (
        queryset.filter(**{f"{code_field}__startswith": parent_code})
        .annotate(child=Substr(code_field, 1, child_length))
        .values("child")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {row["child"]: row["n"] for row in rows}


def _areas_of_level(level: Level) -> CountByChild:
    def count(parent_code: str, child_length: int) -> dict[str, int]:
        return count_by_child_prefix(
            AdministrativeArea.objects.filter(level=level),
            "code",
            parent_code,
            child_length,
        )

    return count


register(
    AreaCounter("townships", _("Subdistricts and townships"), _areas_of_level(Level.TOWNSHIP), 10)
)
register(AreaCounter("villages", _("Communities and villages"), _areas_of_level(Level.VILLAGE), 20))
