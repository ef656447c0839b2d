from __future__ import annotations

import io
import logging
from collections.abc import Callable

import pytest
from django.test import Client

from sihai.accounts.authentication import token_create
from sihai.accounts.models import User
from sihai.audit.models import AccessLogEntry, AuditEntry
from sihai.directory.factories import make_point
from sihai.directory.models import Closure, Location, Schedule

pytestmark = pytest.mark.django_db
ClientAs = Callable[..., Client]


def test_finder_walks_down_to_a_community_without_javascript() -> None:
    make_point(kind="insurance_point", community="530102001001", name="翠湖医保服务站")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    first = client.get("/services/", {"need": "medical_insurance", "district": "530102"})
    assert first.status_code == 200
    assert "华山街道" in first.content.decode()
    found = client.get(
        "/services/",
        {
            "need": "medical_insurance",
            "district": "530102",
            "township": "530102001",
            "community": "530102001001",
        },
    )
    page = found.content.decode()
    assert "翠湖医保服务站" in page
    assert "min walk" in page
    assert "Straight-line distance × 1.30 (detour factor), walked at 4.0 km/h." in page


def test_browser_location_is_posted_used_and_never_logged_or_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_point(kind="insurance_point", community="530102001001", name="翠湖医保服务站")
    before = (AuditEntry.objects.count(), AccessLogEntry.objects.count())
    with caplog.at_level(logging.INFO, logger="sihai.request"):
        response = Client().post(
            "/services/",
            {"need": "medical_insurance", "latitude": "25.046612", "longitude": "102.701234"},
        )
    assert response.status_code == 200
    assert "翠湖医保服务站" in response.content.decode()
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert "/services/" in logged
    assert "25.046612" not in logged
    assert "102.701234" not in logged
    assert "25.046612" not in response.content.decode()  # not even echoed back
    assert (AuditEntry.objects.count(), AccessLogEntry.objects.count()) == before
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("102.7", "25.04", "look swapped"),
        ("39.9", "116.4", "outside Kunming"),
        ("95", "102.7", "between -90 and 90"),
        ("north", "102.7", "Enter a number."),
    ],
)
def test_bad_positions_get_a_clear_message(latitude: str, longitude: str, message: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/services/", {"need": "medical_insurance", "latitude": latitude, "longitude": longitude}
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_point_page_shows_hours_languages_and_is_404_when_unpublished() -> None:
    point = make_point(languages=["zh", "ii"], hours="MO-FR 09:00-17:00\nFR 22:00-02:00")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/services/points/{point.pk}/").content.decode()
    assert "Monday–Friday 09:00–17:00" in page
    assert "Friday 22:00–02:00 (to the next morning)" in page
    assert "Yi (Nuosu)" in page
    draft = make_point(community="530102001002", published=False)
    assert Client().get(f"/services/points/{draft.pk}/").status_code == 404
    assert Client().get("/services/points/not-a-uuid/").status_code == 404


def test_worker_edits_hours_and_closes_a_point(client_as: ClientAs) -> None:
    point = make_point()
    client = client_as("cuihu_worker", "en")
    response = client.post(
        f"/workbench/directory/{point.pk}/hours/", {"rules": "MO-FR 09:00-17:00\nSA 22:00-01:00"}
    )
    assert response.status_code == 302
    assert Schedule.objects.filter(location=point).count() == 2
    bad = client.post(f"/workbench/directory/{point.pk}/hours/", {"rules": "weekdays nine to five"})
    assert "write days and hours like" in bad.content.decode()
    assert Schedule.objects.filter(location=point).count() == 2
    closed = client.post(
        f"/workbench/directory/{point.pk}/closures/",
        {"starts_on": "2027-02-06", "ends_on": "2027-02-13", "reason": "春节"},
    )
    assert closed.status_code == 302
    overlap = client.post(
        f"/workbench/directory/{point.pk}/closures/",
        {"starts_on": "2027-02-10", "ends_on": "2027-02-20", "reason": "装修"},
    )
    assert "overlaps the closure 2027-02-06 to 2027-02-13" in overlap.content.decode()
    assert Closure.objects.filter(location=point).count() == 1
    assert (
        client_as("xiaoba_worker").get(f"/workbench/directory/{point.pk}/hours/").status_code == 404
    )


def test_worker_adds_a_point_in_the_workbench(client_as: ClientAs) -> None:
    response = client_as("cuihu_worker").post(
        "/workbench/directory/new/",
        {
            "name": "翠湖西路社区一家亲工作站",
            "kind": "workstation",
            "community_code": "530102001001",
            "latitude": "25.0466",
            "longitude": "102.7011",
            "address": "翠湖西路 12 号",
            "languages": ["zh", "ii"],
            "published": "on",
        },
    )
    location = Location.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/workbench/directory/{location.pk}/hours/"
    refused = client_as("cuihu_worker", "en").post(
        "/workbench/directory/new/",
        {
            "name": "x",
            "kind": "workstation",
            "community_code": "530103004001",
            "latitude": "25.1",
            "longitude": "102.75",
            "address": "x",
        },
    )
    assert "in your own area (and department) only" in refused.content.decode()
    assert Location.objects.count() == 1


def test_import_page_lists_bad_cells(client_as: ClientAs) -> None:
    from openpyxl import Workbook  # noqa: PLC0415

    from sihai.directory.spreadsheet import COLUMNS  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(COLUMNS)
    sheet.append(
        ["", "点", "workstation", "530102001001", "abc", 102.7, "路", "", "", "", "", "yes"]
    )
    data = io.BytesIO()
    book.save(data)
    upload = io.BytesIO(data.getvalue())
    upload.name = "points.xlsx"
    response = client_as("cuihu_worker", "en").post(
        "/workbench/directory/import/", {"file": upload}
    )
    page = response.content.decode()
    assert "1 cells need fixing; nothing was imported." in page
    assert "“abc” is not a number." in page
    export = client_as("cuihu_worker").get("/workbench/directory/export.xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_coverage_and_placement_pages(client_as: ClientAs) -> None:
    make_point(kind="insurance_point", community="530102001001")
    page = (
        client_as("huashan_officer", "en")
        .get("/workbench/coverage/?kind=insurance_point")
        .content.decode()
    )
    assert "Straight-line distance × 1.30 (detour factor), walked at 4.0 km/h." in page
    assert "synthetic" in page
    placed = client_as("huashan_officer", "en").get(
        "/workbench/coverage/placement/?kind=school&budget=2"
    )
    assert "Exact (HiGHS)" in placed.content.decode()
    bad = client_as("huashan_officer", "en").get(
        "/workbench/coverage/placement/?kind=school&budget=500"
    )
    assert bad.status_code == 200
    assert client_as("cuihu_worker").get("/workbench/coverage/").status_code == 404


def test_api_nearest_points_and_coverage() -> None:
    point = make_point(kind="insurance_point", community="530102001001")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    body = client.post(
        "/api/v1/directory/nearest",
        {"need": "medical_insurance", "community_code": "530102001001", "limit": 3},
        content_type="application/json",
    ).json()
    assert [r["point"]["id"] for r in body["results"]] == [str(point.pk)]
    assert body["results"][0]["point"]["languages"] == ["zh"]
    for payload, code in [
        ({"need": "medical_insurance", "latitude": 102.7, "longitude": 25.0}, "geo.swapped"),
        ({"need": "medical_insurance", "latitude": 25.0, "longitude": 121.0}, "geo.outside_city"),
        ({"need": "unicorns", "latitude": 25.04, "longitude": 102.7}, "directory.unknown_need"),
        ({"kind": "casino", "community_code": "530102001001"}, "directory.unknown_kind"),
        ({"need": "medical_insurance"}, "directory.origin"),
    ]:
        response = client.post(
            "/api/v1/directory/nearest", payload, content_type="application/json"
        )
        assert (response.status_code, response.json()["code"]) == (400, code)
    listing = client.get("/api/v1/directory/points", {"kind": "insurance_point"}).json()
    assert (listing["total"], listing["results"][0]["id"]) == (1, str(point.pk))
    assert client.get("/api/v1/directory/points", {"per_page": 100000}).status_code == 400
    assert client.get("/api/v1/directory/points", {"kind": "casino"}).status_code == 400
    assert client.get("/api/v1/directory/points/nope").status_code == 404
    token = token_create(user=User.objects.get(username="huashan_officer"), name="t").plaintext
    report = client.get(
        "/api/v1/directory/coverage?kind=insurance_point", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert report["points"] == 1
    assert report["total"]["communities"] == len(report["communities"])
    assert report["districts"][0]["code"] == "530102"
    worker = token_create(user=User.objects.get(username="cuihu_worker"), name="t").plaintext
    denied = client.get("/api/v1/directory/coverage", HTTP_AUTHORIZATION=f"Bearer {worker}")
    assert denied.status_code == 404
