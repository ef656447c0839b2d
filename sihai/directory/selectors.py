"""Reads of the directory: published points for everyone, all points in scope for staff.

Nothing here is personal data. The point a resident searches from (their
browser's location) is a function argument only: it is used for one query and
never stored, logged or audited.
"""

from __future__ import annotations

import datetime
import math
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from sihai.core.errors import InvalidInput, NotFound
from sihai.directory import hours
from sihai.directory.catalogue import Access, Kind, Need, kinds_for_need
from sihai.directory.centroids import centroid
from sihai.directory.geo import WalkModel, validate_point, walk_model
from sihai.directory.index import PointRecord, point_index
from sihai.directory.models import Closure, Location, Organization, Service
from sihai.directory.policies import DIRECTORY_MANAGE, points

MAX_NEAREST = 50


def parse_uuid(value: str | uuid.UUID) -> uuid.UUID:
    """A UUID, or NotFound: an id that is not a UUID names nothing."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound(NotFound.default_message(), code="directory.not_found") from exc


def published_locations() -> QuerySet[Location]:
    return Location.objects.filter(published=True)


def with_details(queryset: QuerySet[Location]) -> QuerySet[Location]:
    """Everything a point's page shows, in a fixed number of queries."""
    return queryset.select_related("organization", "area").prefetch_related(
        "schedules",
        Prefetch("closures", queryset=Closure.objects.order_by("starts_on")),
        "phones",
        "addresses",
        "languages",
        "accessibility",
        "service_at_locations__service",
    )


def location_public_get(*, location_id: str | uuid.UUID) -> Location:
    """One published point with its details, or NotFound."""
    location = with_details(published_locations()).filter(pk=parse_uuid(location_id)).first()
    if location is None:
        raise NotFound(NotFound.default_message(), code="directory.not_found")
    return location


def rules_of(location: Location) -> list[hours.Rule]:
    return [
        hours.Rule(
            tuple(s.weekdays), s.opens_at, s.closes_at, s.by_appointment, s.valid_from, s.valid_to
        )
        for s in location.schedules.all()
    ]


def closures_of(location: Location) -> list[hours.ClosedDays]:
    return [hours.ClosedDays(c.starts_on, c.ends_on, c.reason) for c in location.closures.all()]


def status_of(location: Location, at: datetime.datetime | None = None) -> hours.Status:
    """Open now? (Asia/Shanghai time, crossing midnight and closures handled.)"""
    return hours.status_at(rules_of(location), closures_of(location), at)


def validate_need(need: str) -> str:
    if need not in Need.values:
        raise InvalidInput(
            _("“%(need)s” is not a need the directory knows: choose one from the list.")
            % {"need": str(need)[:40]},
            code="directory.unknown_need",
        )
    return need


def validate_kind(kind: str) -> str:
    if kind not in Kind.values:
        raise InvalidInput(
            _("“%(kind)s” is not a kind of service point.") % {"kind": str(kind)[:40]},
            code="directory.unknown_kind",
        )
    return kind


@dataclass(frozen=True)
class Nearby:
    """One answer of a nearest search: the point, how far, open now, and what a list shows."""

    location: Location
    distance_m: float
    walk_minutes: float
    status: hours.Status
    address: str = ""
    phones: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # ISO 639 codes
    accessibility: tuple[str, ...] = ()  # Access codes

    def accessibility_labels(self) -> list[str]:
        return [str(Access(code).label) for code in self.accessibility if code in Access.values]


def nearest(
    *,
    latitude: float,
    longitude: float,
    need: str = "",
    kind: str = "",
    open_now: bool = False,
    limit: int = 10,
    at: datetime.datetime | None = None,
    model: WalkModel | None = None,
) -> list[Nearby]:
    """The published points nearest to a point, for a need or a kind, nearest first.

    ``latitude``/``longitude`` are used for this computation only. Distances are computed
    over the process's index of published points (``index.py``), which is checked against
    the database on every call.
    """
    validate_point(latitude, longitude)
    if not (1 <= limit <= MAX_NEAREST):
        raise InvalidInput(
            _("Ask for 1 to %(n)d points.") % {"n": MAX_NEAREST}, code="directory.limit"
        )
    kinds: list[str] = list(Kind.values)
    if need:
        validate_need(need)
        kinds = list(kinds_for_need(need))
    if kind:
        validate_kind(kind)
        kinds = [k for k in kinds if k == kind]
    model = model or walk_model()
    index = point_index()
    eligible = np.flatnonzero(np.isin(index.kinds, kinds)) if kinds else np.array([], dtype=int)
    if need:
        eligible = np.array([i for i in eligible if need in index.records[i].needs], dtype=int)
    distances = index.distances_m(latitude, longitude)[eligible]
    chosen: list[tuple[float, PointRecord, hours.Status]] = []
    for position in np.argsort(distances, kind="stable"):
        record = index.records[int(eligible[position])]
        status = hours.status_at(record.rules, record.closures, at)
        if open_now and not status.is_open:
            continue
        chosen.append((float(distances[position]), record, status))
        if len(chosen) >= limit:
            break
    locations = Location.objects.in_bulk([record.id for _d, record, _s in chosen])
    return [
        Nearby(
            locations[record.id],
            distance,
            model.minutes(distance),
            status,
            record.address,
            tuple(record.phones),
            tuple(sorted(record.languages)),
            tuple(sorted(record.accessibility)),
        )
        for distance, record, status in chosen
        if record.id in locations
    ]


def nearest_from_community(
    *, community_code: str, need: str = "", kind: str = "", open_now: bool = False, limit: int = 10
) -> list[Nearby]:
    """The nearest points to a community's centroid (a place, so it may be shared and logged)."""
    code = community_code.strip()
    if not (code.isascii() and code.isdigit() and len(code) == 12):
        raise InvalidInput(
            _("Choose a community or village (a 12-digit code)."), code="directory.community"
        )
    from sihai.areas.models import AdministrativeArea  # noqa: PLC0415  (areas is a lower layer)

    if not AdministrativeArea.objects.filter(code=code, level="village").exists():
        raise NotFound(
            _("There is no community with the code %(code)s.") % {"code": code},
            code="directory.community_not_found",
        )
    lat, lon = centroid(code)
    return nearest(
        latitude=lat, longitude=lon, need=need, kind=kind, open_now=open_now, limit=limit
    )


def public_location_list(
    *, kind: str = "", need: str = "", area_code: str = "", search: str = ""
) -> QuerySet[Location]:
    """Published points filtered by kind, need, area (a code prefix) and name."""
    queryset = published_locations()
    if kind:
        queryset = queryset.filter(kind=validate_kind(kind))
    if need:
        queryset = queryset.filter(service_at_locations__service__need=validate_need(need))
    if area_code:
        if not (area_code.isascii() and area_code.isdigit() and len(area_code) in (4, 6, 9, 12)):
            raise InvalidInput(
                _("“%(code)s” is not an area code: codes are 4, 6, 9 or 12 digits.")
                % {"code": area_code[:20]},
                code="area.invalid_code",
            )
        queryset = queryset.filter(area__code__startswith=area_code)
    if search.strip():
        queryset = queryset.filter(
            Q(name__icontains=search.strip()) | Q(alternate_name__icontains=search.strip())
        )
    return queryset.distinct().order_by("area_id", "name", "id")


# --- Staff ---------------------------------------------------------------------------------


def locations_for_actor(*, actor: Any, kind: str = "", search: str = "") -> QuerySet[Location]:
    """Every point (published or not) the actor may manage."""
    queryset = points.visible_to(
        actor, DIRECTORY_MANAGE, Location.objects.select_related("area", "organization")
    )
    if kind:
        queryset = queryset.filter(kind=validate_kind(kind))
    if search.strip():
        queryset = queryset.filter(name__icontains=search.strip())
    return queryset.order_by("area_id", "name", "id")


def location_get_for_actor(*, actor: Any, location_id: str | uuid.UUID) -> Location:
    return points.get_for_actor(
        actor, DIRECTORY_MANAGE, with_details(Location.objects.all()), pk=parse_uuid(location_id)
    )


def organizations_for_choice(*, actor: Any) -> QuerySet[Organization]:
    """Organizations whose points the actor manages (for a select on the create form)."""
    ids = locations_for_actor(actor=actor).values("organization_id")
    return Organization.objects.filter(pk__in=ids).order_by("name")


# --- Shared by the HSDS adapter ------------------------------------------------------------


def published_services() -> QuerySet[Service]:
    """Services offered at one or more published points."""
    return Service.objects.filter(service_at_locations__location__published=True).distinct()


def published_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(locations__published=True).distinct()


def walking_minutes_text(minutes: float) -> int:
    return max(1, math.ceil(minutes))
