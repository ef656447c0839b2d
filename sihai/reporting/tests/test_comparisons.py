"""Equalisation gaps: registered residents' published figures, entered, audited, compared."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sihai.accounts.authentication import token_create
from sihai.accounts.models import User
from sihai.audit.models import AuditEntry
from sihai.core.errors import InvalidInput, NotFound
from sihai.reporting.comparisons import (
    Comparison,
    ComparisonInput,
    comparison_delete,
    comparison_set,
)
from sihai.reporting.figures import dashboard_for_actor
from sihai.reporting.models import ComparisonFigure
from sihai.reporting.periods import parse_period
from sihai.reporting.rollups import rollups_update
from sihai.residents.factories import resident_in

pytestmark = pytest.mark.django_db
CUIHU_EAST = "530102001002"
XIAOBA = "530103004001"
INSURANCE = "applications.insurance_coverage"
LAST_YEAR = timezone.localdate().year - 1


def figure(area: str = "5301", value: str = "97.5", **changes: Any) -> ComparisonInput:
    fields: dict[str, Any] = {
        "indicator_code": INSURANCE,
        "area_code": area,
        "year": LAST_YEAR,
        "value": value,
        "source": "市医保局 统计公报",
    }
    fields.update(changes)
    return ComparisonInput(**fields)


@pytest.fixture
def registered() -> None:
    for _ in range(40):
        resident_in(CUIHU_EAST)
    for _ in range(12):
        resident_in(XIAOBA)
    rollups_update()


def _insurance(user: User, code: str) -> tuple[Comparison | None, float | None]:
    board = dashboard_for_actor(actor=user, code=code, period=parse_period(None))
    view = next(v for v in board.views if v.indicator.code == INSURANCE)
    return view.comparison, view.gap


def test_the_city_enters_a_figure_audited_and_every_dashboard_below_shows_the_gap(
    persona: Callable[[str], User], registered: None
) -> None:
    city = persona("city_officer")
    saved = comparison_set(actor=city, data=figure())
    assert (saved.value, saved.year, saved.entered_by) == (Decimal("97.5"), LAST_YEAR, city)
    entry = AuditEntry.objects.get(action="insight.comparison_set")
    assert (entry.target_id, entry.area_code, entry.changes["value"]) == (
        str(saved.pk),
        "5301",
        [None, "97.5"],
    )
    comparison, gap = _insurance(city, "5301")
    assert comparison is not None
    assert (comparison.value, comparison.area_code, gap) == (97.5, "5301", -97.5)  # none insured
    # A district without its own figure is compared with the city's.
    district, _gap = _insurance(persona("wuhua_officer"), "530102")
    assert district is not None
    assert district.area_code == "5301"
    # Its own figure, once entered, is nearer: it wins.
    comparison_set(actor=persona("wuhua_officer"), data=figure("530102", "98.1"))
    district, gap = _insurance(persona("wuhua_officer"), "530102")
    assert district is not None
    assert (district.area_code, district.value, gap) == ("530102", 98.1, -98.1)


def test_correcting_a_figure_keeps_one_row_and_audits_before_and_after(
    persona: Callable[[str], User],
) -> None:
    city = persona("city_officer")
    comparison_set(actor=city, data=figure(value="97.5"))
    comparison_set(actor=city, data=figure(value="96 %"))
    assert ComparisonFigure.objects.get().value == Decimal("96.0")
    last = AuditEntry.objects.filter(action="insight.comparison_set").order_by("-seq").first()
    assert last is not None
    assert last.changes["value"] == ["97.5", "96.0"]


def test_a_suppressed_migrant_figure_has_no_gap(persona: Callable[[str], User]) -> None:
    """With 3 residents the coverage is suppressed: the gap would give it away."""
    for _ in range(3):
        resident_in(XIAOBA)
    rollups_update()
    city = persona("city_officer")
    comparison_set(actor=city, data=figure())
    comparison, gap = _insurance(persona("lianmeng_officer"), "530103004")
    assert comparison is not None
    assert gap is None


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"indicator_code": "cases.received"}, "comparison.indicator"),
        ({"indicator_code": "nope"}, "comparison.indicator"),
        ({"area_code": "530102001"}, "comparison.area"),
        ({"area_code": "53x1"}, "comparison.area"),
        ({"year": 1999}, "comparison.year"),
        ({"year": timezone.localdate().year + 1}, "comparison.year"),
        ({"year": "last"}, "comparison.year"),
        ({"value": "101"}, "comparison.value"),
        ({"value": "-1"}, "comparison.value"),
        ({"value": "NaN"}, "comparison.value"),
        ({"value": "ninety"}, "comparison.value"),
        ({"source": "   "}, "comparison.source"),
        ({"source": "x" * 201}, "comparison.source"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    persona: Callable[[str], User], changes: dict[str, Any], code: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        comparison_set(actor=persona("city_officer"), data=figure(**changes))
    assert refused.value.code == code
    assert not ComparisonFigure.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="insight.comparison").exists()


@pytest.mark.parametrize(
    ("who", "area"),
    [
        ("panlong_officer", "530102"),  # another district
        ("wuhua_officer", "5301"),  # above the district
        ("huashan_officer", "530102"),  # a subdistrict may not enter figures
        ("cuihu_worker", "530102"),
        ("edu_wuhua", "530102"),
        ("auditadmin", "5301"),
        ("city_officer", "530199"),  # no such district
    ],
)
def test_out_of_scope_is_not_found_and_nothing_is_written(
    persona: Callable[[str], User], who: str, area: str
) -> None:
    with pytest.raises(NotFound):
        comparison_set(actor=persona(who), data=figure(area))
    assert not ComparisonFigure.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="insight.comparison").exists()


def test_removing_is_scoped_and_audited(persona: Callable[[str], User]) -> None:
    saved = comparison_set(actor=persona("city_officer"), data=figure())
    with pytest.raises(NotFound):
        comparison_delete(actor=persona("wuhua_officer"), comparison_id=saved.pk)
    with pytest.raises(NotFound):
        comparison_delete(actor=persona("city_officer"), comparison_id=saved.pk + 999)
    assert ComparisonFigure.objects.filter(pk=saved.pk).exists()
    comparison_delete(actor=persona("city_officer"), comparison_id=saved.pk)
    assert not ComparisonFigure.objects.exists()
    assert AuditEntry.objects.filter(action="insight.comparison_deleted").count() == 1


def test_the_page_the_dashboard_and_the_api_show_it(
    persona: Callable[[str], User], registered: None
) -> None:
    city = persona("city_officer")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(city)
    page = client.get("/workbench/insight/comparisons/")
    assert page.status_code == 200
    assert "户籍" in page.content.decode()
    bad = client.post(
        "/workbench/insight/comparisons/",
        {
            "indicator_code": INSURANCE,
            "area_code": "5301",
            "year": LAST_YEAR,
            "value": "120",
            "source": "公报",
        },
    )
    assert bad.status_code == 400
    assert 'value="公报"' in bad.content.decode()  # what was typed is kept
    assert not ComparisonFigure.objects.exists()
    saved = client.post(
        "/workbench/insight/comparisons/",
        {
            "indicator_code": INSURANCE,
            "area_code": "5301",
            "year": LAST_YEAR,
            "value": "97.5",
            "source": "市医保局 统计公报",
        },
    )
    assert saved.status_code == 302
    board = client.get("/workbench/insight/5301/").content.decode()
    assert "均等化差距" in board
    assert "-97.5" in board
    token = token_create(user=city, name="t").plaintext
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = api.get("/api/v1/metrics/areas/5301", {"indicator_code": INSURANCE}).json()
    (shown,) = body["figures"]
    assert shown["comparison"] == {
        "value": 97.5,
        "area": "5301",
        "year": LAST_YEAR,
        "source": "市医保局 统计公报",
        "gap": -97.5,
    }
    # No figure entered, no comparison.
    other = api.get("/api/v1/metrics/areas/5301", {"indicator_code": "cases.received"}).json()
    assert other["figures"][0]["comparison"] is None


def test_the_page_is_not_found_without_the_action(persona: Callable[[str], User]) -> None:
    client = Client()
    client.force_login(persona("huashan_officer"))
    assert client.get("/workbench/insight/comparisons/").status_code == 404
    saved = comparison_set(actor=persona("city_officer"), data=figure())
    gone = client.post(f"/workbench/insight/comparisons/{saved.pk}/remove/")
    assert gone.status_code == 404
    assert ComparisonFigure.objects.filter(pk=saved.pk).exists()


def test_the_export_carries_the_figure_and_the_gap(
    persona: Callable[[str], User], registered: None
) -> None:
    city = persona("city_officer")
    comparison_set(actor=city, data=figure())
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(city)
    response = client.get("/workbench/insight/5301/export.csv", {"indicator": INSURANCE})
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    lines = [line for line in text.splitlines() if "registered_residents" in line or "gap" in line]
    assert len(lines) == 2
    assert "97.5" in lines[0]
    assert "市医保局 统计公报" in lines[0]
    assert "-97.5" in lines[1]


def test_the_list_shows_only_the_officers_area(persona: Callable[[str], User]) -> None:
    from sihai.reporting.comparisons import comparisons_visible  # noqa: PLC0415

    comparison_set(actor=persona("city_officer"), data=figure())
    comparison_set(actor=persona("wuhua_officer"), data=figure("530102", "98.1"))
    comparison_set(actor=persona("panlong_officer"), data=figure("530103", "95.0"))
    assert {f.area_code for f in comparisons_visible(persona("wuhua_officer"))} == {"530102"}
    assert len(comparisons_visible(persona("city_officer"))) == 3
    assert comparisons_visible(persona("huashan_officer")) == []
