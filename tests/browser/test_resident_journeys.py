"""Residents' journeys in a real browser: a mother on a phone sees her data, who looked at it
and adds her child; a worker at the counter opens a record with a reason and corrects it; a
subdistrict officer decides a deletion request."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Shot
from tests.browser.test_identity_journeys import DEMO_PASSWORD
from tests.browser.test_journeys import DESK, PHONE, _new_page, _no_horizontal_scroll

pytestmark = pytest.mark.browser


def _resident_sign_in(page: Page, server_url: str, phone: str) -> None:
    page.goto(server_url + "/me/sign-in/")
    page.get_by_label("手机号码").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    outbox = page.context.new_page()
    outbox.goto(server_url + "/demo/outbox/")
    code = re.search(r"\b\d{6}\b", outbox.locator(".card").first.inner_text())
    assert code is not None
    outbox.close()
    page.get_by_label("短信中的 6 位验证码").fill(code.group())
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的账号")


def _staff_sign_in(page: Page, server_url: str, username: str) -> None:
    page.goto(server_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).not_to_have_text("登录")


def test_a_mother_sees_her_data_and_adds_her_daughter(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, PHONE)
    _resident_sign_in(page, server_url, "139 0000 0001")
    page.get_by_role("link", name="我的信息").click()
    expect(page.locator("main")).to_contain_text("阿依·木合塔尔")
    _no_horizontal_scroll(page)
    shot(page, "resident-my-data-zh-360")
    page.get_by_role("link", name="我的家庭成员").click()
    expect(page.locator("main")).to_contain_text("阿力·木合塔尔")
    page.get_by_label("关系").select_option("child")
    page.get_by_label("姓名").fill("阿米娜·木合塔尔")
    page.get_by_label("出生日期").fill("2020-04-18")
    page.get_by_role("button", name="添加", exact=True).click()
    # Under 14: the guardian's consent is asked for, and nothing was saved.
    expect(page.get_by_role("alert")).to_contain_text("监护人")
    page.get_by_label(re.compile("我是这个孩子的父母或监护人")).check()
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已加入您的家庭成员")
    expect(page.locator("main")).to_contain_text("阿米娜·木合塔尔")
    _no_horizontal_scroll(page)
    shot(page, "resident-household-zh-360")
    page.goto(server_url + "/me/data/who-looked/")
    expect(page.locator("h1")).to_have_text("谁查阅了我的记录")
    page.goto(server_url + "/me/data/print/")
    expect(page.locator("main")).to_contain_text("阿米娜·木合塔尔")
    shot(page, "resident-print-zh-360")


def test_a_worker_opens_a_record_with_a_reason_and_corrects_it(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, DESK)
    _staff_sign_in(page, server_url, "cuihu_worker")
    page.goto(server_url + "/workbench/residents/")
    page.get_by_label("电话号码").fill("139-0000-0002")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("table")).to_contain_text("李建国")
    page.get_by_role("link", name="查阅").click()
    page.get_by_role("button", name="查阅").click()
    expect(page.locator("h1")).to_have_text("李建国")
    expect(page.locator("main")).to_contain_text("李小龙")
    shot(page, "worker-record-zh-desk")
    page.get_by_role("link", name="更正记录").click()
    page.get_by_label("住址").fill("翠湖西路 22 号")
    page.get_by_label("为什么更正这份记录？").fill("居民出示了租房合同")
    page.get_by_role("button", name="保存更正").click()
    expect(page.locator(".messages")).to_contain_text("已更正")
    expect(page.locator("main")).to_contain_text("翠湖西路 22 号")


def test_a_subdistrict_officer_decides_a_deletion_request(
    browser: Browser, server_url: str, shot: Shot
) -> None:
    page = _new_page(browser, DESK)
    _staff_sign_in(page, server_url, "lianmeng_officer")
    page.goto(server_url + "/workbench/residents/deletions/")
    expect(page.locator("table")).not_to_contain_text("马燕")
    shot(page, "officer-deletions-zh-desk")
    page.get_by_role("link", name="决定", exact=True).first.click()
    expect(page.locator("main")).to_contain_text("我要回老家了")
    page.get_by_label("不同意，并说明理由").check()
    page.get_by_role("button", name="记录决定").click()
    expect(page.get_by_role("alert")).to_contain_text("请说明不同意的理由")
    page.get_by_label("不同意的理由（居民会看到）").fill(
        "您的子女入学申请尚在办理，办结后可再申请。"
    )
    page.get_by_role("button", name="记录决定").click()
    expect(page.locator(".messages")).to_contain_text("已作出决定")
