"""The metrics API gives the dashboards' figures, scoped and suppressed identically."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from sihai.accounts.authentication import token_create
from sihai.accounts.models import User
from sihai.reporting.figures import dashboard_for_actor
from sihai.reporting.periods import parse_period
from sihai.reporting.rollups import rollups_update
from sihai.residents.factories import resident_in

CUIHU = "530102001001"
CUIHU_EAST = "530102001002"

pytestmark = pytest.mark.django_db


def staff(user: User) -> Client:
    token = token_create(user=user, name="test").plaintext
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def figures() -> None:
    for _ in range(3):
        resident_in(CUIHU)
    for _ in range(40):
        resident_in(CUIHU_EAST)
    rollups_update()


def test_the_registry_is_listed() -> None:
    body = Client().get("/api/v1/metrics/indicators").json()
    codes = {i["code"] for i in body}
    assert {"residents.registered", "directory.points", "directory.circle_communities"} <= codes
    registered = next(i for i in body if i["code"] == "residents.registered")
    assert registered["unit"] == "people"
    assert registered["stock"] is True


def test_same_figures_as_the_dashboard(persona: Callable[[str], User], figures: None) -> None:
    officer = persona("huashan_officer")
    body = (
        staff(officer)
        .get("/api/v1/metrics/areas/530102001", {"indicator_code": "residents.registered"})
        .json()
    )
    figure = body["figures"][0]
    cells = {c["area"]: c for c in figure["cells"]}
    assert cells[CUIHU]["value"] is None
    assert cells[CUIHU]["suppressed"] == "small"
    # The 40 is hidden too: the total would give the 3 away.
    assert cells[CUIHU_EAST]["value"] is None
    assert cells[CUIHU_EAST]["suppressed"] == "complementary"
    board = dashboard_for_actor(
        actor=officer, code="530102001", period=parse_period(""), only=["residents.registered"]
    )
    table = board.views[0].table
    assert table is not None
    assert figure["total"]["value"] == table.total.measure.value == 43
    assert body["k"] == 10


def test_the_community_of_three_is_suppressed_on_its_own(
    persona: Callable[[str], User], figures: None
) -> None:
    body = staff(persona("cuihu_worker")).get(f"/api/v1/metrics/areas/{CUIHU}").json()
    registered = next(f for f in body["figures"] if f["indicator"] == "residents.registered")
    assert registered["total"]["value"] is None
    assert "Fewer than 10 people" in registered["total"]["reason"]
    ethnic = next(f for f in body["figures"] if f["indicator"] == "residents.ethnic_group")
    assert ethnic["refused"] == "level"


def test_the_neighbour_shown_in_full_elsewhere_stays_hidden_on_its_own_page(
    persona: Callable[[str], User], figures: None
) -> None:
    # The subdistrict's table hid the 40 as a complement: its own page must too.
    body = (
        staff(persona("city_officer"))
        .get(f"/api/v1/metrics/areas/{CUIHU_EAST}", {"indicator_code": "residents.registered"})
        .json()
    )
    assert body["figures"][0]["total"]["value"] is None


@pytest.mark.parametrize(
    ("username", "code"),
    [("wuhua_officer", "5301"), ("wuhua_officer", "530103"), ("cuihu_worker", "530102001")],
)
def test_outside_scope_is_404(persona: Callable[[str], User], username: str, code: str) -> None:
    response = staff(persona(username)).get(f"/api/v1/metrics/areas/{code}")
    assert response.status_code == 404


def test_bad_input(persona: Callable[[str], User]) -> None:
    client = staff(persona("city_officer"))
    future = client.get("/api/v1/metrics/areas/5301", {"period": "2099-02"})
    assert (future.status_code, future.json()["code"]) == (400, "period.future")
    unknown = client.get("/api/v1/metrics/areas/5301", {"indicator_code": "nope"})
    assert (unknown.status_code, unknown.json()["code"]) == (400, "indicator.unknown")
    assert client.get("/api/v1/metrics/areas/99").status_code == 404
    assert Client().get("/api/v1/metrics/areas/5301").status_code == 401


def test_rollups_give_the_figures_a_full_scan_gives(
    persona: Callable[[str], User], figures: None
) -> None:
    from sihai.reporting.rollups import full_scan  # noqa: PLC0415

    client = staff(persona("city_officer"))
    fast = client.get("/api/v1/metrics/areas/5301", {"period": "2026"}).json()
    with full_scan():
        slow = client.get("/api/v1/metrics/areas/5301", {"period": "2026"}).json()
    assert fast == slow
    registered = next(f for f in fast["figures"] if f["indicator"] == "residents.registered")
    assert registered["total"]["value"] == 43


def _registered_in(community: str, n: int, when: str) -> None:
    import datetime  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    from sihai.residents.models import Resident  # noqa: PLC0415

    moment = timezone.make_aware(datetime.datetime.fromisoformat(when))
    ids = [resident_in(community).pk for _ in range(n)]
    Resident.objects.filter(pk__in=ids).update(created_at=moment)


def test_a_year_hides_what_one_of_its_months_hid(persona: Callable[[str], User]) -> None:
    _registered_in(CUIHU, 3, "2025-03-10T10:00")
    _registered_in(CUIHU, 40, "2025-06-10T10:00")
    _registered_in(CUIHU_EAST, 50, "2025-06-10T10:00")
    rollups_update()
    client = staff(persona("huashan_officer"))
    query = {"indicator_code": "residents.registrations"}
    march = client.get("/api/v1/metrics/areas/530102001", {**query, "period": "2025-03"}).json()
    june = client.get("/api/v1/metrics/areas/530102001", {**query, "period": "2025-06"}).json()
    year = client.get("/api/v1/metrics/areas/530102001", {**query, "period": "2025"}).json()

    def total(body: dict[str, object], area: str) -> object:
        figure = body["figures"][0]  # type: ignore[index]
        return next(
            c["value"]
            for c in figure["cells"]
            if c["area"] == area and c["category"] == "__total__"
        )

    assert total(march, CUIHU) is None  # 3 people
    assert total(june, CUIHU) == 40
    # 43 for the year, less the 40 of June, would give March's 3 away: hidden too.
    assert total(year, CUIHU) is None


def test_a_trend_shows_each_month_as_its_own_page_does(persona: Callable[[str], User]) -> None:
    _registered_in(CUIHU, 3, "2025-06-10T10:00")  # Wuhua: 3
    _registered_in("530103004001", 40, "2025-06-10T10:00")  # Panlong: 40
    rollups_update()
    query = {"indicator_code": "residents.registrations"}
    city = (
        staff(persona("city_officer"))
        .get("/api/v1/metrics/areas/5301", {**query, "period": "2025-06"})
        .json()["figures"][0]
    )
    panlong = next(
        c for c in city["cells"] if c["area"] == "530103" and c["category"] == "__total__"
    )
    assert panlong["value"] is None  # the complement of Wuhua's 3
    own = (
        staff(persona("panlong_officer"))
        .get("/api/v1/metrics/areas/530103", {**query, "period": "2025-12"})
        .json()["figures"][0]
    )
    june = next(t for t in own["trend"] if t["month"] == "2025-06")
    assert june["value"] is None
    assert june["suppressed"] == "complementary"


def test_ethnic_groups_only_consented_only_district_and_above(
    persona: Callable[[str], User],
) -> None:
    from sihai.residents.models import Consent  # noqa: PLC0415

    def declared(community: str, n: int, *, consent: bool) -> None:
        for _ in range(n):
            resident = resident_in(community)
            resident.ethnicity = "03"
            resident.save()
            if consent:
                Consent.objects.create(
                    resident=resident, purpose="sensitive_categories", channel="portal"
                )

    declared(CUIHU, 12, consent=True)
    declared(CUIHU_EAST, 2, consent=False)  # declared without the separate consent: not counted
    declared("530103004001", 3, consent=True)
    query = {"indicator_code": "residents.ethnic_group"}
    city = staff(persona("city_officer")).get("/api/v1/metrics/areas/5301", query).json()
    figure = city["figures"][0]
    column = next(c for c in figure["cells"] if c["area"] == "5301" and c["category"] == "03")
    assert column["value"] == 15
    cells = {c["area"]: c for c in figure["cells"] if c["category"] == "03"}
    assert cells["530103"]["suppressed"] == "small"
    assert cells["530102"]["suppressed"] == "complementary"  # 15 − 12 would give the 3 away
    wuhua = staff(persona("wuhua_officer")).get("/api/v1/metrics/areas/530102", query).json()
    assert wuhua["figures"][0]["total"]["value"] is None  # hidden on the city table: hidden here
    huashan = staff(persona("huashan_officer")).get("/api/v1/metrics/areas/530102001", query)
    assert huashan.json()["figures"][0]["refused"] == "level"
