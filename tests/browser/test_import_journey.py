"""A community worker imports the sample register in a real browser, on a desk and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ROOT, Shot
from tests.browser.test_journeys import DEMO_PASSWORD, DESK, PHONE, _new_page, _no_horizontal_scroll

pytestmark = pytest.mark.browser
SAMPLE = ROOT / "sihai" / "residents" / "data" / "sample_register.xlsx"


def test_a_worker_imports_the_sample_register(
    browser: Browser, server_url: str, shot: Shot, tmp_path: Path
) -> None:
    page = _new_page(browser, DESK)
    page.goto(server_url + "/accounts/login/?next=/workbench/imports/")
    page.get_by_label("用户名").fill("cuihu_worker")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("台账导入")
    page.get_by_role("link", name="上传台账：居民台账").click()
    page.get_by_label("台账文件（.xlsx 或 .csv）").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="上传").click()

    expect(page.locator("main")).to_contain_text("民族和宗教信仰从不导入")
    expect(page.get_by_label("B · 姓名")).to_have_value("name")
    expect(page.get_by_label("D · 身份证号")).to_have_value("id_number")
    shot(page, "import-mapping-1280")
    page.get_by_role("button", name="逐行检查").click()

    # The progress bar polls (htmx) until the check is done, then the page shows the preview.
    expect(page.locator("h2", has_text="预览")).to_be_visible(timeout=60_000)
    expect(page.locator("main")).to_contain_text("将会导入")
    preview = page.locator("table").first
    expect(preview).to_contain_text("40")
    expect(preview).to_contain_text("10")
    expect(page.locator("main")).to_contain_text("该身份证号码最后一位校验码不正确")
    shot(page, "import-preview-1280")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载问题工作簿").click()
    saved = tmp_path / "errors.xlsx"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"PK")

    page.get_by_label("同意依据的编号").fill("翠湖 2026 同意书第 1 卷")
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator("h2", has_text="结果")).to_be_visible(timeout=60_000)
    expect(page.locator("main")).to_contain_text("已导入")
    shot(page, "import-result-1280")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("h2", has_text="结果")).to_be_visible()
    _no_horizontal_scroll(page)
    shot(page, "import-result-360")
