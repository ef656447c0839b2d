"""GB/T 3304 ethnic groups (copied from the national standard's table).

Used only to label a resident's self-declared answer and to build suppressed
aggregates; never a filter on people.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ETHNIC_GROUPS_CSV = Path(__file__).resolve().parent / "data" / "ethnic_groups.csv"


@dataclass(frozen=True)
class EthnicGroup:
    code: str
    letter_code: str
    name_zh: str
    name_en: str


@cache
def ethnic_groups() -> dict[str, EthnicGroup]:
    with ETHNIC_GROUPS_CSV.open(encoding="utf-8") as handle:
        return {row["code"]: EthnicGroup(**row) for row in csv.DictReader(handle)}
