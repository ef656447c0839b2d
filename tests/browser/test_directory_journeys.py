"""Service-directory journeys: a resident finds the nearest point; staff keep points and plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Shot
from tests.browser.test_journeys import DEMO_PASSWORD, DESK, PHONE, _no_horizontal_scroll

pytestmark = pytest.mark.browser


def _sign_in(page: Page, server_url: str, username: str) -> None:
    page.goto(server_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".jurisdiction")).to_be_visible()


def test_resident_without_javascript_finds_the_nearest_insurance_point(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(server_url + "/")
    page.get_by_role("link", name="查找服务阵地").click()
    page.get_by_label("您需要办什么？").select_option("medical_insurance")
    page.get_by_label("区/县").select_option(label="五华区")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("街道/乡镇").select_option(label="华山街道")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("社区/村").select_option(label="翠湖西路社区")
    page.get_by_role("button", name="查找最近的").click()
    results = page.locator("ol.results > li")
    expect(results).to_have_count(10)
    expect(results.first).to_contain_text("步行")
    expect(page.locator("#nearby-form")).to_be_hidden()  # "use my location" needs JavaScript
    _no_horizontal_scroll(page)
    shot(page, "directory-find-nojs-360")
    results.first.get_by_role("link").click()
    expect(page.locator("h2").first).to_have_text("开放时间")
    expect(page.locator("main")).to_contain_text("这里提供的服务")
    _no_horizontal_scroll(page)
    shot(page, "directory-point-360")
    context.close()


def test_resident_uses_their_location_once(browser: Browser, server_url: str, shot: Shot) -> None:
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        geolocation={"latitude": 25.0466, "longitude": 102.7011},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(server_url + "/services/")
    page.get_by_label("您需要办什么？").select_option("registration_help")
    page.get_by_role("button", name="使用我的位置").click()
    expect(page.locator("main")).to_contain_text("从您现在的位置算起。")
    expect(page.locator("ol.results > li")).to_have_count(10)
    assert "25.0466" not in page.url
    assert "25.0466" not in page.content()
    map_box = page.locator(".map")
    if page.evaluate("typeof window.L !== 'undefined'"):
        expect(map_box).to_be_visible()
        expect(page.locator(".leaflet-interactive")).to_have_count(10)
    _no_horizontal_scroll(page)
    shot(page, "directory-near-me-360")
    context.close()


def test_worker_sets_hours_and_an_officer_reads_the_circle(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    context = browser.new_context(viewport=DESK, locale="zh-CN")
    page = context.new_page()
    _sign_in(page, server_url, "cuihu_worker")
    page.get_by_role("link", name="服务阵地").first.click()
    page.get_by_role("link", name="翠湖西路社区一家亲工作站").click()
    page.get_by_role("link", name="开放时间").first.click()
    page.get_by_label("开放时间，每行一条").fill(
        "MO-FR 09:00-12:00\nMO-FR 14:30-18:00\nFR 19:00-01:00"
    )
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".message")).to_contain_text("开放时间已保存。")
    expect(page.locator("pre.changes")).to_contain_text("FR 19:00-01:00")
    shot(page, "directory-point-edit-1280")
    page.get_by_role("button", name="退出登录").click()

    _sign_in(page, server_url, "wuhua_officer")
    page.get_by_role("link", name="15分钟服务圈").first.click()
    expect(page.locator("main")).to_contain_text("直线距离 × 1.30（绕行系数）")
    expect(page.locator("main")).to_contain_text("合成数据")
    shot(page, "directory-coverage-1280")
    page.get_by_role("link", name="新阵地设在哪里？").click()
    page.get_by_role("button", name="提出建议").click()
    expect(page.locator("main")).to_contain_text("精确法（HiGHS）")
    expect(page.locator("main")).to_contain_text("Optimal")
    shot(page, "directory-placement-1280")
    context.close()
