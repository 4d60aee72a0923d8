"""A township admin imports a village list through the browser: template, upload, a
preview listing every error, a corrected file, confirmation."""
from __future__ import annotations

import pytest

from residency.models import Village
from tests.e2e.conftest import cjk_renders, login
from tests.residency.importing.files import HEADERS, xlsx

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def choose_file(page, data: bytes, name: str) -> None:
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": data}])


def test_township_admin_imports_villages_after_fixing_the_errors(live_server, people, desktop_page, tmp_path):
    page = desktop_page
    login(page, live_server, "tadmin")
    page.click("text=机构与干部")
    with page.expect_navigation():
        page.click("text=批量导入")
    assert page.locator("h1").inner_text() == "批量导入"
    page.screenshot(path=str(tmp_path / "import_start.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("a", has_text="下载模板(xlsx)").nth(0).click()
    assert download.value.suggested_filename == "import_villages.xlsx"

    bad = [HEADERS["villages"], ["", "003", "北村", "行政村"], ["", "001", "", "乡"]]
    page.select_option("#id_kind", "villages")
    choose_file(page, xlsx(bad), "村.xlsx")
    with page.expect_navigation():
        page.click("text=上传并预览")
    assert "发现 3 个错误" in page.locator("[data-testid=import-errors]").inner_text()
    rows = page.locator("table tbody tr")
    assert rows.nth(0).inner_text().split("\t") == ["3", "代码", "代码“001”已存在"]
    assert page.locator("[data-testid=import-confirm]").count() == 0
    assert cjk_renders(page, "h1")
    page.screenshot(path=str(tmp_path / "import_errors.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("link", name="重新上传").click()
    good = [HEADERS["villages"], ["", "003", "北村", "行政村"], ["", "004", "中社区", "社区"]]
    page.select_option("#id_kind", "villages")
    choose_file(page, xlsx(good), "村.xlsx")
    with page.expect_navigation():
        page.click("text=上传并预览")
    assert "全部 2 行均正确" in page.locator("[data-testid=import-ok]").inner_text()
    assert not Village.objects.filter(code="003").exists()
    with page.expect_navigation():
        page.click("[data-testid=import-confirm]")
    assert "已保存村(社区) 2 行" in page.locator("[data-testid=import-done]").inner_text()
    page.screenshot(path=str(tmp_path / "import_done.png"), full_page=True)
    assert set(Village.objects.filter(code__in=["003", "004"]).values_list("name", flat=True)) == {
        "北村", "中社区"}
