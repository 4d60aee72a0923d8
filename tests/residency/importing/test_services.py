"""Import services: one-time passwords, the pending upload, saving cadres (service level)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, get_hasher
from django.contrib.auth.password_validation import validate_password
from django.test import override_settings
from django.utils import timezone

from residency.importing import ImportContext
from residency.importing.models import ImportUpload
from residency.importing.services import (
    ImportGone,
    ImportInvalid,
    import_confirm,
    initial_password,
    initial_password_hash,
    upload_store,
)
from residency.models import AuditLog, Cadre, Station
from tests.residency.importing.files import HEADERS, xlsx

ARGON2_FIRST = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def test_initial_passwords_are_random_and_pass_the_password_validators():
    passwords = {initial_password() for _i in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        validate_password(password)


@override_settings(PASSWORD_HASHERS=ARGON2_FIRST)
def test_an_initial_password_is_argon2_and_upgraded_to_full_cost_at_first_check():
    password = initial_password()
    encoded = initial_password_hash(password)
    assert encoded.startswith("argon2$")
    assert get_hasher("default").must_update(encoded)  # so Django re-hashes at login
    upgraded = []
    assert check_password(password, encoded, setter=upgraded.append)
    assert upgraded == [password]
    assert not check_password("wrong-1234", encoded)


def ctx_for(user, directory, township=True):
    return ImportContext(user=user, role="township_admin" if township else "org_department",
                         county_id=directory["county"].pk,
                         township_id=directory["t1"].pk if township else None,
                         today=date(2026, 3, 2))


def test_an_upload_is_kept_per_user_and_stale_uploads_are_swept(people, directory):
    admin, org = people["township_admin"], people["org_department"]
    old = upload_store(user=org, kind="villages", filename="old.xlsx", data=b"x", county=None)
    ImportUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    upload_store(user=admin, kind="villages", filename="a.xlsx", data=b"x", county=None)
    second = upload_store(user=admin, kind="villages", filename="b.xlsx", data=b"y", county=None)
    assert list(ImportUpload.objects.values_list("filename", flat=True)) == ["b.xlsx"]
    assert len(second.token) >= 40


def test_confirm_saves_cadres_and_their_stations_in_one_transaction(people, directory):
    admin = people["township_admin"]
    rows = [HEADERS["cadres"],
            ["zhao", "赵", "13900000031", "", "", "东村", "2026-03-02"],
            ["qian", "钱", "13900000032", "", "", "西村", "2026-03-02"],
            ["cadre2", "改", "13800000002", "", "", "东村", "2026-03-09"]]  # transfer v12 -> v11
    upload = upload_store(user=admin, kind="cadres", filename="c.xlsx", data=xlsx(rows), county=None)
    outcome = import_confirm(upload=upload, ctx=ctx_for(admin, directory))
    assert outcome["summary"] == {"create": 2, "update": 0, "transfer": 1, "assign": 0}
    assert {p["username"] for p in outcome["passwords"]} == {"zhao", "qian"}
    assert Station.objects.filter(end__isnull=True, cadre__user__username__in=["zhao", "qian"]).count() == 2
    moved = people["cadre_other"]
    assert list(moved.stations.order_by("start").values_list("village__name", "end")) == [
        ("西村", date(2026, 3, 8)), ("东村", None)]
    assert AuditLog.objects.get(action="import").detail["summary"] == {"create": 2, "transfer": 1}


def test_a_failure_after_the_first_writes_leaves_nothing_behind(people, directory, monkeypatch):
    from residency.importing import services

    admin = people["township_admin"]
    rows = [HEADERS["cadres"], ["zhao", "赵", "13900000031", "", "", "东村", ""]]
    upload = upload_store(user=admin, kind="cadres", filename="c.xlsx", data=xlsx(rows), county=None)

    def broken_bulk_create(objs, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Station.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        import_confirm(upload=upload, ctx=ctx_for(admin, directory))
    assert not get_user_model().objects.filter(username="zhao").exists()
    assert not Cadre.objects.filter(name="赵").exists()
    assert not AuditLog.objects.filter(action="import").exists()
    assert ImportUpload.objects.filter(pk=upload.pk).exists()


def test_confirm_raises_with_the_errors_when_the_file_is_not_valid(people, directory):
    admin = people["township_admin"]
    rows = [HEADERS["cadres"], ["zhao", "赵", "139", "", "", "东村", ""]]
    upload = upload_store(user=admin, kind="cadres", filename="c.xlsx", data=xlsx(rows), county=None)
    with pytest.raises(ImportInvalid) as caught:
        import_confirm(upload=upload, ctx=ctx_for(admin, directory))
    assert [(e.row, e.column) for e in caught.value.result.errors] == [(2, "手机号")]
    assert not get_user_model().objects.filter(username="zhao").exists()


def test_confirming_an_upload_twice_saves_once(people, directory):
    admin = people["township_admin"]
    rows = [HEADERS["villages"], ["", "003", "北村", "行政村"]]
    upload = upload_store(user=admin, kind="villages", filename="v.xlsx", data=xlsx(rows), county=None)
    import_confirm(upload=upload, ctx=ctx_for(admin, directory))
    with pytest.raises(ImportGone):
        import_confirm(upload=upload, ctx=ctx_for(admin, directory))
    assert AuditLog.objects.filter(action="import").count() == 1
