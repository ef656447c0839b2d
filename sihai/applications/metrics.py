"""Equal-access figures, as pure functions over plain rows (no database, no personal data).

"Share of migrant children of school age with a public seat", per district: the children
of registered (migrant) households aged 6–15 on 31 August, and of them those whose
school-seat application was approved with a seat assigned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChildRow:
    district: str  # 6-digit code of the household's district
    age: int  # on 31 August of the school year
    has_public_seat: bool


@dataclass(frozen=True)
class SeatShare:
    district: str
    children: int
    with_seat: int

    @property
    def share(self) -> float | None:
        return self.with_seat / self.children if self.children else None


def seat_share_by_district(
    rows: Iterable[ChildRow], *, low: int = 6, high: int = 15
) -> dict[str, SeatShare]:
    """Per district: school-age children, those with a public seat, and the share."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        if not low <= row.age <= high:
            continue
        counts = totals.setdefault(row.district, [0, 0])
        counts[0] += 1
        counts[1] += int(row.has_public_seat)
    return {
        district: SeatShare(district, children, seats)
        for district, (children, seats) in sorted(totals.items())
    }
