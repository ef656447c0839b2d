"""Managing service points: create, edit, opening hours, closures. Atomic and audited.

Staff manage points within their jurisdiction (``directory.manage``, see
policies.py); a point outside it is answered like a missing one. Every write
records an audit entry in the same transaction.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sihai.accounts.models import Department, User
from sihai.areas.codes import Level
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.directory import hours as hours_rules
from sihai.directory.catalogue import KIND_DEPARTMENT, LANGUAGES, NEED_KINDS, Access, Kind
from sihai.directory.geo import validate_point
from sihai.directory.models import (
    Accessibility,
    Address,
    Closure,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from sihai.directory.policies import DIRECTORY_MANAGE, points
from sihai.directory.selectors import rules_of

MAX_NAME = 200
MAX_CLOSURE_DAYS = 366
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,24}$")

# The organization that runs points of a kind in a county: "{county name}{suffix}".
DEPARTMENT_SUFFIX = {
    "ethnic_religious": "民族宗教事务局",
    "medical_insurance": "医疗保障局",
    "education": "教育体育局",
    "public_security": "公安分局",
    "justice": "司法局",
    "human_resources": "人力资源和社会保障局",
    "health": "卫生健康局",
}
NEED_SERVICE = {
    "medical_insurance": ("医保参保登记与报销咨询", "参保登记、异地就医备案、报销咨询。"),
    "registration_help": ("流动人口登记、咨询与转介", "自愿登记、政策咨询、转介到相关部门。"),
    "school_place": ("随迁子女入学咨询与报名", "随迁子女义务教育入学政策咨询与报名。"),
    "residence_permit": ("居住证申领与签注", "居住证申领、签注与信息变更。"),
    "legal_aid": ("法律援助与矛盾纠纷调解", "法律咨询、法律援助申请、人民调解。"),
    "employment": ("就业登记、岗位推荐与职业培训", "就业失业登记、岗位推荐、技能培训报名。"),
    "health_care": ("基本医疗、预防接种与健康体检", "常见病诊疗、儿童预防接种、健康体检。"),
    "community_life": ("民族团结进步活动与节庆", "百家宴、我们共同的节日等社区活动。"),
}


@dataclass
class LocationInput:
    name: str
    kind: str
    community_code: str
    latitude: float
    longitude: float
    address: str
    phone: str = ""
    description: str = ""
    transportation: str = ""
    languages: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    published: bool = True
    organization_id: str = ""


def location_input_clean(data: LocationInput) -> dict[str, Any]:
    """Validate one point's details; InvalidInput names the first problem. Writes nothing."""
    name = data.name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(
            _("Give a name of 1 to %(n)d characters.") % {"n": MAX_NAME}, code="location.name"
        )
    if data.kind not in Kind.values:
        raise InvalidInput(
            _("“%(kind)s” is not a kind of service point.") % {"kind": str(data.kind)[:40]},
            code="location.kind",
        )
    code = data.community_code.strip()
    if not (code.isascii() and code.isdigit() and len(code) == 12):
        raise InvalidInput(
            _("Choose a community or village (a 12-digit code)."), code="location.community"
        )
    lat, lon = validate_point(float(data.latitude), float(data.longitude))
    address = data.address.strip()
    if not address or len(address) > 300:
        raise InvalidInput(_("Give the address (1 to 300 characters)."), code="location.address")
    phone = data.phone.strip()
    if phone and not _PHONE.match(phone):
        raise InvalidInput(
            _("“%(phone)s” is not a telephone number.") % {"phone": phone[:30]},
            code="location.phone",
        )
    unknown = sorted(set(data.languages) - set(LANGUAGES))
    if unknown:
        raise InvalidInput(
            _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)[:60]},
            code="location.languages",
        )
    unknown = sorted(set(data.accessibility) - set(Access.values))
    if unknown:
        raise InvalidInput(
            _("Unknown accessibility provision: %(codes)s.") % {"codes": ", ".join(unknown)[:60]},
            code="location.accessibility",
        )
    return {
        "name": name,
        "kind": data.kind,
        "area_id": code,
        "latitude": round(lat, 6),
        "longitude": round(lon, 6),
        "address": address,
        "phone": phone,
        "description": data.description.strip()[:2000],
        "transportation": data.transportation.strip()[:300],
        "languages": sorted(set(data.languages)),
        "accessibility": sorted(set(data.accessibility)),
        "published": bool(data.published),
    }


def _community(code: str) -> AdministrativeArea:
    area = AdministrativeArea.objects.filter(code=code, level=Level.VILLAGE).first()
    if area is None:
        raise NotFound(_("There is no community with the code %(code)s.") % {"code": code})
    return area


def default_organization(kind: str, community: AdministrativeArea) -> Organization:
    """The county's organization that runs points of this kind (unsaved if it is new)."""
    department = Department.objects.get(code=KIND_DEPARTMENT[kind])
    county_code = community.code[:6]
    existing = (
        Organization.objects.select_related("department")
        .filter(area_id=county_code, department=department)
        .order_by("created_at")
        .first()
    )
    if existing is not None:
        return existing
    county = AdministrativeArea.objects.get(code=county_code)
    return Organization(
        name=f"{county.short_name}{DEPARTMENT_SUFFIX[department.code]}",
        area=county,
        department=department,
        description=_("Runs the %(kind)s points of %(county)s.")
        % {"kind": Kind(kind).label, "county": county.short_name},
    )


def _ensure_services(organization: Organization, kind: str) -> list[Service]:
    """The organization's services meeting the needs this kind of point serves (made if missing)."""
    needs = [need for need, kinds in NEED_KINDS.items() if kind in kinds]
    existing = {
        s.need: s for s in Service.objects.filter(organization=organization, need__in=needs)
    }
    for need in needs:
        if need not in existing:
            name, description = NEED_SERVICE[need]
            existing[need] = Service.objects.create(
                organization=organization, name=name, description=description, need=need
            )
    return [existing[need] for need in needs]


def _resolve_organization(
    actor: User, organization_id: str, kind: str, community: AdministrativeArea
) -> Organization:
    if organization_id.strip():
        try:
            key = uuid.UUID(organization_id.strip())
        except ValueError as exc:
            raise InvalidInput(_("The organization id is not valid."), code="location.org") from exc
        organization = Organization.objects.select_related("department").filter(pk=key).first()
        if organization is None:
            raise InvalidInput(_("There is no such organization."), code="location.org")
        return organization
    return default_organization(kind, community)


def _write_details(location: Location, values: dict[str, Any]) -> None:
    """Replace the point's address, phone, languages and accessibility with ``values``."""
    Address.objects.filter(location=location).delete()
    Address.objects.create(
        location=location,
        address_1=values["address"],
        region=AdministrativeArea.objects.get(code=location.area_id[:6]).short_name,
    )
    Phone.objects.filter(location=location).delete()
    if values["phone"]:
        Phone.objects.create(location=location, number=values["phone"])
    Language.objects.filter(location=location).exclude(code__in=values["languages"]).delete()
    have = set(Language.objects.filter(location=location).values_list("code", flat=True))
    Language.objects.bulk_create(
        [Language(location=location, code=c) for c in values["languages"] if c not in have]
    )
    Accessibility.objects.filter(location=location).exclude(
        provision__in=values["accessibility"]
    ).delete()
    have = set(Accessibility.objects.filter(location=location).values_list("provision", flat=True))
    Accessibility.objects.bulk_create(
        [
            Accessibility(location=location, provision=p)
            for p in values["accessibility"]
            if p not in have
        ]
    )


def _snapshot(location: Location) -> dict[str, Any]:
    address = location.addresses.first()
    phone = location.phones.first()
    return {
        "name": location.name,
        "kind": location.kind,
        "area_id": location.area_id,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "description": location.description,
        "transportation": location.transportation,
        "published": location.published,
        "address": address.address_1 if address else "",
        "phone": phone.number if phone else "",
        "languages": sorted(location.languages.values_list("code", flat=True)),
        "accessibility": sorted(location.accessibility.values_list("provision", flat=True)),
    }


SCALAR_FIELDS = (
    "name",
    "kind",
    "latitude",
    "longitude",
    "description",
    "transportation",
    "published",
)


@transaction.atomic
def location_create(*, actor: User, data: LocationInput) -> Location:
    """Add a service point in the actor's jurisdiction, with the services its kind offers."""
    values = location_input_clean(data)
    community = _community(values["area_id"])
    organization = _resolve_organization(actor, data.organization_id, values["kind"], community)
    location = Location(
        organization=organization, area=community, **{k: values[k] for k in SCALAR_FIELDS}
    )
    if not points.can(actor, DIRECTORY_MANAGE, location):
        raise NotAllowed(
            _("You can add service points in your own area (and department) only."),
            code="location.not_your_area",
        )
    if organization._state.adding:
        organization.save()
        audit.record(
            actor=actor,
            action="directory.organization_created",
            target=organization,
            area_code=organization.area_id,
            changes={
                "name": organization.name,
                "department": organization.department.code if organization.department else None,
            },
        )
    location.save()
    _write_details(location, values)
    ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(service=s, location=location)
            for s in _ensure_services(organization, location.kind)
        ]
    )
    audit.record(
        actor=actor,
        action="directory.location_created",
        target=location,
        area_code=location.area_id,
        changes=audit.field_changes(
            {}, {k: v for k, v in values.items() if v not in ("", [], None)}
        ),
    )
    return location


def location_for_manage(
    *, actor: Any, location_id: str | uuid.UUID, lock: bool = False
) -> Location:
    """A point the actor may manage, or NotFound (the same for missing and out of scope)."""
    try:
        key = location_id if isinstance(location_id, uuid.UUID) else uuid.UUID(str(location_id))
    except ValueError as exc:
        raise NotFound(NotFound.default_message()) from exc
    queryset = Location.objects.select_related("organization__department", "area")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return points.get_for_actor(actor, DIRECTORY_MANAGE, queryset, pk=key)


@transaction.atomic
def location_update(*, actor: User, location_id: str | uuid.UUID, data: LocationInput) -> Location:
    """Change a point's details. Moving it to another community stays within the actor's area."""
    location = location_for_manage(actor=actor, location_id=location_id, lock=True)
    values = location_input_clean(data)
    before = _snapshot(location)
    if values["area_id"] != location.area_id:
        location.area = _community(values["area_id"])
    if values["kind"] != location.kind:
        raise InvalidInput(
            _("The kind of a point cannot change: add a new point instead."),
            code="location.kind_fixed",
        )
    for name in SCALAR_FIELDS:
        setattr(location, name, values[name])
    if not points.can(actor, DIRECTORY_MANAGE, location):
        raise NotAllowed(
            _("You can move a point within your own area only."), code="location.not_your_area"
        )
    location.save()
    _write_details(location, values)
    changes = audit.field_changes(before, _snapshot(location))
    audit.record(
        actor=actor,
        action="directory.location_updated",
        target=location,
        area_code=location.area_id,
        changes=changes,
    )
    return location


@transaction.atomic
def location_hours_set(
    *, actor: User, location_id: str | uuid.UUID, rules_text: str
) -> list[Schedule]:
    """Replace a point's regular opening hours with the parsed ``rules_text``."""
    location = location_for_manage(actor=actor, location_id=location_id, lock=True)
    rules = hours_rules.parse_rules(rules_text)
    before = hours_rules.rules_text(rules_of(location))
    location.schedules.all().delete()
    schedules = Schedule.objects.bulk_create(
        [
            Schedule(
                location=location,
                weekdays=list(rule.weekdays),
                opens_at=rule.opens_at,
                closes_at=rule.closes_at,
                by_appointment=rule.by_appointment,
            )
            for rule in rules
        ]
    )
    location.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="directory.hours_set",
        target=location,
        area_code=location.area_id,
        changes=audit.field_changes({"hours": before}, {"hours": hours_rules.rules_text(rules)}),
    )
    return schedules


@transaction.atomic
def closure_add(
    *,
    actor: User,
    location_id: str | uuid.UUID,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
) -> Closure:
    """Close a point on these days (a holiday, a temporary closure); overlaps are refused."""
    location = location_for_manage(actor=actor, location_id=location_id, lock=True)
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise InvalidInput(
            _("Say why the point is closed (1 to 200 characters)."), code="closure.reason"
        )
    if (ends_on - starts_on).days >= MAX_CLOSURE_DAYS:
        raise InvalidInput(
            _("A closure lasts at most a year; for longer, unpublish the point."),
            code="closure.long",
        )
    existing = [
        hours_rules.ClosedDays(c.starts_on, c.ends_on, c.reason) for c in location.closures.all()
    ]
    hours_rules.validate_closures([*existing, hours_rules.ClosedDays(starts_on, ends_on, reason)])
    closure = Closure.objects.create(
        location=location, starts_on=starts_on, ends_on=ends_on, reason=reason
    )
    location.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="directory.closure_added",
        target=location,
        area_code=location.area_id,
        changes={"starts_on": starts_on, "ends_on": ends_on, "reason": reason},
    )
    return closure


@transaction.atomic
def closure_remove(
    *, actor: User, location_id: str | uuid.UUID, closure_id: str | uuid.UUID
) -> None:
    """Reopen: remove one closure of a point the actor manages."""
    location = location_for_manage(actor=actor, location_id=location_id, lock=True)
    try:
        key = uuid.UUID(str(closure_id))
    except ValueError as exc:
        raise NotFound(NotFound.default_message()) from exc
    closure = Closure.objects.filter(location=location, pk=key).first()
    if closure is None:
        raise NotFound(NotFound.default_message())
    closure.delete()
    location.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="directory.closure_removed",
        target=location,
        area_code=location.area_id,
        changes={
            "starts_on": closure.starts_on,
            "ends_on": closure.ends_on,
            "reason": closure.reason,
        },
    )
