"""Equal-access figures, as pure functions over plain rows (no database, no personal data).

"Share of migrant children of school age with a public seat", per district: the children
of registered (migrant) households aged 6–15 on 31 August, and of them those whose
school-seat application was approved with a seat assigned.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sihai.applications import eligibility
from sihai.applications.models import (
    ApplicationPart,
    ApplicationType,
    Event,
    Insurance,
    ResidentFacts,
    State,
)
from sihai.reporting.registry import (
    Dimension,
    Indicator,
    Key,
    Kind,
    Measure,
    Query,
    RollupEvent,
    RollupSource,
    Unit,
    last_id,
    register_indicator,
    register_source,
)
from sihai.reporting.rollups import rollup_measures


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


# --- insight: the application timeline as a rollup source, and the equal-access indicators ----
# (collected by ``sihai.reporting``'s autodiscovery.) Only codes, days and counts leave.

TIMELINE = "applications.timeline"
# The entries that count: an application sent, and each department's decision on its part.
COUNTED = ("submitted", "part_approved", "part_rejected", "part_more_documents")


def _timeline_after(after_id: int, limit: int) -> Sequence[RollupEvent]:
    rows = (
        Event.objects.filter(pk__gt=after_id, kind__in=COUNTED)
        .order_by("pk")
        .values_list("pk", "at", "application__area_code", "application__type__code", "kind")[
            :limit
        ]
    )
    return [
        RollupEvent(pk, at, timezone.localdate(at), area, kind_code, kind)
        for pk, at, area, kind_code, kind in rows
    ]


def _timeline_grouped(upto_id: int) -> list[QuerySet[Any]]:
    return [
        Event.objects.filter(pk__lte=upto_id, kind__in=COUNTED)
        .values(
            rollup_day=TruncDate("at"),
            rollup_community=F("application__area_code"),
            rollup_category=F("application__type__code"),
            rollup_state=F("kind"),
        )
        .annotate(rollup_count=Count("pk"), rollup_seconds=Value(0, BigIntegerField()))
        .order_by()
    ]


register_source(
    RollupSource(
        name=TIMELINE,
        label=_("Public-service application timeline"),
        events_after=_timeline_after,
        max_id=lambda: last_id(Event),
        grouped=_timeline_grouped,
        app="applications",
    )
)


def _type_labels() -> dict[str, str | Promise]:
    return {t.code: t.name for t in ApplicationType.objects.all()}


def _flow(state: str) -> Callable[[Query], dict[Key, Measure]]:
    def compute(query: Query) -> dict[Key, Measure]:
        return rollup_measures(query, source=TIMELINE, states=[state])

    return compute


_BY_TYPE = frozenset({Dimension.AREA, Dimension.PERIOD, Dimension.CATEGORY})

register_indicator(
    Indicator(
        code="applications.received",
        name=_("Applications received"),
        definition=_(
            "Public-service applications sent in the period (school seat, medical insurance, "
            "rental housing, residence permit, employment help), by type."
        ),
        computation=_("Count of “application sent” timeline entries per day, community, type."),
        unit=Unit.COUNT,
        compute=_flow("submitted"),
        dimensions=_BY_TYPE,
        categories=_type_labels,
        public=True,
        app="applications",
        order=50,
    )
)
register_indicator(
    Indicator(
        code="applications.approvals",
        name=_("Department approvals"),
        definition=_(
            "Parts of applications a deciding department approved in the period, by type "
            "(an application decided by two departments counts twice)."
        ),
        computation=_("Count of “a department approved its part” timeline entries."),
        unit=Unit.COUNT,
        compute=_flow("part_approved"),
        dimensions=_BY_TYPE,
        categories=_type_labels,
        public=True,
        app="applications",
        order=51,
    )
)


def _month_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment).replace(day=1)


def _households_helped(query: Query) -> dict[Key, Measure]:
    """Households with at least one application approved in each month (a live count)."""
    start = datetime.datetime.combine(
        query.start, datetime.time(0), timezone.get_current_timezone()
    )
    end = datetime.datetime.combine(
        query.end + datetime.timedelta(days=1), datetime.time(0), timezone.get_current_timezone()
    )
    rows = (
        ApplicationPart.objects.filter(
            application__state=State.APPROVED,
            application__area_code__startswith=query.area,
            application__decided_at__gte=start,
            application__decided_at__lt=end,
        )
        .values_list(
            "application__area_code", "application__resident_id", "application__decided_at"
        )
        .distinct()
    )
    helped: dict[tuple[str, datetime.date], set[int]] = defaultdict(set)
    for area, resident, decided in rows:
        if decided is not None:
            helped[(area[: query.group_len], _month_of(decided))].add(resident)
    return {
        (group, "", month): Measure(float(len(people)), len(people))
        for (group, month), people in helped.items()
        if month in query.months
    }


register_indicator(
    Indicator(
        code="applications.households_helped",
        name=_("Households helped"),
        definition=_(
            "Households with at least one public-service application approved in the month "
            "(over several months, a household helped in two of them counts twice)."
        ),
        computation=_("Distinct applicants whose application was approved, per month."),
        unit=Unit.PEOPLE,
        compute=_households_helped,
        app="applications",
        order=52,
    )
)


def _school_seats(query: Query) -> dict[Key, Measure]:
    """Children of school age (6–15 on 31 August) with a public seat ÷ all of them, today."""
    from sihai.residents.models import HouseholdMember, Relationship  # noqa: PLC0415

    cutoff = eligibility.school_year_cutoff(timezone.localdate())
    # Aged 6 to 15 on the cutoff (31 August: no leap day to mind) as a range of birth dates,
    # so the database counts: a city has hundreds of thousands of children.
    born_after = cutoff.replace(year=cutoff.year - 16)  # 16 or older on the cutoff: not counted
    born_by = cutoff.replace(year=cutoff.year - 6)
    seated = ApplicationPart.objects.filter(
        application__member_id=OuterRef("pk"),
        application__state=State.APPROVED,
        application__type__assigns_school_seat=True,
        application__area_code__startswith=query.area,
        seat_school__isnull=False,
    )
    children = (
        HouseholdMember.objects.filter(
            relationship__in=[Relationship.CHILD, Relationship.GRANDCHILD],
            resident__erased_at__isnull=True,
            resident__community__code__startswith=query.area,
            birth_date__gt=born_after,
            birth_date__lte=born_by,
        )
        .values(group=Substr("resident__community_id", 1, query.group_len))
        .annotate(n=Count("pk"), with_seat=Count("pk", filter=Exists(seated)))
        .order_by()
    )
    month = query.months[-1]
    return {
        (row["group"], "", month): Measure(float(row["with_seat"]), row["n"], float(row["n"]))
        for row in children
    }


register_indicator(
    Indicator(
        code="applications.school_seat_share",
        name=_("School-age migrant children with a public seat"),
        definition=_(
            "Of the children aged 6 to 15 (on 31 August) in registered households, the share "
            "with a public-school seat assigned through a school-seat application."
        ),
        computation=_(
            "Children with an approved school-seat application and a seat ÷ school-age "
            "children of registered households, as of today."
        ),
        unit=Unit.PERCENT,
        compute=_school_seats,
        kind=Kind.RATIO,
        as_of_today=True,
        public=True,
        comparable=True,
        app="applications",
        order=53,
    )
)


def _insured(query: Query) -> dict[Key, Measure]:
    """Registered residents who said they are insured ÷ registered residents (today)."""
    registered = rollup_measures(
        query,
        source="residents.registrations",
        states=["registered"],
        by_category=False,
        since_start=True,
    )
    insured = (
        ResidentFacts.objects.filter(
            resident__erased_at__isnull=True, resident__community__code__startswith=query.area
        )
        .exclude(insurance=Insurance.NONE)
        .annotate(group=Substr("resident__community_id", 1, query.group_len))
        .values("group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    month = query.months[-1]
    counts = {row["group"]: int(row["n"]) for row in insured}
    out: dict[Key, Measure] = {}
    for (group, _category, cell_month), measure in registered.items():
        if cell_month != month:
            continue
        base = measure.base
        out[(group, "", month)] = Measure(float(min(counts.get(group, 0), base)), base, float(base))
    return out


register_indicator(
    Indicator(
        code="applications.insurance_coverage",
        name=_("Medical-insurance coverage of registered residents"),
        definition=_(
            "Of the residents registered with Sihai, the share who have said (in the "
            "pre-check or at the counter) that they hold medical insurance, here or in their "
            "home town. Residents who said nothing count as not known to be insured."
        ),
        computation=_(
            "Residents whose stated facts show medical insurance ÷ residents registered "
            "(registrations from the rollups), as of today."
        ),
        unit=Unit.PERCENT,
        compute=_insured,
        kind=Kind.RATIO,
        as_of_today=True,
        public=True,
        comparable=True,
        app="applications",
        order=54,
    )
)
