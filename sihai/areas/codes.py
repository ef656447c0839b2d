"""NBS statistical division codes (统计用区划代码) and jurisdiction by prefix.

A code's prefix is its jurisdiction: ``5301`` Kunming contains ``530102`` Wuhua,
which contains ``530102001`` Huashan subdistrict, which contains
``530102001001`` a community. These helpers are pure functions on strings so
every app can scope a query on a code column without joining the area table.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, TextChoices
from django.utils.translation import gettext_lazy as _

from sihai.core.errors import InvalidInput


class Level(TextChoices):
    """The four levels of the chain from city to community (the province is above us)."""

    CITY = "city", _("City")  # 市, 4 digits
    COUNTY = "county", _("District or county")  # 区/县/县级市, 6 digits
    TOWNSHIP = "township", _("Subdistrict or township")  # 街道/乡/镇, 9 digits
    VILLAGE = "village", _("Community or village")  # 社区/村, 12 digits


CODE_LENGTH: dict[str, int] = {
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_BY_LENGTH: dict[int, Level] = {length: Level(level) for level, length in CODE_LENGTH.items()}
LEVEL_ORDER: list[Level] = [Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]
MAX_CODE_LENGTH = 12


def is_valid_code(code: str) -> bool:
    """True for a string of ASCII digits with one of the four lengths."""
    return code.isascii() and code.isdigit() and len(code) in LEVEL_BY_LENGTH


def validate_code(code: str) -> str:
    """Return ``code`` unchanged or raise :class:`InvalidInput` saying what is wrong with it."""
    if not is_valid_code(code):
        shown = code if len(code) <= 20 else code[:20] + "…"
        raise InvalidInput(
            _("“%(code)s” is not an area code: codes are 4, 6, 9 or 12 digits.") % {"code": shown},
            code="area.invalid_code",
        )
    return code


def level_of(code: str) -> Level:
    """The level a valid code belongs to, from its length."""
    return LEVEL_BY_LENGTH[len(validate_code(code))]


def contains(outer: str, inner: str) -> bool:
    """Does area ``outer`` contain ``inner`` (an area, or a record's area)? Itself too."""
    return inner.startswith(outer)


def ancestor_codes(code: str) -> list[str]:
    """Codes of the areas above ``code``, city first (the province is not part of the chain)."""
    return [code[:n] for n in (4, 6, 9) if n < len(code)]


def child_code_length(code: str) -> int | None:
    """The code length of the level below ``code``, or None for a community."""
    index = LEVEL_ORDER.index(level_of(code))
    if index + 1 >= len(LEVEL_ORDER):
        return None
    return CODE_LENGTH[LEVEL_ORDER[index + 1]]


def minimal_roots(codes: Iterable[str]) -> list[str]:
    """Drop codes contained in another code of the set: ``{5301, 530102}`` → ``[5301]``."""
    roots: list[str] = []
    for code in sorted(set(codes), key=lambda c: (len(c), c)):
        if not any(contains(root, code) for root in roots):
            roots.append(code)
    return roots


def within(field: str, roots: Iterable[str]) -> Q:
    """A filter keeping rows whose ``field`` (an area code) lies inside any of ``roots``.

    No roots means no rows: the safe default for an actor with no jurisdiction.
    """
    query = Q(pk__in=[])
    for root in minimal_roots(roots):
        query |= Q(**{f"{field}__startswith": root})
    return query
