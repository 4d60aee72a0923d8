"""Validating import rows: every error by row and column, records only when clean (pure)."""
from __future__ import annotations

from datetime import date

from residency.importing import ImportContext
from residency.importing import cadres as cadre_kind
from residency.importing import townships as township_kind
from residency.importing import villages as village_kind
from residency.importing.lookups import ExistingUser
from residency.importing.places import Place, Places
from residency.importing.rows import Row

TODAY = date(2026, 3, 2)
PLACES = Places(
    townships=[Place(10, "001", "甲镇", 1), Place(20, "002", "乙街道", 1)],
    villages=[Place(101, "001", "东村", 10), Place(102, "002", "西村", 10),
              Place(201, "001", "南社区", 20), Place(202, "002", "东村", 20)],
)
ORG = ImportContext(user=None, role="org_department", county_id=1, today=TODAY)
TOWNSHIP_ADMIN = ImportContext(user=None, role="township_admin", county_id=1, township_id=10,
                               today=TODAY)


def rows(*dicts):
    return [Row(i + 2, d) for i, d in enumerate(dicts)]


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


# --- townships ------------------------------------------------------------------------

COUNTIES = {"330483": (1, "测试县")}


def check_townships(*data, ctx=ORG, counties=COUNTIES, codes=frozenset(), names=frozenset()):
    return township_kind.validate(rows(*data), ctx, counties=counties, existing_codes=set(codes),
                                  existing_names=set(names))


def test_townships_take_the_org_departments_county_when_the_column_is_blank():
    result = check_townships({"code": "003", "name": "丙镇", "kind": "镇"})
    assert result.ok
    assert result.records[0].county_id == 1 and result.records[0].kind == "town"


def test_townships_every_bad_value_is_reported_by_row_and_column():
    result = check_townships(
        {"county": "999999", "code": "", "name": "", "kind": "乡"},
        {"code": "0 1", "name": "丁" * 51, "kind": ""},
    )
    assert errors_of(result) == [
        (2, "县(市、区)代码", "只能导入本县(市、区)的数据"), (2, "代码", "必填"),
        (2, "名称", "必填"), (2, "类型", "应为“镇”或“街道”"),
        (3, "代码", "代码应为1至12位字母或数字"), (3, "名称", "不能超过50个字"), (3, "类型", "必填"),
    ]
    assert result.records == []


def test_townships_duplicates_within_the_file_and_against_the_database():
    result = check_townships(
        {"code": "003", "name": "丙镇", "kind": "镇"},
        {"code": "003", "name": "丁镇", "kind": "镇"},
        {"code": "001", "name": "甲镇", "kind": "镇"},
        codes={(1, "001")}, names={(1, "甲镇")},
    )
    assert errors_of(result) == [(3, "代码", "与第2行重复"), (4, "代码", "代码“001”已存在"),
                                 (4, "名称", "“甲镇”已存在")]


def test_a_system_admin_names_the_county_of_each_township():
    admin = ImportContext(user=None, role="system_admin", county_id=None, today=TODAY)
    counties = {"330483": (1, "测试县"), "330400": (2, "外县")}
    result = check_townships({"county": "330400", "code": "009", "name": "外乙镇", "kind": "街道"},
                             {"county": "", "code": "010", "name": "x", "kind": "镇"},
                             {"county": "111111", "code": "011", "name": "y", "kind": "镇"},
                             ctx=admin, counties=counties)
    assert result.records[0].county_id == 2
    assert errors_of(result) == [(3, "县(市、区)代码", "必填"),
                                 (4, "县(市、区)代码", "未找到县(市、区)代码“111111”")]


# --- villages -------------------------------------------------------------------------


def check_villages(*data, ctx=ORG):
    codes = {(v.parent_id, v.code) for v in PLACES.villages}
    names = {(v.parent_id, v.name) for v in PLACES.villages}
    return village_kind.validate(rows(*data), ctx, places=PLACES, existing_codes=codes,
                                 existing_names=names)


def test_villages_name_their_township_by_code_or_name():
    result = check_villages({"township": "001", "code": "003", "name": "北村", "kind": "行政村"},
                            {"township": "乙街道", "code": "003", "name": "中社区", "kind": "社区"})
    assert result.ok
    assert [(r.township_id, r.kind) for r in result.records] == [(10, "village"), (20, "community")]


def test_villages_unknown_township_duplicates_and_bad_kind():
    result = check_villages(
        {"township": "丙镇", "code": "003", "name": "北村", "kind": "行政村"},
        {"township": "001", "code": "001", "name": "东村", "kind": "村"},
        {"township": "001", "code": "005", "name": "新村", "kind": "行政村"},
        {"township": "001", "code": "005", "name": "新村", "kind": "行政村"},
        {"township": "", "code": "006", "name": "x", "kind": "行政村"},
    )
    assert errors_of(result) == [
        (2, "镇(街道)", "未找到镇(街道)“丙镇”"),
        (3, "代码", "代码“001”已存在"), (3, "名称", "“东村”已存在"), (3, "类型", "应为“行政村”或“社区”"),
        (5, "代码", "与第4行重复"), (5, "名称", "与第4行重复"),
        (6, "镇(街道)", "必填"),
    ]
    assert [r.row for r in result.records] == [4]


def test_a_township_admin_imports_into_his_township_only():
    result = check_villages({"township": "", "code": "007", "name": "北村", "kind": "行政村"},
                            {"township": "乙街道", "code": "007", "name": "中社区", "kind": "社区"},
                            ctx=TOWNSHIP_ADMIN)
    assert result.records[0].township_id == 10
    assert errors_of(result) == [(3, "镇(街道)", "只能导入本镇(街道)的数据")]


# --- cadres ---------------------------------------------------------------------------


def cadre(**values):
    row = {"username": "zhang01", "name": "张伟", "phone": "13900000001", "position": "副镇长",
           "township": "001", "village": "东村", "start": "2026-03-02"}
    row.update(values)
    return row


def check_cadres(*data, ctx=ORG, users=None, phones=None):
    return cadre_kind.validate(rows(*data), ctx, places=PLACES, users=users or {},
                               phones=phones or {})


def test_a_new_cadre_is_created_with_an_open_station():
    result = check_cadres(cadre(start=""))
    assert result.ok
    record = result.records[0]
    assert (record.action, record.village_id, record.start) == ("create", 101, TODAY)


def test_cadres_every_bad_value_is_reported():
    result = check_cadres(
        cadre(username="bad name!", phone="1234", village="北村", start="明天"),
        cadre(username="", name="", phone="", township="丙镇"),
    )
    assert errors_of(result) == [
        (2, "用户名", "用户名只能包含字母、数字和 @ . + - _"),
        (2, "手机号", "手机号应为11位数字,以1开头"),
        (2, "驻村", "甲镇没有村(社区)“北村”"),
        (2, "驻村开始日期", "日期格式错误,应如 2026-01-05"),
        (3, "用户名", "必填"), (3, "姓名", "必填"), (3, "手机号", "必填"),
        (3, "镇(街道)", "未找到镇(街道)“丙镇”"),
    ]


def test_cadres_duplicate_usernames_and_phones_in_the_file_and_the_database():
    result = check_cadres(
        cadre(),
        cadre(phone="13900000002"),
        cadre(username="li02"),
        cadre(username="wang03", phone="13800000009"),
        cadre(username="admin", phone="13900000004"),
        users={"admin": ExistingUser(5, None, None, None, None, None, None)},
        phones={"13800000009": 77},
    )
    assert errors_of(result) == [
        (3, "用户名", "与第2行重复"),
        (4, "手机号", "与第2行重复"),
        (5, "手机号", "手机号已被其他账号使用"),
        (6, "用户名", "与本单位以外的记录冲突，请联系县(市)管理员"),
    ]


def test_an_existing_cadre_in_a_new_village_is_a_transfer_after_the_old_start():
    existing = ExistingUser(5, 50, 10, 1, 500, 101, date(2026, 1, 1))
    result = check_cadres(cadre(village="西村", phone="13900000009"),
                          users={"zhang01": existing}, phones={"13900000009": 50})
    assert result.ok
    assert result.records[0].action == "transfer"
    assert result.summary["transfer"] == 1


def test_a_transfer_must_start_after_the_old_station_started():
    existing = ExistingUser(5, 50, 10, 1, 500, 101, date(2026, 3, 2))
    result = check_cadres(cadre(village="西村"), users={"zhang01": existing})
    assert errors_of(result) == [(2, "驻村开始日期", "调动的驻村开始日期须晚于原驻村开始日期 2026-03-02")]


def test_an_existing_cadre_in_the_same_village_is_an_update():
    existing = ExistingUser(5, 50, 10, 1, 500, 101, date(2026, 1, 1))
    result = check_cadres(cadre(), users={"zhang01": existing})
    assert result.records[0].action == "update"


def test_a_township_admin_cannot_import_another_townships_cadre():
    existing = ExistingUser(5, 50, 20, 1, 500, 201, date(2026, 1, 1))
    result = check_cadres(cadre(township=""), cadre(username="li02", township="002",
                                                    phone="13900000002", village="南社区"),
                          ctx=TOWNSHIP_ADMIN, users={"zhang01": existing})
    assert errors_of(result) == [(2, "用户名", "与本单位以外的记录冲突，请联系县(市)管理员"),
                                 (3, "镇(街道)", "只能导入本镇(街道)的数据")]


def test_a_cadre_of_another_county_cannot_be_touched():
    existing = ExistingUser(5, 50, 30, 2, 500, 301, date(2026, 1, 1))
    result = check_cadres(cadre(), users={"zhang01": existing})
    assert errors_of(result) == [(2, "用户名", "与本单位以外的记录冲突，请联系县(市)管理员")]


def test_a_village_name_repeated_across_townships_needs_the_township():
    result = check_cadres(cadre(township="002", village="东村"))
    assert result.records[0].village_id == 202
