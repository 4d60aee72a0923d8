"""Import pages: upload -> preview with every error -> confirm saves all in one transaction."""
from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from residency.importing.models import ImportUpload
from residency.models import AuditLog, Cadre, Station, Township, Village
from tests.residency.factories import make_village
from tests.residency.importing.files import HEADERS, csv_bytes, xlsx, zip_bomb_xlsx

START = reverse("residency:import-start")
PREVIEW = reverse("residency:import-preview")
CONFIRM = reverse("residency:import-confirm")


def login(client, user):
    client.force_login(user)
    return client


def upload(client, kind, data, name, **extra):
    return client.post(START, {"kind": kind, "file": SimpleUploadedFile(name, data), **extra})


def confirm(client, user):
    token = ImportUpload.objects.get(user=user).token
    return client.post(CONFIRM, {"token": token})


VILLAGES = [HEADERS["villages"], ["", "003", "北村", "行政村"], ["001", "004", "中社区", "社区"]]


@pytest.fixture
def tadmin(client, people):
    login(client, people["township_admin"])
    return people["township_admin"]


# --- the happy paths ------------------------------------------------------------------


def test_villages_xlsx_preview_saves_nothing_then_confirm_saves_all_and_audits(client, tadmin, directory):
    response = upload(client, "villages", xlsx(VILLAGES), "村.xlsx")
    assert response.status_code == 302 and response.url == PREVIEW
    page = client.get(PREVIEW)
    assert "全部 2 行均正确" in page.content.decode()
    assert not Village.objects.filter(code__in=["003", "004"]).exists()

    done = confirm(client, tadmin)
    assert "已保存村(社区) 2 行" in done.content.decode()
    assert set(Village.objects.filter(township=directory["t1"], code__in=["003", "004"])
               .values_list("name", "kind")) == {("北村", "village"), ("中社区", "community")}
    entry = AuditLog.objects.get(action="import")
    assert entry.detail["kind"] == "villages" and entry.detail["rows"] == 2
    assert entry.detail["file_name"] == "村.xlsx" and entry.username == "tadmin"
    assert not ImportUpload.objects.filter(user=tadmin).exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_villages_csv_in_each_encoding_excel_saves(client, tadmin, encoding):
    upload(client, "villages", csv_bytes(VILLAGES, encoding), "村.csv")
    confirm(client, tadmin)
    assert Village.objects.filter(code__in=["003", "004"], township__code="001").count() == 2


def test_org_department_imports_townships_into_its_county(client, people, directory):
    login(client, people["org_department"])
    rows = [HEADERS["townships"], ["", "003", "丙镇", "镇"], ["330483", "004", "丁街道", "街道"]]
    upload(client, "townships", csv_bytes(rows, "utf-8-sig"), "镇.csv")
    confirm(client, people["org_department"])
    assert set(Township.objects.filter(county=directory["county"], code__in=["003", "004"])
               .values_list("name", "kind")) == {("丙镇", "town"), ("丁街道", "subdistrict")}


def test_system_admin_names_counties_in_the_townships_file(client, people, directory):
    login(client, people["system_admin"])
    rows = [HEADERS["townships"], ["330400", "002", "外乙镇", "镇"]]
    upload(client, "townships", xlsx(rows), "镇.xlsx")
    confirm(client, people["system_admin"])
    assert Township.objects.get(county=directory["other_county"], code="002").name == "外乙镇"


def test_system_admin_must_pick_a_county_for_villages(client, people, directory):
    login(client, people["system_admin"])
    response = upload(client, "villages", xlsx(VILLAGES), "村.xlsx")
    assert "请选择要导入到哪个县(市、区)" in response.content.decode()
    upload(client, "villages", xlsx([HEADERS["villages"], ["001", "009", "外二村", "行政村"]]),
           "村.xlsx", county=directory["other_county"].pk)
    confirm(client, people["system_admin"])
    assert Village.objects.get(code="009").township == directory["t3"]


CADRES = [HEADERS["cadres"], ["newbie", "新干部", "13900000011", "科员", "", "西村", "2026-03-02"]]


def test_a_new_cadre_gets_a_login_a_cadre_an_open_station_and_a_one_time_password(client, tadmin, directory):
    upload(client, "cadres", xlsx(CADRES), "干部.xlsx")
    done = confirm(client, tadmin)
    assert done["Cache-Control"] == "no-store"
    cadre = Cadre.objects.select_related("user").get(user__username="newbie")
    assert (cadre.name, cadre.phone, cadre.position, cadre.township) == (
        "新干部", "13900000011", "科员", directory["t1"])
    assert cadre.user.groups.filter(name="cadre").exists()
    station = cadre.stations.get()
    assert (station.village, station.start, station.end) == (directory["v12"], date(2026, 3, 2), None)
    password = done.context["outcome"]["passwords"][0]["password"]
    assert password in done.content.decode()
    client.logout()
    response = client.post(reverse("login"), {"username": "newbie", "password": password})
    assert response.status_code == 302 and response.url == reverse("home")
    assert AuditLog.objects.filter(action="role_change", object_id=str(cadre.user_id)).exists()
    assert password not in str(AuditLog.objects.get(action="import").detail)


def test_a_cadre_in_a_new_village_is_transferred_closing_the_old_station_the_day_before(client, tadmin, people, directory):
    rows = [HEADERS["cadres"], ["cadre1", "改名", "13800000001", "副镇长", "甲镇", "002", "2026-03-02"]]
    upload(client, "cadres", csv_bytes(rows), "干部.csv")
    page = client.get(PREVIEW).content.decode()
    assert "调动" in page
    confirm(client, tadmin)
    cadre = people["cadre"]
    cadre.refresh_from_db()
    assert (cadre.name, cadre.position) == ("改名", "副镇长")
    old, new = Station.objects.filter(cadre=cadre).order_by("start")
    assert (old.village, old.end) == (directory["v11"], date(2026, 3, 1))
    assert (new.village, new.start, new.end) == (directory["v12"], date(2026, 3, 2), None)
    assert get_user_model().objects.filter(username="cadre1").count() == 1


# --- errors: every one shown, nothing saved -------------------------------------------


def test_every_error_is_listed_by_row_and_column_and_nothing_is_saved(client, tadmin):
    rows = [HEADERS["villages"], ["", "003", "北村", "行政村"], ["", "001", "", "乡"],
            ["002", "005", "x", "行政村"]]
    upload(client, "villages", xlsx(rows), "村.xlsx")
    page = client.get(PREVIEW)
    errors = [(e.row, e.column, e.message) for e in page.context["result"].errors]
    assert errors == [(3, "代码", "代码“001”已存在"), (3, "名称", "必填"),
                      (3, "类型", "应为“行政村”或“社区”"), (4, "镇(街道)", "只能导入本镇(街道)的数据")]
    html = page.content.decode()
    assert "发现 4 个错误" in html and "data-testid=\"import-confirm\"" not in html
    response = confirm(client, tadmin)
    assert "没有保存任何数据" in response.content.decode()
    assert not Village.objects.filter(code="003").exists()
    assert not AuditLog.objects.filter(action="import", success=True).exists()
    assert AuditLog.objects.get(action="import", success=False).detail["errors"] >= 1


def test_a_missing_column_is_reported_on_the_header_row(client, tadmin):
    upload(client, "villages", xlsx([["镇(街道)", "代码", "名称"], ["", "003", "北村"]]), "村.xlsx")
    errors = client.get(PREVIEW).context["result"].errors
    assert [(e.row, e.column, e.message) for e in errors] == [(1, "类型", "缺少此列")]


def test_confirm_revalidates_against_a_database_that_changed(client, tadmin, directory):
    upload(client, "villages", xlsx(VILLAGES), "村.xlsx")
    assert client.get(PREVIEW).context["result"].ok
    make_village(directory["t1"], code="004", name="别人建的")
    response = confirm(client, tadmin)
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "代码")]
    assert not Village.objects.filter(code="003").exists()  # the valid row is not saved either
    assert ImportUpload.objects.filter(user=tadmin).exists()


def test_a_write_failing_midway_rolls_back_every_row(client, tadmin, directory, monkeypatch):
    from residency.importing import villages

    upload(client, "villages", xlsx(VILLAGES), "村.xlsx")
    make_village(directory["t1"], code="004", name="并发")
    real = villages.validate
    # Pretend the check ran before the other admin's write (a race): the DB constraint wins.
    monkeypatch.setattr(villages, "validate", lambda rows, ctx, **kw: real(
        rows, ctx, places=kw["places"], existing_codes=set(), existing_names=set()))
    response = confirm(client, tadmin)
    assert "保存时数据库已被他人修改" in response.content.decode()
    assert not Village.objects.filter(code="003").exists()
    assert not AuditLog.objects.filter(action="import", success=True).exists()
    assert AuditLog.objects.filter(action="import", success=False).exists()


def test_a_stale_or_forged_token_saves_nothing(client, tadmin):
    upload(client, "villages", xlsx(VILLAGES), "村.xlsx")
    response = client.post(CONFIRM, {"token": "forged"}, follow=True)
    assert "请重新上传" in response.content.decode()
    assert not Village.objects.filter(code="003").exists()


def test_a_new_upload_replaces_the_pending_one_and_cancel_discards_it(client, tadmin):
    upload(client, "villages", xlsx(VILLAGES), "a.xlsx")
    upload(client, "villages", xlsx(VILLAGES), "b.xlsx")
    assert list(ImportUpload.objects.values_list("filename", flat=True)) == ["b.xlsx"]
    client.post(START, {"cancel": "1"})
    assert not ImportUpload.objects.exists()
    assert client.get(PREVIEW).status_code == 302


# --- hostile files --------------------------------------------------------------------


@pytest.mark.parametrize(("data", "name", "message"), [
    ("代码,名称\n".encode(), "renamed.xlsx", "不是有效的 Excel"),
    (b"%PDF-1.4", "list.pdf", "只能导入 .xlsx"),
    (None, "bomb.xlsx", "压缩炸弹"),
    (b"a" * (10 * 1024 * 1024 + 1), "big.csv", "文件超过10 MB"),
])
def test_hostile_files_are_refused_with_a_chinese_message_and_not_kept(client, tadmin, data, name, message):
    response = upload(client, "villages", data if data is not None else zip_bomb_xlsx(200), name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportUpload.objects.exists()


# --- who may import -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["province_viewer", "cadre_user", "inspector", "village_cadre"])
def test_only_directory_admins_may_import(client, people, role):
    user = people["cadre"].user if role == "cadre_user" else people[role]
    login(client, user)
    assert client.get(START).status_code == 403
    assert client.get(reverse("residency:import-template", kwargs={"kind": "villages"})).status_code == 403


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(START)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_township_admin_cannot_import_townships(client, tadmin):
    response = upload(client, "townships", xlsx([HEADERS["townships"]]), "镇.xlsx")
    assert "townships" not in [c for c, _l in response.context["form"].fields["kind"].choices]
    assert response.context["form"].errors["kind"]
    assert client.get(reverse("residency:import-template", kwargs={"kind": "townships"})).status_code == 404


def test_the_nav_links_to_import_for_admins_but_not_province_viewers(client, people):
    login(client, people["township_admin"])
    assert START in client.get(reverse("home")).content.decode()
    client.logout()
    login(client, people["province_viewer"])
    assert START not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(("fmt", "content_type"), [
    ("", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("?format=csv", "text/csv; charset=utf-8"),
])
def test_templates_download_per_kind(client, tadmin, fmt, content_type):
    response = client.get(reverse("residency:import-template", kwargs={"kind": "cadres"}) + fmt)
    assert response["Content-Type"] == content_type
    assert "attachment" in response["Content-Disposition"]


def test_start_page_lists_the_columns_of_each_kind(client, tadmin):
    html = client.get(START).content.decode()
    for header in HEADERS["cadres"]:
        assert header in html


# --- cost -----------------------------------------------------------------------------


# Session, user, groups, upload, official, then the kind's lookups (villages: townships and
# villages; cadres: + users, stations, officials' and cadres' phones), the nav, the session.
@pytest.mark.parametrize(("kind", "queries"), [("villages", 12), ("cadres", 16)])
def test_preview_query_count_does_not_grow_with_the_file(client, tadmin, kind, queries,
                                                         django_assert_max_num_queries):
    def file_of(n):
        if kind == "villages":
            return [HEADERS["villages"]] + [["", f"1{i:02d}", f"新村{i}", "行政村"] for i in range(n)]
        return [HEADERS["cadres"]] + [[f"u{i}", f"干部{i}", f"139000001{i:02d}", "", "", "东村", ""]
                                      for i in range(n)]

    for n in (10, 30):
        upload(client, kind, xlsx(file_of(n)), "f.xlsx")
        with django_assert_max_num_queries(queries):
            page = client.get(PREVIEW)
        assert page.context["result"].ok and len(page.context["result"].records) == n


def test_an_admin_without_a_township_or_county_is_told_so(client, directory):
    from tests.residency.factories import make_official

    lost = make_official("township_admin", username="lost")
    login(client, lost)
    response = upload(client, "villages", xlsx(VILLAGES), "村.xlsx")
    assert "未设置所属县(市、区)或镇(街道)" in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_every_error_is_reachable_page_by_page(client, tadmin):
    rows = [HEADERS["villages"]] + [["", f"{i:03d}", "", "行政村"] for i in range(100, 350)]
    upload(client, "villages", xlsx(rows), "村.xlsx")
    first = client.get(PREVIEW)
    assert "第 1/2 页, 共 250 条" in first.content.decode()
    second = client.get(PREVIEW + "?page=2")
    assert [e.row for e in second.context["page_obj"]] == list(range(202, 252))


def test_the_file_is_parsed_once_and_preview_and_confirm_use_the_parsed_rows(client, tadmin, directory,
                                                                              monkeypatch):
    """Issue 11, finding 8: preview (every page of errors) and confirm parsed the file again."""
    from residency.importing import pipeline, reading

    calls = []
    real = reading.read_table

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reading, "read_table", counting)
    monkeypatch.setattr(pipeline, "read_table", counting)
    import residency.importing.views as views_import
    monkeypatch.setattr(views_import, "read_table", counting)
    upload(client, "villages", xlsx(VILLAGES), "村.xlsx")
    client.get(PREVIEW)
    client.get(PREVIEW + "?page=2")
    done = confirm(client, tadmin)
    assert "已保存村(社区) 2 行" in done.content.decode()
    assert len(calls) == 1


def test_the_kept_rows_keep_dates_numbers_and_text():
    from residency.importing.pipeline import table_from_json, table_to_json
    from residency.importing.rows import Table

    table = Table(headers=["姓名", "日期"], rows=[(2, ["王", date(2026, 3, 1), 3, 1.5, None, True])])
    assert table_from_json(table_to_json(table)) == table
