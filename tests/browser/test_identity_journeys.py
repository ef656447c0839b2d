"""Identity journeys in a real browser: a resident signs in by text message; the
security administrator grants a role; the audit administrator reads what happened."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Shot
from tests.browser.test_journeys import DESK, PHONE, _new_page, _no_horizontal_scroll

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "Sihai-demo-2026"
DEMO_TOTP = "SIHAIDEMOADMINSXJBSWY3DPEHPK3PXP"


def _admin_sign_in(page: Page, server_url: str, username: str) -> None:
    page.goto(server_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("第二步验证")
    # Wait for a fresh 30-second step if the current code was used by an earlier sign-in.
    page.get_by_label("身份验证器应用中的 6 位验证码").fill(pyotp.TOTP(DEMO_TOTP).now())
    page.get_by_role("button", name="继续").click()


def test_resident_signs_in_with_a_text_message_code(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, PHONE)
    page.goto(server_url + "/")
    page.get_by_role("link", name="我的账号").click()
    expect(page.locator("h1")).to_have_text("用手机号登录")
    page.get_by_label("手机号码").fill("139 8765 4321")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("main")).to_contain_text("139****4321")
    _no_horizontal_scroll(page)
    shot(page, "resident-code-zh-360")
    # The demo's phone: a second tab reads the text message.
    phone = page.context.new_page()
    phone.goto(server_url + "/demo/outbox/")
    message = phone.locator(".card").first.inner_text()
    code = re.search(r"\b\d{6}\b", message)
    assert code is not None, message
    page.get_by_label("短信中的 6 位验证码").fill(
        "000000" if code.group() != "000000" else "111111"
    )
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("验证码不正确")
    page.get_by_label("短信中的 6 位验证码").fill(code.group())
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的账号")
    expect(page.locator("main")).to_contain_text("139****4321")
    shot(page, "resident-account-zh-360")


def test_security_admin_grants_a_role_and_audit_admin_sees_it(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, DESK)
    _admin_sign_in(page, server_url, "secadmin")
    page.get_by_role("navigation", name="功能").get_by_role("link", name="工作人员与角色").click()
    page.get_by_role("link", name="xiaoba_worker").click()
    page.get_by_label("区划代码").fill("530103004002")
    page.get_by_label("角色", exact=True).select_option("community_worker")
    page.get_by_role("button", name="授予角色").click()
    expect(page.locator(".message")).to_contain_text("已授予角色")
    expect(page.locator("table")).to_contain_text("530103004002")
    # Separation of duties holds in the page too.
    page.get_by_label("区划代码").fill("5301")
    page.get_by_label("角色", exact=True).select_option("audit_admin")
    page.get_by_role("button", name="授予角色").click()
    expect(page.get_by_role("alert")).to_contain_text("三权分立")
    shot(page, "workbench-staff-detail-secadmin")
    page.get_by_role("button", name="退出登录").click()

    # The next 30-second step, so the audit administrator's code is not a replay of secadmin's step.
    auditor = _new_page(browser, DESK)
    _wait_for_next_step(auditor)
    _admin_sign_in(auditor, server_url, "auditadmin")
    auditor.get_by_role("navigation", name="功能").get_by_role("link", name="审计日志").click()
    auditor.get_by_label("操作或用途（开头匹配）").fill("accounts.role_granted")
    auditor.get_by_role("button", name="搜索").click()
    expect(auditor.locator("table")).to_contain_text("530103004002")
    expect(auditor.locator("table")).to_contain_text("secadmin")
    shot(auditor, "workbench-audit-log")


def _wait_for_next_step(page: Page) -> None:
    totp = pyotp.TOTP(DEMO_TOTP)
    current = totp.now()
    for _ in range(70):
        if totp.now() != current:
            return
        page.wait_for_timeout(500)
