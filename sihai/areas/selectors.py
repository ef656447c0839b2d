"""Reads of the area tree. Area codes and names are public reference data."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sihai.areas import counters
from sihai.areas.codes import child_code_length, validate_code
from sihai.areas.models import AdministrativeArea
from sihai.core.errors import NotFound


def area_get(*, code: str) -> AdministrativeArea:
    """The area with this code; a malformed code is InvalidInput, an unknown one NotFound."""
    validate_code(code)
    area = AdministrativeArea.objects.filter(code=code).select_related("parent").first()
    if area is None:
        raise NotFound(
            _("There is no area with the code %(code)s.") % {"code": code}, code="area.not_found"
        )
    return area


def area_children(*, area: AdministrativeArea) -> list[AdministrativeArea]:
    return list(AdministrativeArea.objects.filter(parent=area).order_by("code"))


def area_path(*, area: AdministrativeArea) -> list[AdministrativeArea]:
    """The chain from the city down to ``area`` itself (one query)."""
    codes = [area.code[:n] for n in (4, 6, 9, 12) if n <= len(area.code)]
    by_code = {a.code: a for a in AdministrativeArea.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


@dataclass(frozen=True)
class ChildRow:
    area: AdministrativeArea
    counts: dict[str, int]
    # The same counts in column order, for tables.
    values: tuple[int, ...]


def area_children_with_counts(
    *, area: AdministrativeArea
) -> tuple[list[counters.AreaCounter], list[ChildRow]]:
    """Each child of ``area`` with the count of every registered counter (one query each).

    Counters that cannot have anything below the child level (communities under a
    community) are left out.
    """
    child_length = child_code_length(area.code)
    if child_length is None:
        return [], []
    children = area_children(area=area)
    columns = [c for c in counters.registered() if not _is_trivial(c.key, child_length)]
    per_counter = {c.key: c.count_by_child(area.code, child_length) for c in columns}
    rows = []
    for child in children:
        counts = {key: by_child.get(child.code, 0) for key, by_child in per_counter.items()}
        rows.append(ChildRow(child, counts, tuple(counts[c.key] for c in columns)))
    return columns, rows


def _is_trivial(key: str, child_length: int) -> bool:
    # A subdistrict never contains subdistricts; a community contains no communities.
    return (key == "townships" and child_length >= 9) or (key == "villages" and child_length >= 12)
