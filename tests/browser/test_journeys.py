"""The main journeys, in a real browser: a resident on a small phone, a worker at a desk."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import Shot

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}
DESK: ViewportSize = {"width": 1280, "height": 800}
DEMO_PASSWORD = "Sihai-demo-2026"

CONTRAST_JS = """
(selector) => {
  const parse = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const el = document.querySelector(selector);
  let bgEl = el, bg = 'rgba(0, 0, 0, 0)';
  while (bgEl && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
    bg = getComputedStyle(bgEl).backgroundColor; bgEl = bgEl.parentElement;
  }
  if (bg === 'rgba(0, 0, 0, 0)') bg = 'rgb(255, 255, 255)';
  const [l1, l2] = [lum(parse(getComputedStyle(el).color)), lum(parse(bg))].sort((a, b) => b - a);
  return (l1 + 0.05) / (l2 + 0.05);
}
"""


def _new_page(browser: Browser, viewport: ViewportSize, *, javascript: bool = True) -> Page:
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript, locale="zh-CN")
    return context.new_page()


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"  # type: ignore[index]


def test_resident_on_a_phone_finds_their_community_in_chinese(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, PHONE)
    page.goto(server_url + "/")
    expect(page.locator("h1")).to_have_text("欢迎来到昆明")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    _no_horizontal_scroll(page)
    shot(page, "portal-home-zh-360")
    page.get_by_role("link", name="我属于哪个社区？").click()
    page.get_by_role("link", name="五华区").click()
    page.get_by_role("link", name="华山街道").click()
    page.get_by_role("link", name="翠湖西路社区").click()
    expect(page.locator("h1")).to_have_text("翠湖西路社区")
    expect(page.locator(".breadcrumbs")).to_contain_text("昆明市")
    _no_horizontal_scroll(page)
    shot(page, "portal-community-zh-360")


def test_language_and_care_mode_are_remembered_and_work_without_javascript(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, PHONE, javascript=False)
    page.goto(server_url + "/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Welcome to Kunming")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Care mode").click()
    # The button posts a form: wait for its redirect to land before reloading,
    # or the reload races the navigation and finds no page attached.
    expect(page.locator("body")).to_have_class("portal care-mode")
    page.wait_for_load_state("load")
    page.reload()
    expect(page.locator("body")).to_have_class("portal care-mode")
    font_px = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.lead')).fontSize)"
    )
    assert font_px >= 24  # 18 pt
    for selector in (".tile", ".link-button"):
        height = page.evaluate(
            f"document.querySelector('{selector}').getBoundingClientRect().height"
        )
        assert height >= 60, selector
    _no_horizontal_scroll(page)
    shot(page, "portal-home-en-care-360")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("h1")).to_have_text("欢迎来到昆明")
    expect(page.locator("body")).to_have_class("portal care-mode")


def test_text_contrast_is_at_least_4_5_to_1(browser: Browser, server_url: str) -> None:
    page = _new_page(browser, PHONE)
    page.goto(server_url + "/")
    for selector in ("h1", ".lead", ".tile-title", ".tile-text", ".brand-name", ".portal-footer p"):
        ratio = page.evaluate(CONTRAST_JS, selector)
        assert ratio >= 4.5, f"{selector}: {ratio:.2f}"


def test_community_worker_signs_in_and_sees_only_their_jurisdiction(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, DESK)
    page.goto(server_url + "/workbench/")
    expect(page).to_have_url(server_url + "/accounts/login/?next=/workbench/")
    page.get_by_label("用户名").fill("cuihu_worker")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名、密码或验证码不正确")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".jurisdiction")).to_contain_text("翠湖西路社区")
    expect(page.locator(".jurisdiction")).to_contain_text("社区工作者")
    shot(page, "workbench-home-cuihu-1280")
    page.goto(server_url + "/workbench/areas/530102/")
    expect(page.locator("h1")).to_have_text("未找到")
    expect(page.locator("main")).to_contain_text("您要找的页面或记录不存在。")
    shot(page, "workbench-out-of-scope-404")


def test_district_officer_drills_down_from_district_to_community(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, DESK)
    page.goto(server_url + "/accounts/login/")
    page.get_by_label("用户名").fill("wuhua_officer")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("navigation", name="功能").get_by_role("link", name="区划").click()
    expect(page.locator("h1")).to_contain_text("五华区")
    huashan = page.get_by_role("row", name="华山街道")
    expect(huashan).to_contain_text("530102001")
    expect(huashan.locator("td").nth(1)).to_have_text("10")  # communities in Huashan
    shot(page, "workbench-areas-wuhua-1280")
    huashan.get_by_role("link", name="华山街道").click()
    page.get_by_role("link", name="翠湖西路社区").click()
    expect(page.locator("main")).to_contain_text("其下没有下级区划")
    # The workbench also fits a phone.
    page.set_viewport_size(PHONE)
    page.goto(server_url + "/workbench/areas/530102/")
    shot(page, "workbench-areas-wuhua-360")
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("h1")).to_have_text("欢迎来到昆明")


def test_unknown_area_in_the_url_is_a_404_page_in_english(
    browser: Browser, server_url: str
) -> None:
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    response = page.goto(server_url + "/areas/99999999999999999999/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("main")).to_contain_text(
        "is not an area code: codes are 4, 6, 9 or 12 digits."
    )
