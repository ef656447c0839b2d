"""Insight in a real browser: a city officer drills down to a community and exports the view."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import Shot

pytestmark = pytest.mark.browser

DESK: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 360, "height": 740}
DEMO_PASSWORD = "Sihai-demo-2026"


def _signed_in(browser: Browser, server_url: str, *, javascript: bool = True) -> Page:
    context = browser.new_context(
        viewport=DESK, java_script_enabled=javascript, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.goto(server_url + "/accounts/login/")
    page.get_by_label("用户名").fill("city_officer")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page


def test_city_officer_drills_down_to_a_community_and_exports(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _signed_in(browser, server_url)
    page.get_by_role("navigation", name="功能").get_by_role("link", name="数据看板").click()
    expect(page.locator("h1")).to_contain_text("全市数据看板")
    # The chart is drawn (ECharts) and its table alternative is there too.
    registered = page.locator("section#residents\\.registered")
    expect(registered.locator(".chart")).to_be_visible()
    expect(registered.locator("table").first).to_contain_text("五华区")
    shot(page, "insight-city-1280")
    registered.get_by_role("link", name="五华区").click()
    expect(page.locator("h1")).to_contain_text("区县数据看板")
    page.locator("section#residents\\.registered").get_by_role("link", name="华山街道").click()
    expect(page.locator("h1")).to_contain_text("街道数据看板")
    page.locator("section#residents\\.registered").get_by_role("link", name="翠湖西路社区").click()
    expect(page.locator("h1")).to_contain_text("社区数据看板")
    breadcrumbs = page.get_by_role("navigation", name="逐级下钻")
    expect(breadcrumbs).to_contain_text("华山街道")
    # A community this small: figures suppressed, with the reason on the page.
    expect(page.locator("abbr.suppressed").first).to_be_visible()
    expect(page.locator(".legend")).to_contain_text("以免识别出个人")
    shot(page, "insight-community-suppressed-1280")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel").click()
    assert download.value.suggested_filename.startswith("sihai-530102001001-")
    assert download.value.suggested_filename.endswith(".xlsx")
    # Outside nothing: a future month is refused in words.
    page.goto(server_url + "/workbench/insight/5301/?period=2099-01")
    expect(page.get_by_role("alert")).to_contain_text("尚未到来")


def test_without_javascript_the_tables_carry_the_figures(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _signed_in(browser, server_url, javascript=False)
    page.goto(server_url + "/workbench/insight/530102/")
    registered = page.locator("section#residents\\.registered")
    expect(registered.locator(".chart")).to_be_hidden()
    expect(registered.locator("table").first).to_contain_text("华山街道")
    page.set_viewport_size(PHONE)
    shot(page, "insight-district-nojs-360")


def test_public_service_figures(browser: Browser, server_url: str, shot: Shot) -> None:
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.goto(server_url + "/transparency/")
    expect(page.locator("h1")).to_have_text("服务数据公开")
    expect(page.locator("main")).to_contain_text("登记居民")
    shot(page, "insight-transparency-360")


def test_city_officer_enters_a_registered_figure_and_sees_the_gap(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _signed_in(browser, server_url)
    page.goto(server_url + "/workbench/insight/5301/?indicator=applications.school_seat_share")
    page.get_by_role("link", name="户籍居民对比数字").click()
    expect(page.locator("h1")).to_have_text("户籍居民对比数字")
    expect(page.locator("table").first).to_contain_text("演示数据")
    # A year still to come is refused in words, and what was typed stays in the form.
    page.get_by_label("对比的比例指标").select_option("applications.school_seat_share")
    page.get_by_label("地区（市或区县）").select_option("530102")
    page.get_by_label("年份").fill("2099")
    page.get_by_label("户籍居民的比例（%）").fill("99.6")
    page.get_by_label("发布出处").fill("五华区教育体育局 统计公报")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".form-error").first).to_contain_text("年份")
    expect(page.get_by_label("发布出处")).to_have_value("五华区教育体育局 统计公报")
    page.get_by_label("年份").fill("2025")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("已保存")
    expect(page.locator("table").first).to_contain_text("99.6")
    shot(page, "insight-comparisons-1280")
    page.goto(server_url + "/workbench/insight/530102/?indicator=applications.school_seat_share")
    section = page.locator("section#applications\\.school_seat_share")
    expect(section.locator(".comparison")).to_contain_text("户籍居民：99.6 %")
    shot(page, "insight-gap-1280")
