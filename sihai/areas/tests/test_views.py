"""The workbench area browser, seen by personas at each level."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

NOT_FOUND_ZH = "您要找的页面或记录不存在。"


@pytest.mark.django_db
def test_a_district_officer_sees_subdistricts_with_counts(client_as: Callable[..., Client]) -> None:
    response = client_as("wuhua_officer").get("/workbench/areas/530102/")
    assert response.status_code == 200
    rows = {row.area.code: row for row in response.context["rows"]}
    assert len(rows) == 11  # Wuhua has 11 subdistrict-level units in the 2023 codes
    huashan = rows["530102001"]
    assert huashan.counts["villages"] == 10
    # huashan_officer and cuihu_worker hold roles inside Huashan.
    assert huashan.counts["staff"] == 2
    assert "townships" not in huashan.counts  # a subdistrict never contains subdistricts
    assert "华山街道" in response.content.decode()


@pytest.mark.django_db
def test_the_city_view_counts_every_level_below(client_as: Callable[..., Client]) -> None:
    response = client_as("city_officer").get("/workbench/areas/5301/")
    rows = response.context["rows"]
    assert len(rows) == 14
    assert sum(r.counts["townships"] for r in rows) == 150
    assert sum(r.counts["villages"] for r in rows) == 1738
    wuhua = next(r for r in rows if r.area.code == "530102")
    # wuhua_officer, edu_wuhua, huashan_officer, cuihu_worker.
    assert wuhua.counts["staff"] == 4


@pytest.mark.django_db
def test_index_takes_a_single_jurisdiction_straight_to_its_area(
    client_as: Callable[..., Client],
) -> None:
    response = client_as("cuihu_worker").get("/workbench/areas/")
    assert response.status_code == 302
    assert response["Location"] == "/workbench/areas/530102001001/"


@pytest.mark.django_db
@pytest.mark.parametrize("outside", ["530102", "5301", "530102001003", "530103004001"])
def test_out_of_scope_answers_exactly_like_missing(
    client_as: Callable[..., Client], outside: str
) -> None:
    client = client_as("cuihu_worker")
    hidden = client.get(f"/workbench/areas/{outside}/")
    missing = client.get("/workbench/areas/530102001999/")
    assert hidden.status_code == missing.status_code == 404

    def normalised(body: bytes) -> str:
        # Only the echoed path and the per-response CSRF mask may differ.
        text = body.decode().replace("530102001999", "").replace(outside, "")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert normalised(hidden.content) == normalised(missing.content)
    assert NOT_FOUND_ZH in hidden.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["abc", "53010", "5301020010011", "1" * 300, "%E4%BA%94"])
def test_a_malformed_code_gets_a_clear_404_in_the_users_language(
    client_as: Callable[..., Client], bad: str
) -> None:
    zh = client_as("wuhua_officer").get(f"/workbench/areas/{bad}/")
    assert zh.status_code == 404
    assert "不是区划代码" in zh.content.decode()
    en = client_as("wuhua_officer", language="en").get(f"/workbench/areas/{bad}/")
    assert en.status_code == 404
    assert "is not an area code: codes are 4, 6, 9 or 12 digits" in en.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/workbench/areas/5301/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_community_page_says_nothing_lies_below(client_as: Callable[..., Client]) -> None:
    response = client_as("cuihu_worker", language="en").get("/workbench/areas/530102001001/")
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "nothing lies below it" in response.content.decode()
    # The path shows the ancestors as text only: they are outside the worker's scope.
    path = response.context["path"]
    assert [(a.code, reachable) for a, reachable in path] == [
        ("5301", False),
        ("530102", False),
        ("530102001", False),
        ("530102001001", True),
    ]


@pytest.mark.django_db
def test_area_browser_queries_do_not_grow_with_children(
    client_as: Callable[..., Client], django_assert_max_num_queries: Callable[..., object]
) -> None:
    client = client_as("city_officer")
    with django_assert_max_num_queries(12):  # type: ignore[attr-defined]
        client.get("/workbench/areas/5301/")
