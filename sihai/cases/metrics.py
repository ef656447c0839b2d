"""The three rates (三率) of 12345 work, as pure functions over plain numbers.

Definitions (docs/subsystems/cases.md, "The three rates"):

* **response rate** (响应率) = requests first answered by their response deadline ÷ requests
  whose response deadline has passed or that were answered (the due ones);
* **resolution rate** (解决率) = requests resolved (resolved or closed after resolution) ÷
  requests accepted for handling (everything except rejected and still-submitted ones);
* **satisfaction rate** (满意率) = ratings of 4 or 5 ÷ all ratings.

A rate over fewer than :data:`MIN_SAMPLE` cases is reported but not ranked: a unit with
three requests at 100 % is not better than one with three hundred at 97 %.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

MIN_SAMPLE = 30
SATISFIED = 4


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def rankable(self) -> bool:
        return self.denominator >= MIN_SAMPLE


@dataclass(frozen=True)
class CaseFacts:
    """The facts of one request that the rates need (from the request row)."""

    unit: str
    state: str
    response_due: datetime.datetime
    first_response_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    rating: int | None


def response_rate(cases: Iterable[CaseFacts], *, now: datetime.datetime) -> Rate:
    due = [c for c in cases if c.first_response_at is not None or c.response_due <= now]
    on_time = [
        c for c in due if c.first_response_at is not None and c.first_response_at <= c.response_due
    ]
    return Rate(len(on_time), len(due))


def resolution_rate(cases: Iterable[CaseFacts]) -> Rate:
    handled = [c for c in cases if c.state not in {"rejected", "submitted"}]
    resolved = [c for c in handled if c.resolved_at is not None]
    return Rate(len(resolved), len(handled))


def satisfaction_rate(cases: Iterable[CaseFacts]) -> Rate:
    rated = [c for c in cases if c.rating is not None]
    return Rate(len([c for c in rated if (c.rating or 0) >= SATISFIED]), len(rated))


@dataclass(frozen=True)
class UnitRates:
    unit: str
    response: Rate
    resolution: Rate
    satisfaction: Rate


def rates_by_unit(cases: Iterable[CaseFacts], *, now: datetime.datetime) -> list[UnitRates]:
    """The three rates per unit (community, department or area code), in unit order."""
    groups: dict[str, list[CaseFacts]] = {}
    for case in cases:
        groups.setdefault(case.unit, []).append(case)
    return [
        UnitRates(
            unit,
            response_rate(group, now=now),
            resolution_rate(group),
            satisfaction_rate(group),
        )
        for unit, group in sorted(groups.items())
    ]


def ranking(rows: Iterable[UnitRates], *, rate: str) -> list[tuple[int, UnitRates]]:
    """Units ranked by one rate (best first); units below the minimum sample are left out."""
    eligible = [r for r in rows if getattr(r, rate).rankable]
    eligible.sort(key=lambda r: (-(getattr(r, rate).value or 0.0), r.unit))
    return [(n + 1, r) for n, r in enumerate(eligible)]
