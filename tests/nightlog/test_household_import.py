"""Importing households: the kind nightlog registers with residency's importer."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nightlog.models import Household
from residency.importing import get_kind
from residency.importing.models import ImportUpload
from residency.models import AuditLog
from tests.residency.factories import make_village
from tests.residency.importing.files import HEADERS, csv_bytes, xlsx

START = reverse("residency:import-start")
PREVIEW = reverse("residency:import-preview")
CONFIRM = reverse("residency:import-confirm")
ID_1 = "330483198502031233"
ID_2 = "33048319720715456X"

GOOD = [
    HEADERS["households"],
    ["", "东村", "一组", "钱一", "东村一组1号", "13900000021", ID_1, "3", "困难户、“三小”组长户", "是"],
    ["甲镇", "002", "二组", "孙二", "", "0573-88881234", ID_2.lower(), "", "种养大户,个私企业户", "否"],
    ["", "西村", "", "李三", "", "", "", "1", "", ""],
]


def upload(client, user, data, name):
    client.force_login(user)
    return client.post(START, {"kind": "households", "file": SimpleUploadedFile(name, data)})


def confirm(client, user):
    return client.post(CONFIRM, {"token": ImportUpload.objects.get(user=user).token})


def test_households_are_registered_by_nightlog_for_admins():
    kind = get_kind("households")
    assert kind is not None and kind.headers()[1:] == HEADERS["households"][1:]
    assert "province_viewer" not in kind.allowed_roles


@pytest.mark.parametrize(("data", "name"), [(xlsx(GOOD), "农户.xlsx"), (csv_bytes(GOOD, "gbk"), "农户.csv"),
                                            (csv_bytes(GOOD, "utf-8-sig"), "农户.csv")])
def test_a_good_household_file_saves_every_row_after_confirmation(client, people, directory, data, name):
    admin = people["township_admin"]
    upload(client, admin, data, name)
    page = client.get(PREVIEW)
    assert page.context["result"].ok
    html = page.content.decode()
    assert ID_1 not in html and "330483********1233" in html  # the preview masks ID cards
    assert not Household.objects.exists()
    confirm(client, admin)
    saved = {h.head: h for h in Household.objects.all()}
    assert set(saved) == {"钱一", "孙二", "李三"}
    one, two, three = saved["钱一"], saved["孙二"], saved["李三"]
    assert (one.village, one.group, one.members, one.is_key, one.id_card) == (
        directory["v11"], "一组", 3, True, ID_1)
    assert one.categories == ["group_leader", "hardship"]
    assert (two.village, two.id_card, two.phone, two.members, two.is_key) == (
        directory["v12"], ID_2, "0573-88881234", 1, False)
    assert two.categories == ["large_farm", "private_business"]
    assert (three.village, three.categories, three.id_card) == (directory["v12"], [], "")
    entry = AuditLog.objects.get(action="import")
    assert (entry.detail["kind"], entry.detail["rows"], entry.detail["file_name"]) == ("households", 3, name)


def test_every_household_error_is_reported_and_nothing_is_saved(client, people, households):
    admin = people["township_admin"]
    rows = [
        HEADERS["households"],
        ["", "东村", "一组", "钱一", "", "12345", "330483198502031234", "0", "困难户、低保户", "也许"],
        ["", "外村", "一组", "孙二", "", "", "", "2", "", ""],
        ["", "南社区", "一组", "周四", "", "", "", "2", "", ""],
        ["", "东村", "一组", "吴五", "", "", ID_1, "2", "", ""],
        ["", "东村", "一组", "郑六", "", "", ID_1, "2", "", ""],
        ["", "东村", "一组", "王大明", "", "", "330483199001011239", "2", "", ""],
        ["", "东村", "二组", "", "", "", "", "abc", "", ""],
        ["", "西村", "三组", "冯七", "", "", "", "", "", ""],
        ["", "西村", "三组", "冯七", "", "", "", "", "", ""],
    ]
    upload(client, admin, xlsx(rows), "农户.xlsx")
    result = client.get(PREVIEW).context["result"]
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "电话", "电话号码格式错误(应为11位手机号或区号-座机号)"),
        (2, "身份证号", "身份证号校验位错误"),
        (2, "家庭人口", "应为1至99的整数"),
        (2, "必访类别", "无法识别的必访类别“低保户”,应为:困难户、种养大户、“三小”组长户、个私企业户、重点人员户"),
        (2, "重点户", "应为“是”或“否”"),
        (3, "村", "未找到村(社区)“外村”"),
        (4, "村", "只能导入本镇(街道)的数据"),
        (6, "身份证号", "与第5行重复"),
        (7, "身份证号", "该身份证号的农户已存在"),
        (8, "户主", "必填"),
        (8, "家庭人口", "应为1至99的整数"),
        (10, "户主", "与第9行重复(同村同组同名户主)"),
    ]
    confirm(client, admin)
    assert Household.objects.count() == 3  # only the fixture's


def test_an_id_card_typed_as_a_number_is_refused_as_excel_rounds_it(client, people, directory):
    rows = [HEADERS["households"], ["", "东村", "", "钱一", "", "", 330483198502031233, "", "", ""]]
    upload(client, people["township_admin"], xlsx(rows), "农户.xlsx")
    errors = client.get(PREVIEW).context["result"].errors
    assert [(e.column, e.message) for e in errors] == [("身份证号", "身份证号须以文本格式填写(数字格式会丢失末位)")]


def test_a_head_already_recorded_without_id_card_is_a_duplicate(client, people, directory):
    Household.objects.create(village=directory["v11"], group="一组", head="钱一")
    rows = [HEADERS["households"], ["", "东村", "一组", "钱一", "", "", "", "", "", ""]]
    upload(client, people["township_admin"], xlsx(rows), "农户.xlsx")
    errors = client.get(PREVIEW).context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "户主")]


def test_org_department_names_the_township_when_a_village_name_repeats(client, people, directory):
    make_village(directory["t2"], code="009", name="东村")
    rows = [HEADERS["households"], ["", "东村", "", "钱一", "", "", "", "", "", ""],
            ["乙街道", "东村", "", "孙二", "", "", "", "", "", ""]]
    upload(client, people["org_department"], xlsx(rows), "农户.xlsx")
    result = client.get(PREVIEW).context["result"]
    assert [(e.row, e.column) for e in result.errors] == [(2, "村")]
    assert "请填写村代码并注明镇(街道)" in result.errors[0].message


def test_a_household_preview_costs_the_same_for_three_times_the_rows(client, people, directory,
                                                                   django_assert_max_num_queries):
    admin = people["township_admin"]
    for n in (10, 30):
        rows = [HEADERS["households"]] + [["", "东村", "一组", f"户主{i}", "", "", "", "2", "困难户", "否"]
                                          for i in range(n)]
        upload(client, admin, xlsx(rows), "农户.xlsx")
        with django_assert_max_num_queries(13):  # 13th: the preview's audit row
            page = client.get(PREVIEW)
        assert len(page.context["result"].records) == n
