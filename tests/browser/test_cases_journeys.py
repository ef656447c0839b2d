"""Service requests in a real browser: an anonymous consultation on a phone, answered by the
Cuihu West Road worker at a desk, followed with its reference and code."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import Shot

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}
DESK: ViewportSize = {"width": 1280, "height": 800}
DEMO_PASSWORD = "Sihai-demo-2026"


def _new_page(browser: Browser, viewport: ViewportSize) -> Page:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    return context.new_page()


def test_an_anonymous_consultation_is_answered_and_followed(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    phone = _new_page(browser, PHONE)
    phone.goto(server_url + "/requests/")
    phone.get_by_role("link", name="政策咨询").click()
    phone.get_by_label("咨询事项").select_option("schooling")
    phone.locator("#id_description").fill("孩子明年上小学，<b>需要</b>什么材料？")
    phone.locator("#id_community_code").fill("530102001001")
    phone.locator("form.card button[type=submit]").click()
    reference = phone.locator("#reference").inner_text()
    code = phone.locator("#follow-code").inner_text()
    assert reference.startswith("KM-")
    assert len(code) == 8
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide"
    shot(phone, "cases-anonymous-sent-phone")

    desk = _new_page(browser, DESK)
    desk.goto(server_url + "/accounts/login/")
    desk.get_by_label("用户名").fill("cuihu_worker")
    desk.get_by_label("密码").fill(DEMO_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.get_by_role("navigation", name="功能").get_by_role("link", name="诉求").click()
    desk.locator("#f-state").select_option("submitted")  # htmx swaps the rows in place
    row = desk.get_by_role("row").filter(has_text=reference)
    expect(row).to_be_visible()
    shot(desk, "cases-inbox-desk")
    row.get_by_role("link", name=reference).click()
    expect(desk.locator("#state")).to_contain_text("已提交")
    move = desk.locator("form[action$='/move']")
    move.locator("select[name=to_state]").select_option("accepted")
    move.locator("textarea[name=note]").fill("已收到，今天下午回复您。")
    move.locator("button[type=submit]").click()
    expect(desk.locator("#state")).to_contain_text("已受理")
    shot(desk, "cases-request-desk")

    phone.goto(server_url + "/requests/follow/")
    phone.locator("#id_reference").fill(reference)
    phone.locator("#id_code").fill(code)
    phone.locator("form.card button[type=submit]").click()
    expect(phone.locator(".timeline")).to_contain_text("已收到，今天下午回复您。")
    expect(phone.locator("main")).to_contain_text("<b>需要</b>")  # shown as text, never markup
    shot(phone, "cases-follow-phone")
