"""The KPI registry and the rollup sources: apps declare them in their own ``metrics.py``.

``reporting`` never imports the apps whose figures it shows (ARCHITECTURE.md, rule 7):
each app's ``metrics.py`` calls :func:`register_indicator` and, when its figures come
from an append-only history, :func:`register_source`; :class:`ReportingConfig` collects
the modules at start-up (``autodiscover_modules("metrics")``). How to write one is in
``docs/subsystems/reporting.md``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from django.db.models import Model, QuerySet, TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Unit(TextChoices):
    COUNT = "count", pgettext_lazy("unit of a count", "number")
    PEOPLE = "people", _("people")
    PERCENT = "percent", _("per cent")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class Kind(StrEnum):
    """How a cell's shown value follows from its :class:`Measure`."""

    COUNT = "count"  # value
    RATIO = "ratio"  # value / denominator, as a per cent
    MEAN = "mean"  # value / base (e.g. hours per resolved request)


class Dimension(TextChoices):
    AREA = "area", _("area")
    PERIOD = "period", _("period")
    CATEGORY = "category", _("category")
    DEPARTMENT = "department", _("department")


class Measure(NamedTuple):
    """The additive parts of one cell: they add up over areas, categories and months.

    ``base`` is the number of people (or things) the cell counts, and is what
    suppression looks at; ``value`` the count or the sum (of durations, of "yes"
    answers); ``denominator`` the base of a ratio. A tuple of numbers: a dashboard makes
    tens of thousands, and the garbage collector need not follow them.
    """

    value: float
    base: int
    denominator: float = 0.0

    def __add__(self, other: Measure) -> Measure:  # type: ignore[override]
        return Measure(
            self.value + other.value, self.base + other.base, self.denominator + other.denominator
        )


ZERO = Measure(0.0, 0, 0.0)


def count(n: int) -> Measure:
    return Measure(float(n), n, 0.0)


@dataclass(frozen=True)
class Query:
    """What a dashboard asks an indicator for.

    ``area``: the area code the figures are for (every community whose code starts
    with it); ``group_len``: group by this many leading digits of the community code
    (6 for districts, 12 for communities, ``len(area)`` for the area's own total);
    ``months``: the first days of the months asked for, oldest first.
    """

    area: str
    group_len: int
    months: tuple[datetime.date, ...]

    @property
    def start(self) -> datetime.date:
        return self.months[0]

    @property
    def end(self) -> datetime.date:
        """The last day asked for (inclusive)."""
        last = self.months[-1]
        following = (last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - datetime.timedelta(days=1)


# (group code, category, first day of the month) → the cell's measure.
Key = tuple[str, str, datetime.date]
Compute = Callable[[Query], dict[Key, Measure]]


@dataclass(frozen=True)
class Indicator:
    """One KPI: what it means, in what unit, how it is computed and along which dimensions.

    ``people``: its cells count people, so small cells are suppressed;
    ``stock``: a level at the end of each month (residents registered), not a flow
    (registrations in the month): over several months the last one counts, not the sum;
    ``as_of_today``: computed from the present state (coverage), the period is ignored;
    ``sensitive``: an aggregate of ethnic group or religion, only at district level or above;
    ``categories``: labels of the category codes the indicator breaks down by.
    """

    code: str
    name: str | Promise
    definition: str | Promise
    computation: str | Promise
    unit: Unit
    compute: Compute
    kind: Kind = Kind.COUNT
    people: bool = True
    stock: bool = False
    as_of_today: bool = False
    sensitive: bool = False
    dimensions: frozenset[Dimension] = frozenset({Dimension.AREA, Dimension.PERIOD})
    categories: Callable[[], dict[str, str | Promise]] = field(default=dict)
    department: str = ""
    # False when one thing counts under several categories (a community under every kind
    # of point): then a row has no total across categories.
    additive_categories: bool = True
    # Shown on the public transparency page (city-wide, suppressed): service figures only.
    public: bool = False
    higher_is_better: bool = True
    # A share promised to migrants as to registered (户籍) residents: a published figure for
    # registered residents may be entered (``ComparisonFigure``) and the gap is shown.
    comparable: bool = False
    # The app that declared it (its label), shown with the definition.
    app: str = ""
    order: int = 100


@dataclass(frozen=True)
class RollupEvent:
    """One event of an append-only history: adds ``count`` (and a duration) to one rollup row."""

    id: int
    at: datetime.datetime
    day: datetime.date
    community: str
    category: str
    state: str
    count: int = 1
    duration_seconds: int = 0


@dataclass(frozen=True)
class RollupRow:
    """One aggregated row, as a source's exact rebuild returns it."""

    day: datetime.date
    community: str
    category: str
    state: str
    count: int
    duration_seconds: int = 0


# The columns each of a source's grouped querysets names (``RollupSource.grouped``).
GROUPED_COLUMNS = (
    "rollup_day",
    "rollup_community",
    "rollup_category",
    "rollup_state",
    "rollup_count",
    "rollup_seconds",
)


@dataclass(frozen=True)
class RollupSource:
    """An append-only history that feeds the daily rollups.

    ``events_after(after_id, limit)``: the next events with ``id > after_id``, in id
    order (at most ``limit`` ids); ``max_id()``: the largest id now; ``grouped(upto_id)``:
    the source aggregated from scratch over events with ``id <= upto_id``, as grouped
    querysets (never a replay) whose ``values()`` are the :data:`GROUPED_COLUMNS`
    (day, community, category, state, count, seconds); their rows are added together.
    The rebuild runs them inside the database (``INSERT … SELECT``), and so does a full
    scan. Both paths must agree exactly: a test proves it per source.
    """

    name: str
    label: str | Promise
    events_after: Callable[[int, int], Sequence[RollupEvent]]
    max_id: Callable[[], int]
    grouped: Callable[[int], Sequence[QuerySet[Any]]]
    app: str = ""


def last_id(model: type[Model], field: str = "pk") -> int:
    """The largest ``field`` of ``model`` now (0 when empty): a source's ``max_id``."""
    last = model._default_manager.order_by(f"-{field}").values_list(field, flat=True).first()
    return int(last or 0)


_indicators: dict[str, Indicator] = {}
_sources: dict[str, RollupSource] = {}


def register_indicator(indicator: Indicator) -> Indicator:
    """Declare an indicator (once per code); returns it."""
    if indicator.code in _indicators and _indicators[indicator.code] != indicator:
        msg = f"indicator {indicator.code!r} registered twice"
        raise ValueError(msg)
    _indicators[indicator.code] = indicator
    return indicator


def register_source(source: RollupSource) -> RollupSource:
    """Declare a rollup source (once per name); returns it."""
    if source.name in _sources and _sources[source.name] != source:
        msg = f"rollup source {source.name!r} registered twice"
        raise ValueError(msg)
    _sources[source.name] = source
    return source


def indicators() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda i: (i.order, i.code))


def indicator(code: str) -> Indicator | None:
    return _indicators.get(code)


def sources() -> list[RollupSource]:
    return [_sources[name] for name in sorted(_sources)]


def source(name: str) -> RollupSource | None:
    return _sources.get(name)
