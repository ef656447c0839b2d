"""Preferences (language, care mode), error pages and pages without the npm assets."""

from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from sihai.core.vendor import vendor_path


@pytest.mark.django_db
def test_the_portal_speaks_chinese_by_default(client: Client) -> None:
    body = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in body
    assert "欢迎来到昆明" in body


@pytest.mark.django_db
def test_switching_to_english_is_remembered_in_a_cookie(client: Client) -> None:
    response = client.post("/prefs/language", {"language": "en", "next": "/areas/5301/"})
    assert response.status_code == 302
    assert response["Location"] == "/areas/5301/"
    assert response.cookies["django_language"].value == "en"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Welcome to Kunming" in body


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["xx", "fr", "", "zh-hans'><script>", "en" * 100])
def test_an_unknown_language_is_refused_with_a_message_and_changes_nothing(
    client: Client, bad: str
) -> None:
    response = client.post("/prefs/language", {"language": bad}, follow=True)
    assert "django_language" not in client.cookies
    assert "该语言不可用" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_accept_language_falls_back_to_chinese(client: Client) -> None:
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="xx-YY,fr;q=0.8").content.decode()
    assert '<html lang="zh-Hans">' in body


@pytest.mark.django_db
def test_next_pointing_elsewhere_is_ignored(client: Client) -> None:
    response = client.post("/prefs/language", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_care_mode_is_remembered_per_browser(client: Client) -> None:
    response = client.post("/prefs/care-mode", {"enabled": "1"})
    assert response.cookies["sihai_care"].value == "1"
    assert 'class="portal care-mode"' in client.get("/").content.decode()
    client.post("/prefs/care-mode", {"enabled": "0"})
    assert 'class="portal"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_care_mode_refuses_other_values(client: Client) -> None:
    client.post("/prefs/care-mode", {"enabled": "2"})
    assert "sihai_care" not in client.cookies


def test_preferences_only_accept_post(client: Client) -> None:
    assert client.get("/prefs/language?language=en").status_code == 405
    assert client.get("/prefs/care-mode?enabled=1").status_code == 405


@pytest.mark.django_db
def test_the_404_page_is_in_the_users_language(client: Client) -> None:
    zh = client.get("/no-such-page/")
    assert zh.status_code == 404
    assert "您要找的页面或记录不存在。" in zh.content.decode()
    en = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert "The page or record you asked for does not exist." in en.content.decode()


@pytest.mark.django_db
def test_unknown_and_malformed_area_codes_on_the_portal(client: Client) -> None:
    assert client.get("/areas/530199/").status_code == 404
    response = client.get("/areas/12ab/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "“12ab” is not an area code" in response.content.decode()


@pytest.fixture
def no_vendor_assets(tmp_path: object) -> Iterator[None]:
    vendor_path.cache_clear()
    with override_settings(
        SIHAI_VENDOR_ASSETS={"htmx": "vendor/htmx/absent.js", "echarts": "vendor/echarts/absent.js"}
    ):
        yield
    vendor_path.cache_clear()


@pytest.mark.django_db
def test_pages_work_without_the_npm_assets(no_vendor_assets: None, client_as: object) -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert "<script" not in response.content.decode()
    worker = client_as("wuhua_officer")  # type: ignore[operator]
    assert worker.get("/workbench/areas/530102/").status_code == 200


@pytest.mark.django_db
def test_installed_assets_are_linked(client: Client) -> None:
    # `make test` installs the npm packages first, so they must be found and linked.
    vendor_path.cache_clear()
    assert vendor_path("htmx") == "vendor/htmx/htmx.min.js"
    assert (
        '<script src="/static/vendor/htmx/htmx.min.js" defer></script>'
        in client.get("/").content.decode()
    )


@pytest.mark.django_db
def test_vendor_files_come_only_from_node_modules(tmp_path: object) -> None:
    vendor_path.cache_clear()
    with override_settings(NODE_MODULES_DIR=tmp_path):
        assert vendor_path("htmx") is None
        assert vendor_path("echarts") is None
    vendor_path.cache_clear()
    assert vendor_path("no-such-library") is None
