"""The eligibility pre-check: the facts a rule reads, and what a type's conditions say.

:func:`resident_facts` and :func:`child_facts` build the plain dicts the compiled rules
read (``rules.FIELDS`` is the whitelist); :func:`evaluate` runs one type's conditions
and says, in the reader's language, which ones are not met. Compiled rules are cached per
type and ``updated_at``, so an officer's edit takes effect on the next check.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from sihai.applications import rules
from sihai.applications.models import ApplicationType, DocumentKind, ResidentFacts, Subject

# Compulsory education (义务教育): nine years, from 6 to 15 on 31 August of the school year.
SCHOOL_AGE = (6, 15)

_compiled: dict[tuple[int, str], list[tuple[rules.Predicate, rules.Condition]]] = {}


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def school_year_cutoff(today: datetime.date) -> datetime.date:
    """31 August of the school year that starts next (or has started)."""
    return datetime.date(today.year, 8, 31)


def months_between(start: datetime.date | None, end: datetime.date) -> int:
    if start is None:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def resident_facts(
    *,
    birth_date: datetime.date,
    arrival_date: datetime.date | None,
    has_id_number: bool,
    facts: ResidentFacts | None,
    children: int,
    today: datetime.date,
) -> dict[str, Any]:
    """The ``resident.*`` fields for one resident (``facts`` None: nothing said yet)."""
    return {
        "resident.age": age_on(birth_date, today),
        "resident.residence_months": months_between(arrival_date, today),
        "resident.insurance": facts.insurance if facts else "none",
        "resident.housing": facts.housing if facts else "renting",
        "resident.employment": facts.employment if facts else "none",
        "resident.social_insurance_months": facts.social_insurance_months if facts else 0,
        "resident.has_residence_permit": bool(facts and facts.has_residence_permit),
        "resident.has_id_number": has_id_number,
        "resident.children": children,
    }


def child_facts(*, birth_date: datetime.date, stage: str, today: datetime.date) -> dict[str, Any]:
    return {
        "child.age": age_on(birth_date, school_year_cutoff(today)),
        "child.stage": stage or "not_in_school",
    }


def compiled(kind: ApplicationType) -> list[tuple[rules.Predicate, rules.Condition]]:
    key = (kind.pk, kind.updated_at.isoformat() if kind.updated_at else "")
    found = _compiled.get(key)
    if found is None:
        found = []
        for item in kind.conditions:
            condition = rules.Condition(item["rule"], item["why_not_zh"], item["why_not_en"])
            found.append((rules.compile_rule(condition.rule), condition))
        _compiled[key] = found
    return found


def is_child_type(kind: ApplicationType) -> bool:
    return kind.subject == Subject.CHILD


@dataclass
class Verdict:
    """One type for one resident (and, for a school seat, one child)."""

    type: ApplicationType
    eligible: bool
    why_not: list[str]
    member_id: int | None = None
    member_name: str = ""
    bring: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)


def evaluate(kind: ApplicationType, facts: dict[str, Any]) -> list[str]:
    """The plain reasons of the conditions not met (empty: likely eligible)."""
    chinese = (get_language() or "zh-hans").startswith("zh")
    return [
        condition.why_not_zh if chinese else condition.why_not_en
        for predicate, condition in compiled(kind)
        if not predicate(facts)
    ]


def documents_split(kind: ApplicationType, held_kinds: set[str]) -> tuple[list[str], list[str]]:
    """(what to bring, what the platform already holds), as labels."""
    labels = dict(DocumentKind.choices)
    bring = [str(labels.get(code, code)) for code in kind.documents if code not in held_kinds]
    held = [str(labels.get(code, code)) for code in kind.documents if code in held_kinds]
    return bring, held
