"""The directory over the JSON API: nearest points (public), published points, coverage (staff).

``POST /nearest`` takes the searcher's position in the body, so it never appears
in a URL or a proxy's access log; it is used for the one answer and not kept.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from sihai.accounts.api import StaffToken
from sihai.core.errors import InvalidInput, NotFound
from sihai.core.policy import roots_for
from sihai.directory import selectors
from sihai.directory.catalogue import Kind
from sihai.directory.coverage import coverage
from sihai.directory.geo import walk_model
from sihai.directory.models import Location
from sihai.directory.policies import COVERAGE_VIEW
from sihai.reporting.suppression import TOTAL, Cell, count_of, suppress_table

router = Router()
MAX_PAGE = 200


class ErrorOut(Schema):
    code: str
    message: str


class StatusOut(Schema):
    state: str
    until: datetime.datetime | None
    next_open: datetime.datetime | None
    reason: str


class PointOut(Schema):
    id: str
    name: str
    kind: str
    community_code: str
    latitude: float
    longitude: float
    address: str
    phones: list[str]
    languages: list[str]
    accessibility: list[str]
    status: StatusOut

    @classmethod
    def of(cls, location: Location, status: Any) -> PointOut:
        address = location.addresses.all()[:1]
        return cls(
            id=str(location.pk),
            name=location.name,
            kind=location.kind,
            community_code=location.area_id,
            latitude=location.latitude,
            longitude=location.longitude,
            address=address[0].address_1 if address else "",
            phones=[p.number for p in location.phones.all()],
            languages=sorted(lang.code for lang in location.languages.all()),
            accessibility=sorted(a.provision for a in location.accessibility.all()),
            status=_status(status),
        )


def _status(status: Any) -> StatusOut:
    return StatusOut(
        state=str(status.state),
        until=status.until,
        next_open=status.next_open,
        reason=status.reason,
    )


def point_of_nearby(n: selectors.Nearby) -> PointOut:
    location = n.location
    return PointOut(
        id=str(location.pk),
        name=location.name,
        kind=location.kind,
        community_code=location.area_id,
        latitude=location.latitude,
        longitude=location.longitude,
        address=n.address,
        phones=list(n.phones),
        languages=list(n.languages),
        accessibility=list(n.accessibility),
        status=_status(n.status),
    )


class NearestIn(Schema):
    need: str = ""
    kind: str = ""
    latitude: float | None = None
    longitude: float | None = None
    community_code: str = ""
    open_now: bool = False
    limit: int = 10


class NearbyOut(Schema):
    point: PointOut
    distance_m: float
    walk_minutes: float


class NearestOut(Schema):
    method: str
    results: list[NearbyOut]


@router.post(
    "/nearest",
    response={200: NearestOut, 400: ErrorOut, 404: ErrorOut},
    summary="The nearest published points for a need or kind, from a position or a community",
)
def nearest(request: HttpRequest, payload: NearestIn) -> NearestOut:
    if payload.latitude is not None and payload.longitude is not None:
        found = selectors.nearest(
            latitude=payload.latitude,
            longitude=payload.longitude,
            need=payload.need,
            kind=payload.kind,
            open_now=payload.open_now,
            limit=payload.limit,
        )
    elif payload.community_code:
        found = selectors.nearest_from_community(
            community_code=payload.community_code,
            need=payload.need,
            kind=payload.kind,
            open_now=payload.open_now,
            limit=payload.limit,
        )
    else:
        raise InvalidInput(
            _("Give a latitude and longitude, or a community code."), code="directory.origin"
        )
    return NearestOut(
        method=walk_model().describe(),
        results=[
            NearbyOut(
                point=point_of_nearby(n),
                distance_m=round(n.distance_m, 1),
                walk_minutes=round(n.walk_minutes, 1),
            )
            for n in found
        ],
    )


class PointsQuery(Schema):
    kind: str = ""
    need: str = ""
    area: str = ""
    search: str = ""
    page: int = 1
    per_page: int = 50


class PointPageOut(Schema):
    total: int
    page: int
    per_page: int
    results: list[PointOut]


@router.get(
    "/points",
    response={200: PointPageOut, 400: ErrorOut},
    summary="Published points, filtered by kind, need, area code prefix and name",
)
def points(request: HttpRequest, filters: Query[PointsQuery]) -> PointPageOut:
    if filters.page < 1 or not (1 <= filters.per_page <= MAX_PAGE):
        raise InvalidInput(
            _("page starts at 1; per_page is 1 to %(n)d.") % {"n": MAX_PAGE},
            code="directory.page",
        )
    queryset = selectors.public_location_list(
        kind=filters.kind, need=filters.need, area_code=filters.area, search=filters.search
    )
    total = queryset.count()
    start = (filters.page - 1) * filters.per_page
    window = selectors.with_details(queryset)[start : start + filters.per_page]
    return PointPageOut(
        total=total,
        page=filters.page,
        per_page=filters.per_page,
        results=[PointOut.of(loc, selectors.status_of(loc)) for loc in window],
    )


@router.get(
    "/points/{location_id}",
    response={200: PointOut, 404: ErrorOut},
    summary="One published point",
)
def point(request: HttpRequest, location_id: str) -> PointOut:
    location = selectors.location_public_get(location_id=location_id)
    return PointOut.of(location, selectors.status_of(location))


class DistrictOut(Schema):
    code: str
    name: str
    communities: int
    covered_communities: int
    # Registered residents: null where small-cell suppression hides the count.
    residents: int | None
    covered_residents: int | None


class CommunityCoverageOut(Schema):
    code: str
    name: str
    residents: int | None
    nearest_id: str | None
    walk_minutes: float | None
    covered: bool


class CoverageOut(Schema):
    kind: str
    threshold_minutes: float
    method: str
    synthetic_centroids: bool
    points: int
    total: DistrictOut
    districts: list[DistrictOut]
    communities: list[CommunityCoverageOut]


@router.get(
    "/coverage",
    auth=StaffToken(),
    response={200: CoverageOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="The 15-minute circle for one kind of point, in the token holder's area",
)
def coverage_report(request: HttpRequest, kind: str = Kind.INSURANCE_POINT) -> CoverageOut:
    roots = roots_for(request.user, COVERAGE_VIEW)
    if not roots:
        raise NotFound(NotFound.default_message())
    selectors.validate_kind(kind)
    report = coverage(roots=roots, kinds=[kind])
    chosen = report.kinds[kind]

    shown = _suppressed_residents(chosen)

    def aggregate(a: Any) -> DistrictOut:
        residents, covered = shown[a.code]
        return DistrictOut(
            code=a.code,
            name=a.name,
            communities=a.communities,
            covered_communities=a.covered_communities,
            residents=residents,
            covered_residents=covered,
        )

    return CoverageOut(
        kind=kind,
        threshold_minutes=report.threshold_minutes,
        method=report.model.describe(),
        synthetic_centroids=report.synthetic_centroids,
        points=chosen.points,
        total=aggregate(chosen.total),
        districts=[aggregate(d) for d in chosen.districts],
        communities=[
            CommunityCoverageOut(
                code=r.community.code,
                name=r.community.name,
                residents=shown[r.community.code][0],
                nearest_id=r.nearest_id,
                walk_minutes=None if r.minutes is None else round(r.minutes, 1),
                covered=r.covered,
            )
            for r in chosen.rows
        ],
    )


def _suppressed_residents(chosen: Any) -> dict[str, tuple[int | None, int | None]]:
    """{code ("" for the total): (registered residents, of whom covered)}, suppressed.

    Residents are people: counts go through the one suppression rule
    (``sihai/reporting/suppression.py``) as a table of districts × covered/not, then
    each district's communities with what the district table hid kept hidden.
    """
    columns = ["covered", "uncovered"]
    top = suppress_table(
        [d.code for d in chosen.districts],
        columns,
        {
            (d.code, column): count_of(
                d.covered_residents if column == "covered" else d.residents - d.covered_residents
            )
            for d in chosen.districts
            for column in columns
        },
    )

    def pair(total: Cell, covered: Cell) -> tuple[int | None, int | None]:
        return (
            None if total.suppressed else total.measure.base,
            None if covered.suppressed else covered.measure.base,
        )

    shown = {"": pair(top.total, top.column_totals["covered"])}
    by_district: dict[str, list[Any]] = {}
    for row in chosen.rows:
        by_district.setdefault(row.community.code[:6], []).append(row)
    for district in chosen.districts:
        total = top.row_totals.get(district.code) or top.total
        shown[district.code] = pair(total, top.cells[(district.code, "covered")])
        forced = {c: top.cells[(district.code, c)].reason for c in columns}
        forced[TOTAL] = total.reason
        rows = by_district.get(district.code, [])
        table = suppress_table(
            [r.community.code for r in rows],
            columns,
            {
                (r.community.code, "covered" if r.covered else "uncovered"): count_of(
                    r.community.residents
                )
                for r in rows
            },
            forced={c: why for c, why in forced.items() if why},
        )
        for r in rows:
            cell = table.row_totals.get(r.community.code) or table.total
            shown[r.community.code] = pair(cell, cell)
    return shown
