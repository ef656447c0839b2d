"""Equalisation gaps: a migrant share against the published share of registered residents.

基本公共服务均等化 promises migrants the same public services as registered (户籍)
residents. Sihai counts the migrants' side (``Indicator.comparable``: the school-seat
share, insurance coverage); the registered residents' side is a figure the bureaus
publish for the city or a district each year, entered here by an officer with
``insight.compare`` (:func:`comparison_set`, audited). A dashboard shows, beside the
migrant figure, the registered residents' figure of the area or its nearest ancestor
(the latest year up to the period's) and the gap in percentage points. The gap is not
shown when the migrant figure is suppressed: it would give the suppressed figure away.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.areas.codes import ancestor_codes, is_valid_code
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotFound
from sihai.core.policy import roots_for
from sihai.reporting.models import ComparisonFigure
from sihai.reporting.policies import INSIGHT_COMPARE
from sihai.reporting.registry import indicator, indicators

FIRST_YEAR = 2000
MAX_SOURCE = 200
DISTRICT_LEN = 6


@dataclass(frozen=True)
class Comparison:
    """The registered residents' figure a migrant figure is compared with."""

    value: float  # per cent
    area_code: str
    area_name: str
    year: int
    source: str

    def gap(self, migrants: float | None) -> float | None:
        """Migrants minus registered residents, in percentage points (None: not shown)."""
        return None if migrants is None else round(migrants - self.value, 1)


@dataclass(frozen=True)
class ComparisonInput:
    indicator_code: str
    area_code: str
    year: str | int
    value: str | Decimal | float
    source: str


def comparisons_for(area_code: str, year: int) -> dict[str, Comparison]:
    """Per comparable indicator: the figure of the area or its nearest ancestor (city or
    district), of the latest year up to ``year``. One query."""
    codes = [i.code for i in indicators() if i.comparable]
    chain = [*ancestor_codes(area_code), area_code]
    chain = [c for c in chain if len(c) <= DISTRICT_LEN]
    if not codes or not chain:
        return {}
    rows = ComparisonFigure.objects.filter(
        indicator_code__in=codes, area_code__in=chain, year__lte=year
    ).order_by("indicator_code", "-year")
    names = dict(
        AdministrativeArea.objects.filter(code__in=chain).values_list("code", "short_name")
    )
    best: dict[str, ComparisonFigure] = {}
    for row in rows:
        held = best.get(row.indicator_code)
        # The nearest area first (the longest code), then the latest year.
        if held is None or len(row.area_code) > len(held.area_code):
            best[row.indicator_code] = row
    return {
        code: Comparison(
            float(row.value),
            row.area_code,
            names.get(row.area_code, row.area_code),
            row.year,
            row.source,
        )
        for code, row in best.items()
    }


def comparisons_visible(actor: Any) -> list[ComparisonFigure]:
    """The figures entered for the areas the actor may enter figures for."""
    roots = roots_for(actor, INSIGHT_COMPARE)
    if not roots:
        return []
    scope = Q()
    for root in roots:
        scope |= Q(area_code__startswith=root)
    return list(
        ComparisonFigure.objects.filter(scope).order_by("-year", "area_code", "indicator_code")
    )


def compare_roots(actor: Any) -> list[str]:
    return roots_for(actor, INSIGHT_COMPARE)


def _clean(data: ComparisonInput) -> tuple[str, str, int, Decimal, str]:
    chosen = indicator(str(data.indicator_code))
    if chosen is None or not chosen.comparable:
        raise InvalidInput(
            _("Choose one of the shares that are compared with registered residents."),
            code="comparison.indicator",
        )
    area = str(data.area_code).strip()
    if not is_valid_code(area) or len(area) > DISTRICT_LEN:
        raise InvalidInput(
            _("Figures for registered residents are entered for the city or a district."),
            code="comparison.area",
        )
    this_year = timezone.localdate().year
    try:
        year = int(str(data.year).strip())
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= this_year:
        raise InvalidInput(
            _("Give a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": this_year},
            code="comparison.year",
        )
    try:
        value = Decimal(str(data.value).strip().rstrip("%").strip())
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise InvalidInput(
            _("Give the share as a per cent from 0 to 100, e.g. 98.5."), code="comparison.value"
        )
    source = " ".join(str(data.source).split())
    if not 1 <= len(source) <= MAX_SOURCE:
        raise InvalidInput(
            _("Say where the figure was published (1 to %(n)d characters).") % {"n": MAX_SOURCE},
            code="comparison.source",
        )
    return chosen.code, area, year, value.quantize(Decimal("0.1")), source


@transaction.atomic
def comparison_set(*, actor: Any, data: ComparisonInput) -> ComparisonFigure:
    """Enter (or correct) the registered residents' figure of one area and year; audited."""
    code, area, year, value, source = _clean(data)
    if not any(area.startswith(root) for root in compare_roots(actor)):
        raise NotFound(NotFound.default_message())
    if not AdministrativeArea.objects.filter(code=area).exists():
        raise NotFound(NotFound.default_message())
    existing = ComparisonFigure.objects.select_for_update().filter(
        indicator_code=code, area_code=area, year=year
    )
    before = existing.first()
    figure, _created = ComparisonFigure.objects.update_or_create(
        indicator_code=code,
        area_code=area,
        year=year,
        defaults={"value": value, "source": source, "entered_by_id": _user_id(actor)},
    )
    audit.record(
        actor=actor,
        action="insight.comparison_set",
        target=figure,
        area_code=area,
        changes={
            "indicator": code,
            "year": year,
            "value": [str(before.value) if before else None, str(value)],
            "source": [before.source if before else None, source],
        },
    )
    return figure


@transaction.atomic
def comparison_delete(*, actor: Any, comparison_id: int) -> None:
    """Take a figure back (entered by mistake); audited. Out of scope: not found."""
    figure = ComparisonFigure.objects.select_for_update().filter(pk=comparison_id).first()
    if figure is None or not any(
        figure.area_code.startswith(root) for root in compare_roots(actor)
    ):
        raise NotFound(NotFound.default_message())
    audit.record(
        actor=actor,
        action="insight.comparison_deleted",
        target=figure,
        area_code=figure.area_code,
        changes={
            "indicator": figure.indicator_code,
            "year": figure.year,
            "value": [str(figure.value), None],
        },
    )
    figure.delete()


def _user_id(actor: Any) -> int | None:
    meta = getattr(actor, "_meta", None)
    return actor.pk if meta is not None and meta.label == settings.AUTH_USER_MODEL else None
