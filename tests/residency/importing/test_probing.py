"""An import preview cannot be used to probe other townships or counties: a conflict with a
record outside the uploader's scope says only that, and every preview and confirm is audited."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from residency.importing.models import ImportUpload
from residency.models import AuditLog
from tests.residency.factories import make_cadre, make_household
from tests.residency.importing.files import HEADERS, xlsx

pytestmark = pytest.mark.django_db

START = reverse("residency:import-start")
PREVIEW = reverse("residency:import-preview")
CONFIRM = reverse("residency:import-confirm")
OUTSIDE = "与本单位以外的记录冲突，请联系县(市)管理员"


def preview(client, user, kind, rows):
    client.force_login(user)
    client.post(START, {"kind": kind, "file": SimpleUploadedFile("名单.xlsx", xlsx(rows))})
    response = client.get(PREVIEW)
    return response, [(e.row, e.column, e.message) for e in response.context["result"].errors]


def household_row(head, id_card):
    return ["", "东村", "一组", head, "", "", id_card, "1", "", ""]


def test_a_household_id_card_outside_the_township_is_only_an_outside_conflict(
        client, people, directory, households):
    other_township = make_household(directory["v21"], head="周边")
    response, errors = preview(client, people["township_admin"], "households", [
        HEADERS["households"],
        household_row("甲", households["h11"].id_card),   # own township: may be named
        household_row("乙", other_township.id_card),      # same county, other township
        household_row("丙", households["h31"].id_card),   # other county
    ])
    assert errors == [(2, "身份证号", "该身份证号的农户已存在"),
                      (3, "身份证号", OUTSIDE), (4, "身份证号", OUTSIDE)]
    html = response.content.decode()
    assert "外村" not in html and "赵一" not in html and "乙街道" not in html


def test_the_org_department_sees_its_whole_county_but_not_beyond(client, people, directory,
                                                                 households):
    other_township = make_household(directory["v21"], head="周边")
    _response, errors = preview(client, people["org_department"], "households", [
        HEADERS["households"],
        ["甲镇", "东村", "一组", "乙", "", "", other_township.id_card, "1", "", ""],
        ["甲镇", "东村", "一组", "丙", "", "", households["h31"].id_card, "1", "", ""],
    ])
    assert errors == [(2, "身份证号", "该身份证号的农户已存在"), (3, "身份证号", OUTSIDE)]


def cadre_row(username, phone):
    return [username, "新人", phone, "", "", "东村", "2026-03-02"]


def test_cadre_usernames_and_phones_outside_the_township_are_only_outside_conflicts(
        client, people, directory):
    make_cadre(directory["v21"], username="t2cadre", phone="13800000021")
    response, errors = preview(client, people["township_admin"], "cadres", [
        HEADERS["cadres"],
        cadre_row("cadre3", "13900000031"),        # a cadre of another county
        cadre_row("t2cadre", "13900000032"),       # a cadre of another township
        cadre_row("org", "13900000033"),           # an official's account
        cadre_row("newbie1", "13800000003"),       # another county's cadre's phone
        cadre_row("newbie2", "13800000021"),       # another township's cadre's phone
        cadre_row("newbie3", "13800000002"),       # a cadre of this township's phone
    ])
    assert errors == [(2, "用户名", OUTSIDE), (3, "用户名", OUTSIDE), (4, "用户名", OUTSIDE),
                      (5, "手机号", OUTSIDE), (6, "手机号", OUTSIDE),
                      (7, "手机号", "手机号已被其他账号使用")]
    html = response.content.decode()
    assert "其他县" not in html and "其他镇" not in html


def test_every_preview_and_confirm_is_audited(client, people, directory, households):
    admin = people["township_admin"]
    preview(client, admin, "households", [HEADERS["households"],
                                          household_row("丙", households["h31"].id_card),
                                          household_row("丁", "")])
    entry = AuditLog.objects.get(action="import_preview")
    assert entry.username == "tadmin" and entry.county_id == directory["county"].pk
    assert (entry.detail["kind"], entry.detail["file_name"], entry.detail["rows"],
            entry.detail["errors"], entry.detail["outside_conflicts"]) == (
        "households", "名单.xlsx", 2, 1, 1)
    client.post(CONFIRM, {"token": ImportUpload.objects.get(user=admin).token})
    refused = AuditLog.objects.get(action="import")
    assert refused.success is False and refused.detail["errors"] == 1
