"""Directory objects → HSDS 3.0 JSON (the compiled schemas' field names and formats).

Rules the official schemas impose and this module keeps: every id is a UUID;
an optional field without a value is left out (the schemas allow no nulls);
``last_modified`` is an RFC 3339 date-time with milliseconds in UTC; opening
times are ``HH:MM`` with the UTC offset (``09:00+08:00``); country codes are
ISO 3166-1 alpha-2; language codes ISO 639-1 or 639-3. Arrays the schemas name
are present, possibly empty. Closures (which HSDS cannot express as such) are
stated in each schedule's ``notes``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from sihai.directory import hours
from sihai.directory.catalogue import LANGUAGES, NEED_NAMESPACE, Need, need_term_id
from sihai.directory.models import (
    WEEKDAY_CODES,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
)

TIMEZONE_OFFSET_HOURS = 8  # Asia/Shanghai has no daylight saving time
TAXONOMY_ID = uuid.uuid5(NEED_NAMESPACE, "sihai-needs-taxonomy")
Json = dict[str, Any]


def _put(obj: Json, key: str, value: Any) -> None:
    """Set ``key`` unless the value is empty: HSDS optional fields are absent, never null."""
    if value not in (None, ""):
        obj[key] = value


def date_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def clock(value: datetime.time) -> str:
    return f"{value:%H:%M}+{TIMEZONE_OFFSET_HOURS:02d}:00"


def need_term(need: str) -> Json:
    return {
        "id": str(need_term_id(need)),
        "code": need,
        "name": str(Need(need).label),
        "description": str(Need(need).label),
        "taxonomy": "Sihai needs",
        "taxonomy_id": str(TAXONOMY_ID),
        "taxonomy_detail": {
            "id": str(TAXONOMY_ID),
            "name": "Sihai needs",
            "description": "What a resident asks for; each service meets one need.",
        },
    }


def need_attribute(service: Service) -> Json:
    return {
        "id": str(uuid.uuid5(service.pk, "need")),
        "link_id": str(service.pk),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": str(need_term_id(service.need)),
        "taxonomy_term": need_term(service.need),
        "value": service.need,
        "metadata": [],
    }


def organization_brief(organization: Organization) -> Json:
    """The organization_list.json shape (and the nested "organization" of a service)."""
    obj: Json = {
        "id": str(organization.pk),
        "name": organization.name,
        "description": organization.description,
    }
    _put(obj, "alternate_name", organization.alternate_name)
    _put(obj, "email", organization.email)
    _put(obj, "website", organization.website)
    return obj


def schedule(item: Schedule, location: Location, closures_note: str) -> Json:
    rule = hours.Rule(tuple(item.weekdays), item.opens_at, item.closes_at, item.by_appointment)
    obj: Json = {
        "id": str(item.pk),
        "location_id": str(location.pk),
        "freq": "WEEKLY",
        "wkst": "MO",
        "interval": 1,
        "byday": ",".join(WEEKDAY_CODES[d] for d in item.weekdays),
        "opens_at": clock(item.opens_at),
        "closes_at": clock(item.closes_at),
        "timezone": TIMEZONE_OFFSET_HOURS,
        "description": rule.text(),
        "attributes": [],
        "metadata": [],
    }
    if item.valid_from:
        obj["valid_from"] = item.valid_from.isoformat()
    if item.valid_to:
        obj["valid_to"] = item.valid_to.isoformat()
    if item.by_appointment:
        obj["attending_type"] = "By appointment only"
    notes = "; ".join(n for n in (item.notes, closures_note) if n)
    _put(obj, "notes", notes)
    return obj


def _closures_note(location: Location) -> str:
    today = timezone.localdate()
    return "; ".join(
        f"Closed {c.starts_on.isoformat()} to {c.ends_on.isoformat()} ({c.reason})"
        for c in location.closures.all()
        if c.ends_on >= today
    )


def location_brief(location: Location) -> Json:
    """The nested "location" of a service_at_location list item."""
    obj: Json = {
        "id": str(location.pk),
        "location_type": "physical",
        "organization_id": str(location.organization_id),
        "name": location.name,
        "latitude": location.latitude,
        "longitude": location.longitude,
    }
    _put(obj, "alternate_name", location.alternate_name)
    return obj


def location_full(location: Location) -> Json:
    obj = location_brief(location)
    _put(obj, "description", location.description)
    _put(obj, "transportation", location.transportation)
    obj["external_identifier"] = location.area_id
    obj["external_identifier_type"] = "NBS statistical division code of the community"
    note = _closures_note(location)
    obj["languages"] = [
        {
            "id": str(lang.pk),
            "location_id": str(location.pk),
            "name": LANGUAGES.get(lang.code, (lang.code, lang.code))[1],
            "code": lang.code,
            "attributes": [],
            "metadata": [],
        }
        for lang in location.languages.all()
    ]
    obj["addresses"] = [
        {
            "id": str(a.pk),
            "location_id": str(location.pk),
            "address_1": a.address_1,
            "city": a.city,
            "region": a.region,
            "state_province": a.state_province,
            "postal_code": a.postal_code,
            "country": a.country,
            "address_type": "physical",
            "attributes": [],
            "metadata": [],
        }
        for a in location.addresses.all()
    ]
    obj["accessibility"] = [
        {
            "id": str(a.pk),
            "location_id": str(location.pk),
            "description": str(a.get_provision_display()),
            **({"details": a.details} if a.details else {}),
            "attributes": [],
            "metadata": [],
        }
        for a in location.accessibility.all()
    ]
    obj["phones"] = [
        {
            "id": str(p.pk),
            "location_id": str(location.pk),
            "number": p.number,
            "type": p.type,
            "languages": [],
            "attributes": [],
            "metadata": [],
        }
        for p in location.phones.all()
    ]
    obj["schedules"] = [schedule(s, location, note) for s in location.schedules.all()]
    obj["contacts"] = []
    obj["attributes"] = []
    obj["metadata"] = []
    return obj


def service_brief(service: Service, last_modified: datetime.datetime | None = None) -> Json:
    """The service_list.json shape."""
    obj: Json = {
        "id": str(service.pk),
        "organization_id": str(service.organization_id),
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "last_modified": date_time(last_modified or service.updated_at),
        "organization": organization_brief(service.organization),
    }
    _put(obj, "interpretation_services", service.interpretation_services)
    _put(obj, "fees_description", service.fees_description)
    _put(obj, "application_process", service.application_process)
    return obj


def service_at_location_brief(sal: ServiceAtLocation) -> Json:
    """The service_at_location_list.json shape."""
    obj: Json = {
        "id": str(sal.pk),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "location": location_brief(sal.location),
        "service": {
            "id": str(sal.service.pk),
            "name": sal.service.name,
            "status": sal.service.status,
        },
    }
    _put(obj, "description", sal.description)
    return obj


def service_at_location_full(sal: ServiceAtLocation, *, nested_service: bool = True) -> Json:
    obj = service_at_location_brief(sal)
    obj["location"] = location_full(sal.location)
    obj["contacts"] = []
    obj["phones"] = []
    obj["schedules"] = []
    obj["attributes"] = []
    obj["metadata"] = []
    if nested_service:
        obj["service"] = service_brief(sal.service)
    else:
        del obj["service"]
    return obj


def service_full(
    service: Service, sals: list[ServiceAtLocation], last_modified: datetime.datetime | None = None
) -> Json:
    """The service.json shape: the service with its locations, fully nested."""
    obj = service_brief(service, last_modified)
    obj.update(
        {
            "phones": [],
            "schedules": [],
            "service_areas": [],
            "service_at_locations": [
                service_at_location_full(sal, nested_service=False) for sal in sals
            ],
            "languages": [],
            "funding": [],
            "cost_options": [],
            "required_documents": [],
            "contacts": [],
            "attributes": [need_attribute(service)],
            "metadata": [],
        }
    )
    return obj


def organization_full(
    organization: Organization, services: list[Json], locations: list[Location]
) -> Json:
    obj = organization_brief(organization)
    obj.update(
        {
            "funding": [],
            "contacts": [],
            "phones": [],
            "locations": [location_full(location) for location in locations],
            "programs": [],
            "organization_identifiers": [],
            "attributes": [],
            "metadata": [],
            "services": services,
        }
    )
    return obj
