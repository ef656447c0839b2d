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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sihai.accounts.models import Department
from sihai.cases.models import EventKind, RequestEvent, ServiceCategory
from sihai.reporting.registry import (
    Dimension,
    Indicator,
    Key,
    Kind,
    Measure,
    Query,
    RollupEvent,
    RollupRow,
    RollupSource,
    Unit,
    last_id,
    register_indicator,
    register_source,
)
from sihai.reporting.rollups import rollup_measures, scan_memo

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


# --- insight: the timeline as a rollup source, and the indicators over it ---------------------
# (collected by ``sihai.reporting``'s autodiscovery; the pure rates above stay for the
# workbench's own rates page, which ranks units over their requests.)

TIMELINE = "cases.timeline"
# Entries that say nothing about service (internal notes, reminders, assignment).
_SILENT = {EventKind.NOTE, EventKind.REMINDED, EventKind.ASSIGNED}
_TIMED = "resolved"  # the elapsed time since submission is summed for resolutions


def _rows_for(  # noqa: PLR0917  (one grouped row's columns, in order)
    day: datetime.date,
    community: str,
    category: str,
    kind: str,
    to_state: str,
    measure: str,
    n: int,
    seconds: int,
) -> list[RollupRow]:
    """The rollup rows one kind of entry adds: its new state (or kind), then its labels."""
    state = to_state or kind
    rows = [RollupRow(day, community, category, state, n, seconds if state == _TIMED else 0)]
    for name, department in _labels(measure):
        rows.append(RollupRow(day, community, department or category, name, n, 0))
    return rows


def _timeline_after(after_id: int, limit: int) -> Sequence[RollupEvent]:
    rows = (
        RequestEvent.objects.filter(pk__gt=after_id)
        .exclude(kind__in=_SILENT)
        .order_by("pk")
        .values_list(
            "pk",
            "at",
            "community_code",
            "category_code",
            "kind",
            "to_state",
            "measure",
            "elapsed_seconds",
        )[:limit]
    )
    events: list[RollupEvent] = []
    for pk, at, community, category, kind, to_state, measure, seconds in rows:
        day = timezone.localdate(at)
        for row in _rows_for(day, community, category, kind, to_state, measure, 1, seconds):
            events.append(
                RollupEvent(
                    pk, at, day, row.community, row.category, row.state, 1, row.duration_seconds
                )
            )
    return events


def _labels(measure: str) -> list[tuple[str, str]]:
    """(label, department or "") of each label of an entry's ``measure``."""
    out = []
    for label in measure.split():
        name, _sep, department = label.partition("@")
        out.append((name, department))
    return out


def _measures_upto(upto_id: int) -> frozenset[str]:
    """The distinct label strings of the entries up to an id (a few dozen): found once per
    rebuild, and once per full scan however many figures it computes (``scan_memo``)."""
    memo = scan_memo()
    key = ("cases.measures", upto_id)
    if memo is not None and key in memo:
        return frozenset(memo[key])
    found = frozenset(
        RequestEvent.objects.filter(pk__lte=upto_id)
        .exclude(measure="")
        .values_list("measure", flat=True)
        .distinct()
    )
    if memo is not None:
        memo[key] = found
    return found


def _timeline_grouped(upto_id: int) -> list[QuerySet[Any]]:
    """The rows :func:`_rows_for` gives, grouped inside the database.

    One grouped query for the entries' new states (with the time to resolve), and one
    per label position for their labels: the labels of each distinct ``measure`` (a
    few dozen strings) become ``CASE`` branches, so no entry is read into Python.
    """
    entries = RequestEvent.objects.filter(pk__lte=upto_id).exclude(kind__in=_SILENT)
    timed = Q(to_state=_TIMED) | Q(to_state="", kind=_TIMED)
    states = entries.values(
        rollup_day=TruncDate("at"),
        rollup_community=F("community_code"),
        rollup_category=F("category_code"),
        rollup_state=Case(When(to_state="", then=F("kind")), default=F("to_state")),
    ).annotate(
        rollup_count=Count("pk"),
        rollup_seconds=Sum(
            Case(When(timed, then=F("elapsed_seconds")), default=Value(0)),
            output_field=BigIntegerField(),
        ),
    )
    parts: list[QuerySet[Any]] = [states.order_by()]
    measures = {m: _labels(m) for m in _measures_upto(upto_id)}
    position = 0
    while chosen := {m: ls[position] for m, ls in measures.items() if len(ls) > position}:
        name = Case(*(When(measure=m, then=Value(n)) for m, (n, _d) in chosen.items()))
        category = Case(
            *(When(measure=m, then=Value(d)) for m, (_n, d) in chosen.items() if d),
            default=F("category_code"),
        )
        labelled = (
            entries.filter(measure__in=list(chosen))
            .values(
                rollup_day=TruncDate("at"),
                rollup_community=F("community_code"),
                rollup_category=category,
                rollup_state=name,
            )
            .annotate(rollup_count=Count("pk"), rollup_seconds=Value(0, BigIntegerField()))
            .order_by()
        )
        parts.append(labelled)
        position += 1
    return parts


register_source(
    RollupSource(
        name=TIMELINE,
        label=_("Service-request timeline"),
        events_after=_timeline_after,
        max_id=lambda: last_id(RequestEvent),
        grouped=_timeline_grouped,
        app="cases",
    )
)


def _category_labels() -> dict[str, str | Promise]:
    return {c.code: c.name for c in ServiceCategory.objects.all()}


def _department_labels() -> dict[str, str | Promise]:
    labels: dict[str, str | Promise] = {d.code: str(d) for d in Department.objects.all()}
    labels["community"] = _("Another community")
    return labels


def _ratio(query: Query, good: str, other: str, *, by_category: bool = False) -> dict[Key, Measure]:
    """``good`` ÷ (``good`` + ``other``) per cell; the base is the number of requests counted."""
    numerators = rollup_measures(query, source=TIMELINE, states=[good], by_category=by_category)
    rest = rollup_measures(query, source=TIMELINE, states=[other], by_category=by_category)
    out: dict[Key, Measure] = {}
    for key in set(numerators) | set(rest):
        good_n = numerators.get(key, Measure(0, 0)).base
        total = good_n + rest.get(key, Measure(0, 0)).base
        out[key] = Measure(float(good_n), total, float(total))
    return out


def _received(query: Query) -> dict[Key, Measure]:
    return rollup_measures(query, source=TIMELINE, states=["submitted"])


def _response_rate(query: Query) -> dict[Key, Measure]:
    return _ratio(query, "responded_on_time", "responded_late")


def _resolution_rate(query: Query) -> dict[Key, Measure]:
    return _ratio(query, "resolved_on_time", "resolved_late")


def _overdue_share(query: Query) -> dict[Key, Measure]:
    return _ratio(query, "resolved_late", "resolved_on_time")


def _satisfaction_rate(query: Query) -> dict[Key, Measure]:
    return _ratio(query, "rated_satisfied", "rated_unsatisfied")


def _hours_to_resolve(query: Query) -> dict[Key, Measure]:
    return rollup_measures(
        query, source=TIMELINE, states=["resolved"], by_category=False, hours=True
    )


def _escalations(query: Query) -> dict[Key, Measure]:
    return rollup_measures(query, source=TIMELINE, states=["escalated"], by_category=False)


def _referrals(state: str) -> Callable[[Query], dict[Key, Measure]]:
    def compute(query: Query) -> dict[Key, Measure]:
        return rollup_measures(query, source=TIMELINE, states=[state])

    return compute


_BY_CATEGORY = frozenset({Dimension.AREA, Dimension.PERIOD, Dimension.CATEGORY})
_BY_DEPARTMENT = frozenset({Dimension.AREA, Dimension.PERIOD, Dimension.DEPARTMENT})

register_indicator(
    Indicator(
        code="cases.received",
        name=_("Requests received"),
        definition=_("Service requests and consultations received in the period, every channel."),
        computation=_("Count of “submitted” timeline entries per day, community and service."),
        unit=Unit.COUNT,
        compute=_received,
        dimensions=_BY_CATEGORY,
        categories=_category_labels,
        public=True,
        app="cases",
        order=30,
    )
)
register_indicator(
    Indicator(
        code="cases.response_rate",
        name=_("Response rate"),
        definition=_(
            "Of the requests first answered in the period, the share answered within their "
            "response deadline (working hours, the Chinese public-holiday calendar)."
        ),
        computation=_(
            "First answers on time ÷ all first answers, each labelled when it was given."
        ),
        unit=Unit.PERCENT,
        compute=_response_rate,
        kind=Kind.RATIO,
        public=True,
        app="cases",
        order=31,
    )
)
register_indicator(
    Indicator(
        code="cases.resolution_rate",
        name=_("Resolution rate (on time)"),
        definition=_(
            "Of the requests resolved in the period, the share resolved within their "
            "resolution deadline."
        ),
        computation=_("Resolutions on time ÷ all resolutions, each labelled when it happened."),
        unit=Unit.PERCENT,
        compute=_resolution_rate,
        kind=Kind.RATIO,
        public=True,
        app="cases",
        order=32,
    )
)
register_indicator(
    Indicator(
        code="cases.satisfaction_rate",
        name=_("Satisfaction rate"),
        definition=_("Of the ratings given in the period, the share of 4 or 5 out of 5."),
        computation=_("Ratings of 4–5 ÷ all ratings (portal and follow-up calls)."),
        unit=Unit.PERCENT,
        compute=_satisfaction_rate,
        kind=Kind.RATIO,
        public=True,
        app="cases",
        order=33,
    )
)
register_indicator(
    Indicator(
        code="cases.overdue_share",
        name=_("Resolved after the deadline"),
        definition=_("Of the requests resolved in the period, the share resolved late."),
        computation=_("Late resolutions ÷ all resolutions."),
        unit=Unit.PERCENT,
        compute=_overdue_share,
        kind=Kind.RATIO,
        higher_is_better=False,
        app="cases",
        order=34,
    )
)
register_indicator(
    Indicator(
        code="cases.hours_to_resolve",
        name=_("Average time to resolve"),
        definition=_("For requests resolved in the period, the mean time from submission."),
        computation=_("Sum of the times from submission to resolution ÷ resolutions, in hours."),
        unit=Unit.HOURS,
        compute=_hours_to_resolve,
        kind=Kind.MEAN,
        higher_is_better=False,
        public=True,
        app="cases",
        order=35,
    )
)
register_indicator(
    Indicator(
        code="cases.escalations",
        name=_("Escalations"),
        definition=_("Times a request went up a level because a deadline passed."),
        computation=_("Count of “escalated” timeline entries."),
        unit=Unit.COUNT,
        compute=_escalations,
        higher_is_better=False,
        app="cases",
        order=36,
    )
)
for _code, _state, _name, _order in (
    ("cases.referrals_sent", "referral_sent", _("Referrals sent"), 37),
    ("cases.referrals_accepted", "referral_accepted", _("Referrals accepted"), 38),
    ("cases.referrals_declined", "referral_declined", _("Referrals declined"), 39),
):
    register_indicator(
        Indicator(
            code=_code,
            name=_name,
            definition=_(
                "Requests referred across (横向联动) to a department or another community in "
                "the period, by receiver."
            ),
            computation=_("Count of referral timeline entries, by the receiving department."),
            unit=Unit.COUNT,
            compute=_referrals(_state),
            dimensions=_BY_DEPARTMENT,
            categories=_department_labels,
            app="cases",
            order=_order,
        )
    )
