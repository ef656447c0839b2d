"""The demo city's service points: 84 workstations, 20 practice centres and the rest.

Points are spread over the real communities (more in the five central districts,
where most people live), placed near their community's synthetic centroid, with
the hours such offices keep (a lunch break, Saturday mornings by appointment,
night clinics that cross midnight) and the New Year and Spring Festival closures.
Demo and city scale differ only in the number of insurance points, schools and
health centres (about 250 and 300 points). Everything is bulk-inserted; a second
run adds only what is missing. ``--cap N`` bounds each kind.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.db import transaction

from sihai.accounts.models import Department
from sihai.areas.models import AdministrativeArea
from sihai.core.seeding import SeedContext, seeder
from sihai.core.synth import point_near
from sihai.directory import hours
from sihai.directory.catalogue import KIND_DEPARTMENT, NEED_KINDS, Access, Kind
from sihai.directory.centroids import CENTRAL_DISTRICTS, synthetic_centroid
from sihai.directory.models import (
    Accessibility,
    Address,
    Closure,
    CommunityCentroid,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from sihai.directory.services import DEPARTMENT_SUFFIX, NEED_SERVICE

# Points per kind at each scale (the city's own figures for workstations and centres).
COUNTS: dict[str, dict[str, int]] = {
    "demo": {
        Kind.WORKSTATION: 84,
        Kind.PRACTICE_CENTRE: 20,
        Kind.INSURANCE_POINT: 40,
        Kind.SCHOOL: 30,
        Kind.RESIDENCE_PERMIT_OFFICE: 14,
        Kind.LEGAL_AID: 14,
        Kind.EMPLOYMENT_SERVICE: 14,
        Kind.HEALTH_CENTRE: 30,
    },
    "city": {
        Kind.WORKSTATION: 84,
        Kind.PRACTICE_CENTRE: 20,
        Kind.INSURANCE_POINT: 60,
        Kind.SCHOOL: 60,
        Kind.RESIDENCE_PERMIT_OFFICE: 14,
        Kind.LEGAL_AID: 14,
        Kind.EMPLOYMENT_SERVICE: 14,
        Kind.HEALTH_CENTRE: 40,
    },
}
HOURS: dict[str, Sequence[str]] = {
    Kind.WORKSTATION: ["MO-FR 09:00-12:00\nMO-FR 14:30-18:00\nSA 09:00-12:00 appointment"],
    Kind.PRACTICE_CENTRE: ["TU-SU 09:00-20:00", "MO-SU 09:00-21:00"],
    Kind.INSURANCE_POINT: ["MO-FR 09:00-17:00", "MO-SA 08:30-17:30"],
    Kind.SCHOOL: ["MO-FR 08:00-17:00"],
    Kind.RESIDENCE_PERMIT_OFFICE: ["MO-FR 09:00-12:00\nMO-FR 13:30-17:00\nSA 09:00-12:00"],
    Kind.LEGAL_AID: ["MO-FR 09:00-17:00", "MO-FR 09:00-17:00\nSA 09:00-12:00 appointment"],
    Kind.EMPLOYMENT_SERVICE: ["MO-FR 09:00-17:00"],
    # Some health centres keep a night clinic: the range crosses midnight.
    Kind.HEALTH_CENTRE: ["MO-SU 08:00-17:30", "MO-SU 08:00-17:30\nMO-SU 17:30-08:00"],
}
# Government offices close for the New Year and the Spring Festival (2027: 6–13 February).
OFFICE_KINDS = {
    Kind.WORKSTATION,
    Kind.INSURANCE_POINT,
    Kind.RESIDENCE_PERMIT_OFFICE,
    Kind.LEGAL_AID,
    Kind.EMPLOYMENT_SERVICE,
}
CLOSURES = [
    (datetime.date(2027, 1, 1), datetime.date(2027, 1, 3), "元旦"),
    (datetime.date(2027, 2, 6), datetime.date(2027, 2, 13), "春节"),
]
MINORITY_LANGUAGES = ["ii", "bca", "tdd", "hni", "hmn", "bo", "ug"]
# The personas' own communities always have a workstation.
PERSONA_COMMUNITIES = ["530102001001", "530103004001"]
ONE_PER_COUNTY = {Kind.RESIDENCE_PERMIT_OFFICE, Kind.LEGAL_AID, Kind.EMPLOYMENT_SERVICE}


@seeder("community_centroids", order=45)
def seed_centroids(ctx: SeedContext) -> None:
    """Store the synthetic centroid of every community (a city loads surveyed ones instead)."""
    have = set(CommunityCentroid.objects.values_list("area_id", flat=True))
    codes = AdministrativeArea.objects.filter(level="village").values_list("code", flat=True)
    missing = [code for code in codes if code not in have]
    CommunityCentroid.objects.bulk_create(
        [
            CommunityCentroid(
                area_id=c, latitude=synthetic_centroid(c)[0], longitude=synthetic_centroid(c)[1]
            )
            for c in missing
        ],
        batch_size=1000,
    )
    ctx.note("community centroids", len(missing))


def _weight(code: str) -> float:
    urban = int(code[9:12]) < 200
    if code[:6] in CENTRAL_DISTRICTS:
        return 4.0 if urban else 1.5
    return 2.0 if urban else 0.6


def _pick(rng: random.Random, codes: list[str], count: int, first: Sequence[str] = ()) -> list[str]:
    """``count`` distinct communities, ``first`` included, the rest weighted towards towns."""
    chosen = [c for c in first if c in codes][:count]
    pool = [c for c in codes if c not in chosen]
    weights = [_weight(c) for c in pool]
    while len(chosen) < count and pool:
        index = rng.choices(range(len(pool)), weights=weights)[0]
        chosen.append(pool.pop(index))
        weights.pop(index)
    return chosen


def _county_seat_community(codes: list[str], county: str) -> str:
    """The first urban community of the county's first township (its seat, roughly)."""
    return next(c for c in codes if c.startswith(county))


def _name(kind: str, code: str, names: dict[str, str]) -> str:
    community, township, county = names[code], names[code[:9]], names[code[:6]]
    templates: dict[str, str] = {
        Kind.WORKSTATION: f"{community}一家亲工作站",
        Kind.PRACTICE_CENTRE: f"{township}融荣与共实践中心",
        Kind.INSURANCE_POINT: f"{community}医保服务站",
        Kind.SCHOOL: f"{community}小学",
        Kind.RESIDENCE_PERMIT_OFFICE: f"{county}居住证受理中心",
        Kind.LEGAL_AID: f"{county}法律援助中心",
        Kind.EMPLOYMENT_SERVICE: f"{county}公共就业服务中心",
        Kind.HEALTH_CENTRE: f"{township}社区卫生服务中心",
    }
    return templates[kind]


def _organizations(
    kinds: Sequence[str], counties: Sequence[str], names: dict[str, str]
) -> dict[tuple[str, str], Organization]:
    """The (department, county) organizations and their services, made where missing."""
    departments = {d.code: d for d in Department.objects.all()}
    wanted = {(KIND_DEPARTMENT[k], county) for k in kinds for county in counties}
    existing = {
        (o.department.code if o.department else "", o.area_id): o
        for o in Organization.objects.select_related("department").filter(department__isnull=False)
    }
    new = [
        Organization(
            name=f"{names[county]}{DEPARTMENT_SUFFIX[dept]}",
            area_id=county,
            department=departments[dept],
            description=f"{names[county]}{DEPARTMENT_SUFFIX[dept]}，负责本区县的服务点。",
        )
        for dept, county in sorted(wanted - set(existing))
    ]
    Organization.objects.bulk_create(new)
    existing.update({(o.department.code if o.department else "", o.area_id): o for o in new})
    have = {(s.organization_id, s.need) for s in Service.objects.all()}
    services = []
    for (dept, _county), organization in existing.items():
        for need, need_kinds in NEED_KINDS.items():
            if (
                any(KIND_DEPARTMENT[k] == dept for k in need_kinds)
                and (organization.pk, need) not in have
            ):
                name, description = NEED_SERVICE[need]
                services.append(
                    Service(
                        organization=organization, name=name, description=description, need=need
                    )
                )
    Service.objects.bulk_create(services)
    return existing


@seeder("service_points", order=50)
@transaction.atomic
def seed_points(ctx: SeedContext) -> None:
    rng = random.Random(f"{ctx.rng.random()}-directory")
    names = dict(AdministrativeArea.objects.values_list("code", "short_name"))
    codes = sorted(c for c in names if len(c) == 12)
    counties = sorted(c for c in names if len(c) == 6)
    counts = COUNTS.get(ctx.scale.name, COUNTS["demo"])
    organizations = _organizations(list(counts), counties, names)
    services_by_org: dict[object, list[Service]] = {}
    for service in Service.objects.all():
        services_by_org.setdefault(service.organization_id, []).append(service)
    locations: list[Location] = []
    details: list[tuple[Location, str]] = []
    for kind, count in counts.items():
        target = ctx.target(count)
        existing = Location.objects.filter(kind=kind).count()
        if existing >= target:
            continue
        taken = set(Location.objects.filter(kind=kind).values_list("area_id", flat=True))
        free = [c for c in codes if c not in taken]
        if kind in ONE_PER_COUNTY:
            have = {c[:6] for c in taken}
            chosen = [
                _county_seat_community(codes, county) for county in counties if county not in have
            ]
        elif kind == Kind.PRACTICE_CENTRE:
            # One per subdistrict at most: centres serve several communities.
            used = {c[:9] for c in taken}
            township_first: dict[str, str] = {}
            for c in free:
                township_first.setdefault(c[:9], c)
            chosen = _pick(
                rng, [c for t, c in township_first.items() if t not in used], target - existing
            )
        else:
            first = PERSONA_COMMUNITIES if kind == Kind.WORKSTATION else ()
            chosen = _pick(rng, free, target - existing, first)
        for code in chosen[: target - existing]:
            lat, lon = point_near(rng, *synthetic_centroid(code), spread_km=0.25)
            location = Location(
                organization=organizations[(KIND_DEPARTMENT[kind], code[:6])],
                name=_name(kind, code, names),
                kind=kind,
                area_id=code,
                latitude=lat,
                longitude=lon,
                description="",
                transportation=rng.choice(
                    ["公交站步行 3 分钟", "地铁站步行 8 分钟", "社区服务中心一楼", ""]
                ),
                published=True,
            )
            locations.append(location)
            details.append((location, rng.choice(HOURS[kind])))
    Location.objects.bulk_create(locations, batch_size=500)
    _details(rng, details, names, services_by_org)
    ctx.note("service points", len(locations))


def _details(
    rng: random.Random,
    details: list[tuple[Location, str]],
    names: dict[str, str],
    services_by_org: dict[object, list[Service]],
) -> None:
    schedules: list[Schedule] = []
    closures: list[Closure] = []
    phones: list[Phone] = []
    addresses: list[Address] = []
    languages: list[Language] = []
    access: list[Accessibility] = []
    offered: list[ServiceAtLocation] = []
    for location, text in details:
        for rule in hours.parse_rules(text):
            schedules.append(
                Schedule(
                    location=location,
                    weekdays=list(rule.weekdays),
                    opens_at=rule.opens_at,
                    closes_at=rule.closes_at,
                    by_appointment=rule.by_appointment,
                )
            )
        if location.kind in OFFICE_KINDS:
            closures.extend(
                Closure(location=location, starts_on=s, ends_on=e, reason=r) for s, e, r in CLOSURES
            )
        phones.append(Phone(location=location, number=f"0871-6{rng.randrange(10**7):07d}"))
        code = location.area_id
        addresses.append(
            Address(
                location=location,
                address_1=f"{names[code[:6]]}{names[code[:9]]}{names[code]}{rng.randint(1, 300)}号",
                region=names[code[:6]],
            )
        )
        spoken = ["zh"]
        if location.kind in {Kind.WORKSTATION, Kind.PRACTICE_CENTRE}:
            spoken += rng.sample(MINORITY_LANGUAGES, k=rng.randint(1, 2))
        elif rng.random() < 0.2:
            spoken.append(rng.choice(MINORITY_LANGUAGES))
        languages.extend(Language(location=location, code=c) for c in spoken)
        provisions = rng.sample(Access.values, k=rng.randint(1, 3))
        access.extend(Accessibility(location=location, provision=p) for p in provisions)
        for service in services_by_org.get(location.organization_id, []):
            if location.kind in NEED_KINDS[service.need]:
                offered.append(ServiceAtLocation(service=service, location=location))
    Schedule.objects.bulk_create(schedules, batch_size=1000)
    Closure.objects.bulk_create(closures, batch_size=1000)
    Phone.objects.bulk_create(phones, batch_size=1000)
    Address.objects.bulk_create(addresses, batch_size=1000)
    Language.objects.bulk_create(languages, batch_size=1000)
    Accessibility.objects.bulk_create(access, batch_size=1000)
    ServiceAtLocation.objects.bulk_create(offered, batch_size=1000)
