"""Approximate WGS-84 coordinates of Kunming's 14 county-level seats.

For placing synthetic demo data (service points, later) on a map near the right
district; not survey data, and never used for people.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

SEATS_CSV = Path(__file__).resolve().parent / "data" / "county_seats.csv"


@cache
def county_seats() -> dict[str, tuple[float, float]]:
    """``{county code: (lat, lon)}`` for every county-level area."""
    with SEATS_CSV.open(encoding="utf-8") as handle:
        return {
            row["code"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)
        }


def seat_for(code: str) -> tuple[float, float]:
    """The seat of the county that contains ``code`` (a county or anything below it)."""
    return county_seats()[code[:6]]
