"""An in-process index of the published points for the nearest search, checked every call.

The nearest search is the directory's hottest read. Loading a few thousand points, their
hours and closures, their services' needs, languages and accessibility takes tens of
milliseconds; computing distances over numpy arrays takes microseconds. So each worker
process keeps the loaded points and, **on every call**, asks the database one cheap
question — how many points, services-at-locations and services there are and when each
last changed — and rebuilds the index when the answer differs. Every write of the
directory's services touches ``Location.updated_at`` (hours, closures, details) or adds or
changes a service-at-location or service, so an answer is never stale.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

from sihai.directory import hours
from sihai.directory.geo import EARTH_RADIUS_M
from sihai.directory.models import (
    Accessibility,
    Address,
    Closure,
    Language,
    Location,
    Phone,
    Schedule,
    ServiceAtLocation,
)

Version = tuple[Any, ...]

_VERSION_SQL = (
    "SELECT (SELECT COUNT(*) FROM directory_location),"
    " (SELECT MAX(updated_at) FROM directory_location),"
    " (SELECT COUNT(*) FROM directory_serviceatlocation),"
    " (SELECT MAX(updated_at) FROM directory_serviceatlocation),"
    " (SELECT COUNT(*) FROM directory_service),"
    " (SELECT MAX(updated_at) FROM directory_service)"
)


@dataclass
class PointRecord:
    """What a result list needs of one published point."""

    id: uuid.UUID
    kind: str
    latitude: float
    longitude: float
    needs: set[str] = field(default_factory=set)
    rules: list[hours.Rule] = field(default_factory=list)
    closures: list[hours.ClosedDays] = field(default_factory=list)
    address: str = ""
    phones: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PointIndex:
    version: Version
    records: list[PointRecord]
    latitudes: npt.NDArray[np.float64]  # radians
    longitudes: npt.NDArray[np.float64]
    kinds: npt.NDArray[np.str_]

    def distances_m(self, latitude: float, longitude: float) -> npt.NDArray[np.float64]:
        lat, lon = np.radians(latitude), np.radians(longitude)
        h = (
            np.sin((self.latitudes - lat) / 2) ** 2
            + np.cos(lat) * np.cos(self.latitudes) * np.sin((self.longitudes - lon) / 2) ** 2
        )
        result: npt.NDArray[np.float64] = (
            2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        )
        return result


_lock = threading.Lock()
_current: PointIndex | None = None


def current_version() -> Version:
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return (connection.alias, *row)


def _build(version: Version) -> PointIndex:
    records = {
        pk: PointRecord(pk, kind, lat, lon)
        for pk, kind, lat, lon in Location.objects.filter(published=True)
        .order_by("id")
        .values_list("id", "kind", "latitude", "longitude")
    }
    ids = list(records)
    for pk, need in ServiceAtLocation.objects.filter(
        location__published=True, service__status="active"
    ).values_list("location_id", "service__need"):
        records[pk].needs.add(need)
    for pk, days, opens, closes, appointment, valid_from, valid_to in Schedule.objects.filter(
        location__published=True
    ).values_list(
        "location_id",
        "weekdays",
        "opens_at",
        "closes_at",
        "by_appointment",
        "valid_from",
        "valid_to",
    ):
        records[pk].rules.append(
            hours.Rule(tuple(days), opens, closes, appointment, valid_from, valid_to)
        )
    for pk, starts, ends, reason in Closure.objects.filter(location__published=True).values_list(
        "location_id", "starts_on", "ends_on", "reason"
    ):
        records[pk].closures.append(hours.ClosedDays(starts, ends, reason))
    for pk, line in (
        Address.objects.filter(location__published=True)
        .order_by("created_at")
        .values_list("location_id", "address_1")
    ):
        records[pk].address = records[pk].address or line
    for pk, number in Phone.objects.filter(location__published=True).values_list(
        "location_id", "number"
    ):
        records[pk].phones.append(number)
    for pk, code in Language.objects.filter(location__published=True).values_list(
        "location_id", "code"
    ):
        records[pk].languages.append(code)
    for pk, code in Accessibility.objects.filter(location__published=True).values_list(
        "location_id", "provision"
    ):
        records[pk].accessibility.append(code)
    ordered = [records[pk] for pk in ids]
    return PointIndex(
        version=version,
        records=ordered,
        latitudes=np.radians(np.array([r.latitude for r in ordered], dtype=float)),
        longitudes=np.radians(np.array([r.longitude for r in ordered], dtype=float)),
        kinds=np.array([r.kind for r in ordered], dtype=str),
    )


def point_index() -> PointIndex:
    """The index of published points as the database holds them now."""
    global _current  # noqa: PLW0603  (one index per process, swapped whole)
    version = current_version()
    index = _current
    if index is not None and index.version == version:
        return index
    with _lock:
        if _current is None or _current.version != version:
            _current = _build(version)
        return _current
