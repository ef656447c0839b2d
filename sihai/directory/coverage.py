"""The 15-minute service circle: how far each community is from the nearest point of a kind.

For every community in scope: the walking time from its centroid to the nearest
published point of each kind, estimated as straight-line distance × detour factor
at a walking speed (settings; the method is stated on every page that shows it).
A community is *covered* when that time is within ``SIHAI_SERVICE_CIRCLE_MINUTES``.
Shares are given of communities and of registered residents, per district and for
the whole scope. Nothing is precomputed: each call reads the points, the centroids
and the resident counts as they are now (a few queries), and does the arithmetic
in numpy (1,738 communities × a few hundred points in milliseconds).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from django.conf import settings

from sihai.areas.codes import within
from sihai.areas.models import AdministrativeArea
from sihai.directory.catalogue import Kind
from sihai.directory.centroids import centroids
from sihai.directory.geo import EARTH_RADIUS_M, WalkModel, walk_model
from sihai.directory.models import Location
from sihai.residents.stats import residents_per_community

FloatArray = npt.NDArray[np.float64]


def distance_matrix(a: FloatArray, b: FloatArray) -> FloatArray:
    """Great-circle metres between all rows of ``a`` and of ``b`` ((lat, lon) degrees)."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    lat1, lon1 = np.radians(a[:, 0])[:, None], np.radians(a[:, 1])[:, None]
    lat2, lon2 = np.radians(b[:, 0])[None, :], np.radians(b[:, 1])[None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    result: FloatArray = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return result


@dataclass(frozen=True)
class Community:
    code: str
    name: str
    residents: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class CommunityRow:
    community: Community
    nearest_id: str | None
    nearest_name: str
    distance_m: float | None
    minutes: float | None
    covered: bool


@dataclass
class Aggregate:
    code: str
    name: str
    communities: int = 0
    covered_communities: int = 0
    residents: int = 0
    covered_residents: int = 0

    def add(self, row: CommunityRow) -> None:
        self.communities += 1
        self.residents += row.community.residents
        if row.covered:
            self.covered_communities += 1
            self.covered_residents += row.community.residents

    @property
    def community_share(self) -> float | None:
        return self.covered_communities / self.communities if self.communities else None

    @property
    def resident_share(self) -> float | None:
        return self.covered_residents / self.residents if self.residents else None


@dataclass
class KindCoverage:
    kind: str
    points: int
    rows: list[CommunityRow]
    districts: list[Aggregate]
    total: Aggregate

    @property
    def gaps(self) -> list[CommunityRow]:
        """Uncovered communities, most registered residents first, then farthest."""
        return sorted(
            (r for r in self.rows if not r.covered),
            key=lambda r: (-r.community.residents, -(r.minutes or 1e9), r.community.code),
        )


@dataclass
class CoverageReport:
    threshold_minutes: float
    model: WalkModel
    reach_m: float
    kinds: dict[str, KindCoverage] = field(default_factory=dict)
    communities: list[Community] = field(default_factory=list)
    # Every centroid is synthetic (no surveyed centroids loaded): pages say so.
    synthetic_centroids: bool = True


def communities_in_scope(roots: Sequence[str]) -> tuple[list[Community], dict[str, str]]:
    """The communities under ``roots`` with their resident counts and centroids; area names."""
    names = dict(AdministrativeArea.objects.values_list("code", "short_name"))
    codes = list(
        AdministrativeArea.objects.filter(within("code", roots), level="village")
        .order_by("code")
        .values_list("code", flat=True)
    )
    counts = residents_per_community()
    points = centroids(codes)
    return [
        Community(code, names[code], counts.get(code, 0), *points[code]) for code in codes
    ], names


def circle_minutes() -> float:
    return float(settings.SIHAI_SERVICE_CIRCLE_MINUTES)


def coverage(
    *,
    roots: Sequence[str],
    kinds: Iterable[str] = Kind.values,
    minutes: float | None = None,
    model: WalkModel | None = None,
) -> CoverageReport:
    """Coverage of every community under ``roots`` by published points of each of ``kinds``.

    Points anywhere in the city count: a point across a district border still serves.
    """
    model = model or walk_model()
    threshold = minutes if minutes is not None else circle_minutes()
    communities, names = communities_in_scope(roots)
    report = CoverageReport(threshold, model, model.reach_m(threshold), communities=communities)
    from sihai.directory.models import CommunityCentroid  # noqa: PLC0415

    report.synthetic_centroids = not CommunityCentroid.objects.exclude(method="synthetic").exists()
    kinds = list(kinds)
    located = list(
        Location.objects.filter(published=True, kind__in=kinds).values_list(
            "id", "kind", "name", "latitude", "longitude"
        )
    )
    where = np.array([[c.latitude, c.longitude] for c in communities], dtype=float).reshape(-1, 2)
    at = np.array([[lat, lon] for _i, _k, _n, lat, lon in located], dtype=float).reshape(-1, 2)
    distances = distance_matrix(where, at)
    kind_of = np.array([k for _i, k, _n, _la, _lo in located])
    for kind in kinds:
        columns = np.flatnonzero(kind_of == kind) if located else np.array([], dtype=int)
        if len(columns) and len(communities):
            sub = distances[:, columns]
            best = sub.argmin(axis=1)
            best_distance = sub[np.arange(len(communities)), best]
        districts: dict[str, Aggregate] = {}
        total = Aggregate("", "")
        rows = []
        for index, community in enumerate(communities):
            if len(columns):
                point = located[int(columns[best[index]])]
                metres = float(best_distance[index])
                walk = model.minutes(metres)
                row = CommunityRow(
                    community, str(point[0]), point[2], metres, walk, walk <= threshold
                )
            else:
                row = CommunityRow(community, None, "", None, None, False)
            rows.append(row)
            county = community.code[:6]
            districts.setdefault(county, Aggregate(county, names.get(county, county))).add(row)
            total.add(row)
        report.kinds[kind] = KindCoverage(
            kind, len(columns), rows, [districts[c] for c in sorted(districts)], total
        )
    return report
