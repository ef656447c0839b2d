import pytest
from django.test import Client


@pytest.mark.django_db
def test_area_detail_with_path_and_children(client: Client) -> None:
    body = client.get("/api/v1/areas/530102001").json()
    assert body["code"] == "530102001"
    assert body["name"] == "华山街道"
    assert body["level"] == "township"
    assert body["parent_code"] == "530102"
    assert [a["code"] for a in body["path"]] == ["5301", "530102"]
    assert len(body["children"]) == 10
    assert body["children"][0]["short_name"] == "翠湖西路社区"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["99", "abcd", "1" * 40])
def test_a_malformed_code_is_a_400_with_a_coded_error(client: Client, bad: str) -> None:
    response = client.get(f"/api/v1/areas/{bad}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "area.invalid_code"
    assert "4, 6, 9 or 12 digits" in response.json()["message"]


@pytest.mark.django_db
def test_an_unknown_code_is_a_404_in_the_callers_language(client: Client) -> None:
    response = client.get("/api/v1/areas/530199", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 404
    assert response.json() == {"code": "area.not_found", "message": "不存在代码为 530199 的区划。"}
