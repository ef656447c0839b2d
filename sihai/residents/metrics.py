"""The registry's indicators and its three rollup sources (collected by ``sihai.reporting``).

Residents keep three append-only histories, each with an ever-growing id:

* ``residents.registrations`` — the resident rows themselves (``Resident.id``): a
  registration on the day the record was created, in the community the resident
  first lived in (the ``from`` of their first recorded move, else their community),
  by channel (``registered_via``);
* ``residents.moves`` — ``ResidenceChange`` rows: one ``moved_out`` in the old
  community and one ``moved_in`` in the new, on the day of the move;
* ``residents.erasures`` — the audit log's ``residents.erased`` entries (an erasure
  keeps the row, so it is an event only in the audit chain, whose ``seq`` grows).

No personal data leaves: only days, community codes, channels and counts.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sihai.audit.models import AuditEntry
from sihai.reporting.registry import (
    Dimension,
    Indicator,
    Key,
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
from sihai.residents.ethnicity import ethnic_groups
from sihai.residents.models import Purpose, RegisteredVia, ResidenceChange, Resident

REGISTRATIONS = "residents.registrations"
MOVES = "residents.moves"
ERASURES = "residents.erasures"
ERASED_ACTION = "residents.erased"


def _first_community() -> Coalesce:
    first_move = ResidenceChange.objects.filter(resident=OuterRef("pk")).order_by("pk")
    return Coalesce(
        Subquery(first_move.values("from_community_id")[:1]),
        F("community_id"),
        output_field=CharField(),
    )


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


# --- registrations -----------------------------------------------------------------


def _registrations_after(after_id: int, limit: int) -> Sequence[RollupEvent]:
    rows = (
        Resident.objects.filter(pk__gt=after_id)
        .order_by("pk")
        .annotate(first=_first_community())
        .values_list("pk", "created_at", "first", "registered_via")[:limit]
    )
    return [
        RollupEvent(pk, at, _local_day(at), first, via, "registered") for pk, at, first, via in rows
    ]


def _registrations_grouped(upto_id: int) -> list[QuerySet[Any]]:
    return [
        Resident.objects.filter(pk__lte=upto_id)
        .values(
            rollup_day=TruncDate("created_at"),
            rollup_community=_first_community(),
            rollup_category=F("registered_via"),
            rollup_state=Value("registered"),
        )
        .annotate(rollup_count=Count("pk"), rollup_seconds=Value(0, BigIntegerField()))
        .order_by()
    ]


register_source(
    RollupSource(
        name=REGISTRATIONS,
        label=_("Registrations of residents"),
        events_after=_registrations_after,
        max_id=lambda: last_id(Resident),
        grouped=_registrations_grouped,
        app="residents",
    )
)

# --- moves ---------------------------------------------------------------------------


def _moves_after(after_id: int, limit: int) -> Sequence[RollupEvent]:
    rows = (
        ResidenceChange.objects.filter(pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", "recorded_at", "moved_on", "from_community_id", "to_community_id")[
            :limit
        ]
    )
    events = []
    for pk, at, day, old, new in rows:
        events.append(RollupEvent(pk, at, day, old, "", "moved_out"))
        events.append(RollupEvent(pk, at, day, new, "", "moved_in"))
    return events


def _moves_grouped(upto_id: int) -> list[QuerySet[Any]]:
    moves = ResidenceChange.objects.filter(pk__lte=upto_id)
    return [
        moves.values(
            rollup_day=F("moved_on"),
            rollup_community=F(side),
            rollup_category=Value(""),
            rollup_state=Value(state),
        )
        .annotate(rollup_count=Count("pk"), rollup_seconds=Value(0, BigIntegerField()))
        .order_by()
        for side, state in (("from_community_id", "moved_out"), ("to_community_id", "moved_in"))
    ]


register_source(
    RollupSource(
        name=MOVES,
        label=_("Moves within the city"),
        events_after=_moves_after,
        max_id=lambda: last_id(ResidenceChange),
        grouped=_moves_grouped,
        app="residents",
    )
)

# --- erasures ------------------------------------------------------------------------


def _erasures_after(after_id: int, limit: int) -> Sequence[RollupEvent]:
    rows = (
        AuditEntry.objects.filter(seq__gt=after_id, action=ERASED_ACTION)
        .order_by("seq")
        .values_list("seq", "at", "area_code")[:limit]
    )
    return [RollupEvent(seq, at, _local_day(at), area, "", "erased") for seq, at, area in rows]


def _erasures_grouped(upto_id: int) -> list[QuerySet[Any]]:
    return [
        AuditEntry.objects.filter(seq__lte=upto_id, action=ERASED_ACTION)
        .values(
            rollup_day=TruncDate("at"),
            rollup_community=F("area_code"),
            rollup_category=Value(""),
            rollup_state=Value("erased"),
        )
        .annotate(rollup_count=Count("seq"), rollup_seconds=Value(0, BigIntegerField()))
        .order_by()
    ]


register_source(
    RollupSource(
        name=ERASURES,
        label=_("Erasures of residents' data (granted deletion requests)"),
        events_after=_erasures_after,
        max_id=lambda: last_id(AuditEntry, "seq"),
        grouped=_erasures_grouped,
        app="residents",
    )
)

# --- indicators ----------------------------------------------------------------------


def _registered(query: Query) -> dict[Key, Measure]:
    registered = rollup_measures(
        query, source=REGISTRATIONS, states=["registered"], by_category=False, since_start=True
    )
    moved = rollup_measures(
        query,
        source=MOVES,
        states=["moved_in", "moved_out"],
        by_category=False,
        since_start=True,
        signs={"moved_out": -1},
    )
    out = dict(registered)
    for key, measure in moved.items():
        out[key] = out.get(key, Measure(0, 0)) + measure
    return out


register_indicator(
    Indicator(
        code="residents.registered",
        name=_("Residents registered"),
        definition=_(
            "Residents who have registered with Sihai (voluntarily) and live in the area at "
            "the end of the period, erased records included (they still count)."
        ),
        computation=_(
            "Registrations up to the end of the period in the community where each resident "
            "first lived, plus moves in, minus moves out (daily rollups)."
        ),
        unit=Unit.PEOPLE,
        compute=_registered,
        stock=True,
        public=True,
        app="residents",
        order=10,
    )
)


def _registrations(query: Query) -> dict[Key, Measure]:
    return rollup_measures(query, source=REGISTRATIONS, states=["registered"])


register_indicator(
    Indicator(
        code="residents.registrations",
        name=_("New registrations"),
        definition=_("Residents who registered during the period, by how they registered."),
        computation=_("Count of new resident records per day and community (daily rollups)."),
        unit=Unit.PEOPLE,
        compute=_registrations,
        dimensions=frozenset({Dimension.AREA, Dimension.PERIOD, Dimension.CATEGORY}),
        categories=lambda: dict(RegisteredVia.choices),
        app="residents",
        order=11,
    )
)


def _moves_in(query: Query) -> dict[Key, Measure]:
    return rollup_measures(query, source=MOVES, states=["moved_in"], by_category=False)


register_indicator(
    Indicator(
        code="residents.moves_in",
        name=_("Moves into the area"),
        definition=_(
            "Registered residents who moved into a community of the area from another "
            "community of the city during the period (moves inside a smaller area count in "
            "its communities)."
        ),
        computation=_("Count of recorded moves by the community moved to (daily rollups)."),
        unit=Unit.PEOPLE,
        compute=_moves_in,
        app="residents",
        order=12,
    )
)


def _erasures(query: Query) -> dict[Key, Measure]:
    return rollup_measures(query, source=ERASURES, states=["erased"], by_category=False)


register_indicator(
    Indicator(
        code="residents.erasures",
        name=_("Records erased at the resident's request"),
        definition=_(
            "Deletion requests granted during the period: the identifying data was erased."
        ),
        computation=_("Count of erasures in the audit log per day and community (rollups)."),
        unit=Unit.PEOPLE,
        compute=_erasures,
        higher_is_better=False,
        app="residents",
        order=13,
    )
)


# What the declared groups depend on: every change to them is audited in the same transaction.
_SENSITIVE_ACTIONS = (
    "residents.sensitive_declared",
    "residents.consent_given",
    "residents.consent_withdrawn",
    "residents.corrected",
    "residents.moved",
    "residents.erased",
)
_groups_cache: dict[tuple[object, ...], dict[tuple[str, str], int]] = {}


def _groups_by_community() -> dict[tuple[str, str], int]:
    """{(community, group): residents} city-wide, decrypted only when something changed."""
    state = (
        AuditEntry.objects.filter(action__in=_SENSITIVE_ACTIONS).aggregate(last=Max("seq"))["last"],
        Resident.objects.aggregate(last=Max("id"))["last"],
        ResidenceChange.objects.aggregate(last=Max("id"))["last"],
    )
    if state not in _groups_cache:
        consented = Q(
            consents__purpose=Purpose.SENSITIVE_CATEGORIES, consents__withdrawn_at__isnull=True
        )
        rows = (
            Resident.objects.filter(consented, ethnicity__isnull=False, erased_at__isnull=True)
            .values_list("community_id", "ethnicity")
            .order_by()
        )
        counts: dict[tuple[str, str], int] = defaultdict(int)
        # Decrypted one value at a time, in memory, only to be counted; never listed.
        for community, code in rows.iterator(chunk_size=2000):
            if code:
                counts[(community, code)] += 1
        _groups_cache.clear()
        _groups_cache[state] = dict(counts)
    return _groups_cache[state]


def _by_ethnic_group(query: Query) -> dict[Key, Measure]:
    """Self-declared ethnic groups of residents who gave the separate consent, as of today."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for (community, code), n in _groups_by_community().items():
        if community.startswith(query.area):
            counts[(community[: query.group_len], code)] += n
    month = query.months[-1]
    return {(g, c, month): Measure(float(n), n) for (g, c), n in counts.items()}


def _ethnic_group_names() -> dict[str, str | Promise]:
    chinese = (get_language() or "").startswith("zh")
    return {code: g.name_zh if chinese else g.name_en for code, g in ethnic_groups().items()}


register_indicator(
    Indicator(
        code="residents.ethnic_group",
        name=_("Registered residents by self-declared ethnic group"),
        definition=_(
            "Residents who chose to declare their ethnic group, with the separate consent for "
            "it, by group. Only for a district or above, and only small-cell suppressed."
        ),
        computation=_(
            "Count of residents with an active consent to record their ethnic group and a "
            "declared group, today (not from rollups: read and counted, never listed)."
        ),
        unit=Unit.PEOPLE,
        compute=_by_ethnic_group,
        as_of_today=True,
        sensitive=True,
        dimensions=frozenset({Dimension.AREA, Dimension.CATEGORY}),
        categories=_ethnic_group_names,
        app="residents",
        order=19,
    )
)
