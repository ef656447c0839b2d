"""Dashboards per level: scope, drill-down, suppression shown with its reason, bad input."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from sihai.accounts.models import User
from sihai.reporting.models import DailyRollup
from sihai.reporting.rollups import rollups_update
from sihai.residents.factories import resident_in

CUIHU = "530102001001"  # 翠湖西路社区, in 华山街道, 五华区
CUIHU_EAST = "530102001002"
XIAOBA = "530103004001"  # 盘龙区

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures() -> None:
    """3 residents in one community, 40 in its neighbour, 25 in another district."""
    for _ in range(3):
        resident_in(CUIHU)
    for _ in range(40):
        resident_in(CUIHU_EAST)
    for _ in range(25):
        resident_in(XIAOBA)
    rollups_update()


def signed_in(persona: Callable[[str], User], name: str) -> Client:
    client = Client()
    client.force_login(persona(name))
    return client


def month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def test_city_officer_sees_the_city_and_drills_down(
    persona: Callable[[str], User], figures: None
) -> None:
    client = signed_in(persona, "city_officer")
    response = client.get("/workbench/insight/")
    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/insight/5301/")
    page = client.get("/workbench/insight/5301/").content.decode()
    assert "五华区" in page
    assert "/workbench/insight/530102/" in page  # drill-down link
    assert "68" in page  # residents registered, city-wide
    district = client.get("/workbench/insight/530102/").content.decode()
    assert "/workbench/insight/530102001/" in district
    community = client.get(f"/workbench/insight/{CUIHU}/").content.decode()
    # The community of 3: suppressed, with the reason on the page.
    assert "Fewer than 10 people" in community or "少于 10 人" in community
    assert ">3<" not in community


def test_the_three_person_cell_is_suppressed_in_the_subdistrict_table(
    persona: Callable[[str], User], figures: None
) -> None:
    client = signed_in(persona, "huashan_officer")
    response = client.get("/workbench/insight/530102001/", {"indicator": "residents.registered"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="suppressed"' in page
    # 43 in the subdistrict; 40 would give the 3 away by subtraction, so it is hidden too.
    assert ">43<" not in page or ">40<" not in page


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("wuhua_officer", "5301"),  # above the district
        ("wuhua_officer", "530103"),  # the neighbouring district
        ("cuihu_worker", "530102001"),  # the worker's own subdistrict
        ("xiaoba_worker", CUIHU),  # another district's community
        ("auditadmin", "5301"),  # no insight at all
    ],
)
def test_outside_the_jurisdiction_is_not_found(
    persona: Callable[[str], User], username: str, code: str
) -> None:
    client = signed_in(persona, username)
    assert client.get(f"/workbench/insight/{code}/").status_code == 404
    assert client.get(f"/workbench/insight/{code}/export.csv").status_code == 404
    assert client.get(f"/workbench/insight/{code}/export.xlsx").status_code == 404


def test_a_missing_area_is_answered_like_one_outside_scope(persona: Callable[[str], User]) -> None:
    client = signed_in(persona, "city_officer")
    assert client.get("/workbench/insight/530199/").status_code == 404


def test_future_period_is_refused_clearly(persona: Callable[[str], User]) -> None:
    client = signed_in(persona, "city_officer")
    response = client.get(
        "/workbench/insight/5301/", {"period": "2099-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    response = client.get(
        "/workbench/insight/5301/", {"period": "2099-01"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "2099-01 尚未到来" in response.content.decode()


def test_nonsense_period_is_refused(persona: Callable[[str], User]) -> None:
    client = signed_in(persona, "city_officer")
    response = client.get("/workbench/insight/5301/", {"period": "last week"})
    assert response.status_code == 400


def test_a_period_with_no_data_says_so(persona: Callable[[str], User], figures: None) -> None:
    client = signed_in(persona, "city_officer")
    response = client.get(
        "/workbench/insight/5301/", {"period": "2021-03"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "No figures were recorded for 2021-03" in response.content.decode()


def test_csv_export_is_the_suppressed_figures(
    persona: Callable[[str], User], figures: None
) -> None:
    client = signed_in(persona, "huashan_officer")
    response = client.get(
        "/workbench/insight/530102001/export.csv", {"indicator": "residents.registered"}
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(body)))
    cuihu = [r for r in rows[1:] if r[4] == CUIHU]
    assert cuihu
    assert cuihu[0][8] == ""  # value withheld
    assert cuihu[0][10]  # with the reason
    assert not any(r[8] == "3" or r[8] == "3.0" for r in rows[1:])


def test_xlsx_export_has_a_definitions_sheet(persona: Callable[[str], User], figures: None) -> None:
    client = signed_in(persona, "city_officer")
    response = client.get("/workbench/insight/5301/export.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)  # type: ignore[attr-defined]
    assert book.sheetnames == ["Figures", "Trend", "Definitions", "Notes"]
    codes = [row[0] for row in book["Definitions"].iter_rows(min_row=2, values_only=True)]
    assert "residents.registered" in codes


def test_transparency_page_is_public_and_city_wide(figures: None) -> None:
    response = Client().get("/transparency/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Residents registered" in page
    assert "Service points" in page
    assert "Records erased" not in page  # only public service figures
    assert Client().get("/transparency/", {"period": "2099-01"}).status_code == 400


def test_dashboards_write_nothing(persona: Callable[[str], User], figures: None) -> None:
    before = DailyRollup.objects.count()
    signed_in(persona, "wuhua_officer").get("/workbench/insight/5301/")
    signed_in(persona, "wuhua_officer").get("/workbench/insight/530102/")
    assert DailyRollup.objects.count() == before


def test_the_public_page_links_to_no_staff_page(figures: None) -> None:
    page = Client().get("/transparency/").content.decode()
    assert "/workbench/" not in page.replace('href="/workbench/"', "")
