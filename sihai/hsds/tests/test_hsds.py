"""Every /hsds/ response validates against the official HSDS 3.0 compiled schemas.

The schemas are copies in ``fixtures/hsds-3.0`` (CC BY-SA 4.0, see its README); formats
(uuid, uri, email, date-time) are checked, as a strict client would.
"""

from __future__ import annotations

import datetime
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from sihai.accounts.models import User
from sihai.directory import services
from sihai.directory.catalogue import need_term_id
from sihai.directory.factories import make_point
from sihai.directory.models import Location, Organization, Service, ServiceAtLocation

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hsds-3.0"
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
}


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(name: str, instance: Any) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def assert_page(body: dict[str, Any], item_schema: str) -> None:
    page = schema("openapi")["components"]["schemas"]["Page"]
    envelope = {"allOf": [page], "required": sorted(PAGE_KEYS | {"contents"})}
    assert_valid_inline(envelope, body)
    for item in body["contents"]:
        assert_valid(item_schema, item)


def assert_valid_inline(inline: dict[str, Any], instance: Any) -> None:
    errors = list(Draft202012Validator(inline).iter_errors(instance))
    assert errors == [], [e.message for e in errors[:5]]


@pytest.fixture
def city(db: None) -> dict[str, Location]:
    workstation = make_point(
        kind="workstation", community="530102001001", languages=["zh", "ii", "bca"]
    )
    insurance = make_point(
        kind="insurance_point", community="530102001002", hours="MO-SA 08:30-17:30"
    )
    clinic = make_point(
        kind="health_centre", community="530103004001", hours="MO-SU 08:00-17:30\nMO-SU 17:30-08:00"
    )
    make_point(kind="school", community="530102001003", published=False)
    services.closure_add(
        actor=User.objects.get(username="city_officer"),
        location_id=insurance.pk,
        starts_on=datetime.date(2099, 2, 6),
        ends_on=datetime.date(2099, 2, 13),
        reason="春节",
    )
    return {"workstation": workstation, "insurance": insurance, "clinic": clinic}


def get(url: str) -> Any:
    response = Client().get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_format_checkers_for_the_schemas_formats_are_active() -> None:
    assert {"uuid", "uri", "email", "date-time"} <= set(
        Draft202012Validator.FORMAT_CHECKER.checkers
    )


def test_index_describes_the_api(city: dict[str, Location]) -> None:
    body = get("/hsds/")
    inline = schema("openapi")["paths"]["/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    errors = list(
        Draft202012Validator(
            inline, format_checker=Draft202012Validator.FORMAT_CHECKER
        ).iter_errors(body)
    )
    assert errors == []
    assert body["version"] == "3.0"
    assert body["openapi_url"] == "http://testserver/hsds/openapi.json"
    assert set(get("/hsds/openapi.json")["paths"]) == {
        "/",
        "/services",
        "/services/{id}",
        "/organizations",
        "/organizations/{id}",
        "/service_at_locations",
        "/service_at_locations/{id}",
    }


def test_services_list_and_detail_validate(city: dict[str, Location]) -> None:
    body = get("/hsds/services")
    assert_page(body, "service_list")
    published = (
        Service.objects.filter(service_at_locations__location__published=True).distinct().count()
    )
    assert (body["total_items"], body["size"], body["total_pages"]) == (published, published, 1)
    assert (body["first_page"], body["last_page"], body["empty"]) == (True, True, False)
    for item in body["contents"]:
        detail = get(f"/hsds/services/{item['id']}")
        assert_valid("service", detail)
        assert (
            detail["attributes"][0]["taxonomy_term"]["code"]
            == Service.objects.get(pk=item["id"]).need
        )
    full = get("/hsds/services?full=true&per_page=2")
    assert_page(full, "service_list")
    for item in full["contents"]:
        assert_valid("service", item)


def test_services_filters(city: dict[str, Location]) -> None:
    term = need_term_id("medical_insurance")
    body = get(f"/hsds/services?taxonomy_term_id={term}")
    assert [s["name"] for s in body["contents"]] == [
        "医保参保登记与报销咨询",
        "医保参保登记与报销咨询",
    ]
    organization = Organization.objects.get(name="五华区医疗保障局")
    body = get(f"/hsds/services?organization_id={organization.pk}")
    assert [s["organization_id"] for s in body["contents"]] == [str(organization.pk)]
    assert get("/hsds/services?search=法律援助")["total_items"] == 1
    page = get("/hsds/services?per_page=2&page=2")
    assert (page["page_number"], page["size"], page["first_page"]) == (2, 2, False)
    beyond = get("/hsds/services?page=99")
    assert (beyond["size"], beyond["empty"], beyond["last_page"]) == (0, True, True)
    assert_page(beyond, "service_list")
    future = get("/hsds/services?modified_after=2099-01-01T00:00:00Z")
    assert future["total_items"] == 0
    past = get("/hsds/services?modified_after=2000-01-01")
    assert past["total_items"] == get("/hsds/services")["total_items"]
    Location.objects.filter(pk=city["clinic"].pk).update(
        updated_at=datetime.datetime(2098, 1, 1, tzinfo=datetime.UTC)
    )
    touched = get("/hsds/services?modified_after=2097-12-31T00:00:00%2B08:00")
    assert {s["name"] for s in touched["contents"]} == {
        "基本医疗、预防接种与健康体检",
        "医保参保登记与报销咨询",
    }
    for item in touched["contents"]:
        assert item["last_modified"] == "2098-01-01T00:00:00.000Z"


def test_organizations_validate(city: dict[str, Location]) -> None:
    body = get("/hsds/organizations")
    assert_page(body, "organization_list")
    assert body["total_items"] == 3  # the school's bureau has no published point
    for item in body["contents"]:
        assert_valid("organization", get(f"/hsds/organizations/{item['id']}"))
        assert_valid("organization", get(f"/hsds/organizations/{item['id']}?full_service=true"))
    full = get("/hsds/organizations?full=true&full_service=true")
    assert_page(full, "organization_list")
    for item in full["contents"]:
        assert_valid("organization", item)
    assert get("/hsds/organizations?search=医疗保障")["total_items"] == 1


def test_service_at_locations_validate(city: dict[str, Location]) -> None:
    body = get("/hsds/service_at_locations")
    assert_page(body, "service_at_location_list")
    expected = ServiceAtLocation.objects.filter(location__published=True).count()
    assert body["total_items"] == expected
    for item in body["contents"]:
        detail = get(f"/hsds/service_at_locations/{item['id']}")
        assert_valid("service_at_location", detail)
        # openapi.json names service.json for this path; the answer satisfies both.
        assert_valid("service", detail)
    full = get("/hsds/service_at_locations?full=true")
    assert_page(full, "service_at_location_list")
    for item in full["contents"]:
        assert_valid("service_at_location", item)
    clinic = next(
        get(f"/hsds/service_at_locations/{i['id']}")
        for i in body["contents"]
        if i["location_id"] == str(city["clinic"].pk)
    )
    night = [s for s in clinic["location"]["schedules"] if s["opens_at"] == "17:30+08:00"]
    assert night[0]["closes_at"] == "08:00+08:00"
    assert night[0]["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    insurance = next(
        get(f"/hsds/service_at_locations/{i['id']}")
        for i in body["contents"]
        if i["location_id"] == str(city["insurance"].pk)
    )
    assert (
        insurance["location"]["schedules"][0]["notes"] == "Closed 2099-02-06 to 2099-02-13 (春节)"
    )
    term = need_term_id("health_care")
    assert get(f"/hsds/service_at_locations?taxonomy_term_id={term}")["total_items"] == 1
    # The insurance point and the health centre both help with medical insurance.
    assert get("/hsds/service_at_locations?search=医保")["total_items"] == 2


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/hsds/services?page=0", 400, "hsds.invalid_page"),
        ("/hsds/services?per_page=100000", 400, "hsds.invalid_page"),
        ("/hsds/services?per_page=0", 400, "hsds.invalid_page"),
        ("/hsds/services?page=two", 400, "hsds.invalid_page"),
        ("/hsds/services?modified_after=yesterday", 400, "hsds.invalid_datetime"),
        ("/hsds/services?taxonomy_term_id=medical", 400, "hsds.invalid_id"),
        ("/hsds/services?organization_id=42", 400, "hsds.invalid_id"),
        ("/hsds/services?full=maybe", 400, "hsds.invalid"),
        ("/hsds/services?format=ndjson", 400, "hsds.format"),
        ("/hsds/services/not-a-uuid", 400, "hsds.invalid_id"),
        ("/hsds/organizations/123", 400, "hsds.invalid_id"),
        ("/hsds/service_at_locations/%27%20OR%201=1", 400, "hsds.invalid_id"),
        (f"/hsds/services/{uuid.UUID(int=0)}", 404, "hsds.not_found"),
        (f"/hsds/organizations/{uuid.UUID(int=1)}", 404, "hsds.not_found"),
        (f"/hsds/service_at_locations/{uuid.UUID(int=2)}", 404, "hsds.not_found"),
    ],
)
def test_bad_requests_get_clear_errors(
    city: dict[str, Location], url: str, status: int, code: str
) -> None:
    response = Client().get(url)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_unpublished_points_are_not_published(city: dict[str, Location]) -> None:
    school = Location.objects.get(kind="school")
    sal = ServiceAtLocation.objects.get(location=school)
    assert Client().get(f"/hsds/service_at_locations/{sal.pk}").status_code == 404
    assert Client().get(f"/hsds/services/{sal.service_id}").status_code == 404
    assert Client().post("/hsds/services").status_code == 405
