"""The school-seat journey in a real browser: 古丽 (a demo family of the applications seed)
checks what she can apply for on her phone (Chinese), applies for a seat for her daughter 努尔;
the Wuhua education bureau decides in English at a desk and assigns the seat; 古丽 sees it.

(Not 阿依: the residents' journey signs her in too, and a second code for the same phone
within a minute is refused.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Shot
from tests.browser.test_identity_journeys import DEMO_PASSWORD
from tests.browser.test_journeys import DESK, PHONE, _new_page, _no_horizontal_scroll
from tests.browser.test_resident_journeys import _resident_sign_in

pytestmark = pytest.mark.browser


def test_precheck_apply_for_a_school_seat_the_bureau_decides_the_parent_sees_the_seat(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, PHONE)
    _resident_sign_in(page, server_url, "139 0000 0006")
    page.goto(server_url + "/me/applications/")
    expect(page.locator("h1")).to_have_text("公共服务：我符合条件吗？")
    seat = page.locator('[data-type="school_seat"]').filter(has_text="努尔")
    expect(seat).to_contain_text("可能符合条件")
    # Not yet 6 months with a permit? She arrived in 2024: a residence permit is offered too.
    expect(page.locator('[data-type="residence_permit"]')).to_contain_text("可能符合条件")
    _no_horizontal_scroll(page)
    shot(page, "applications-precheck-zh-360")
    seat.get_by_role("link", name="申请").click()
    expect(page.locator("h1")).to_have_text("随迁子女义务教育入学")
    page.get_by_label("意向学校").select_option(index=1)
    school = page.get_by_label("意向学校").locator("option:checked").inner_text()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messages")).to_contain_text("受理编号")
    expect(page.locator("#application-state")).to_have_text("审批中")
    reference = page.locator("main strong").first.inner_text()
    _no_horizontal_scroll(page)
    shot(page, "applications-submitted-zh-360")

    desk = browser.new_context(viewport=DESK, locale="en-GB").new_page()
    desk.goto(server_url + "/accounts/login/")
    desk.get_by_label("Username").fill("edu_wuhua")
    desk.get_by_label("Password").fill(DEMO_PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    expect(desk.locator("h1")).not_to_have_text("Staff sign-in")
    desk.goto(server_url + "/workbench/applications/")
    expect(desk.locator("h1")).to_have_text("Applications to decide")
    row = desk.locator("tr").filter(has_text=reference)
    row.get_by_role("link", name="Decide").click()
    expect(desk.locator("main")).to_contain_text("努尔")
    desk.get_by_label("Approve").check()
    expect(desk.get_by_label("School seat assigned").locator("option:checked")).to_have_text(school)
    shot(desk, "applications-decide-en-desk")
    desk.get_by_role("button", name="Record the decision").click()
    expect(desk.locator(".messages")).to_contain_text("Decision recorded")

    page.reload()
    expect(page.locator("#application-state")).to_have_text("已通过")
    expect(page.locator("#seat")).to_contain_text(school)
    _no_horizontal_scroll(page)
    shot(page, "applications-seat-zh-360")
