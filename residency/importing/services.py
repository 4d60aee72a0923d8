"""Writes of the import: keeping the upload between preview and confirm, and saving a
whole valid file in one transaction (re-validated inside it)."""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit
from residency.access import scope_cache
from residency.access.roles import Role
from residency.directory.services import announce_stations_ended
from residency.importing.actions import ASSIGN, CREATE, TRANSFER
from residency.importing.conflicts import record_check
from residency.importing.models import ImportUpload
from residency.importing.pipeline import check_file, check_table, table_from_json, table_to_json
from residency.importing.registry import ImportContext, get_kind
from residency.importing.rows import CheckResult, RowError, Table
from residency.models import Cadre, County, Station, Township, Village

UPLOAD_TTL = timedelta(days=1)


class ImportInvalid(Exception):
    """The file is (now) not valid: nothing was saved. ``result`` holds the errors."""

    def __init__(self, result: CheckResult):
        super().__init__("import invalid")
        self.result = result


class ImportGone(Exception):
    """The upload was confirmed (or cancelled) meanwhile: nothing more to save."""


# --- the pending upload ---------------------------------------------------------------


@transaction.atomic
def upload_store(*, user, kind: str, filename: str, data: bytes,
                 county: County | None, table: Table | None = None) -> ImportUpload:
    """Keep the bytes for this user (replacing the user's earlier upload) and sweep
    uploads nobody confirmed within a day."""
    ImportUpload.objects.filter(created_at__lt=timezone.now() - UPLOAD_TTL).delete()
    ImportUpload.objects.filter(user=user).delete()
    upload = ImportUpload(user=user, token=secrets.token_urlsafe(32), kind=kind,
                          filename=filename[:200], data=data, county=county,
                          table=table_to_json(table) if table is not None else None)
    upload.full_clean(exclude=["data", "table"])
    upload.save()
    return upload


def upload_check(*, upload: ImportUpload, ctx: ImportContext) -> CheckResult:
    """Check the upload's rows as parsed at upload (an upload kept before rows were stored
    is read from its bytes)."""
    kind = get_kind(upload.kind)
    if upload.table is None:
        return check_file(kind=kind, data=bytes(upload.data), filename=upload.filename, ctx=ctx)
    return check_table(kind=kind, table=table_from_json(upload.table), ctx=ctx)


def upload_discard(*, user) -> None:
    ImportUpload.objects.filter(user=user).delete()


def import_confirm(*, upload: ImportUpload, ctx: ImportContext) -> dict[str, Any]:
    """Re-read and re-validate the file (the database may have changed since the
    preview), then save every row or none. Raises ``ImportInvalid`` with the errors."""
    kind = get_kind(upload.kind)
    try:
        with transaction.atomic():
            # A double-clicked confirm waits here, then finds the upload gone.
            if not ImportUpload.objects.select_for_update().filter(pk=upload.pk).exists():
                raise ImportGone
            result = upload_check(upload=upload, ctx=ctx)
            if not result.ok:
                raise ImportInvalid(result)
            outcome = kind.save(result, ctx)
            audit.record("import", user=ctx.user, kind=kind.code, rows=len(result.records),
                         file_name=upload.filename,
                         summary={k: v for k, v in result.summary.items() if v})
            ImportUpload.objects.filter(pk=upload.pk).delete()
    except ImportInvalid as invalid:
        record_check(stage="import", ctx=ctx, kind=kind.code, filename=upload.filename,
                     result=invalid.result, success=False)
        raise
    except IntegrityError as exc:
        # Another admin saved the same code or phone between our check and our write.
        result = CheckResult(errors=[RowError(0, "", _(
            "保存时数据库已被他人修改,没有保存任何数据,请重新预览后再确认"))])
        record_check(stage="import", ctx=ctx, kind=kind.code, filename=upload.filename,
                     result=result, success=False)
        raise ImportInvalid(result) from exc
    return {"kind": kind, "rows": len(result.records), "summary": result.summary, **outcome}


# --- saving each kind (called inside import_confirm's transaction) --------------------


def townships_create(*, records) -> dict[str, Any]:
    objs = [Township(county_id=r.county_id, code=r.code, name=r.name, kind=r.kind) for r in records]
    for obj in objs:
        obj.full_clean(exclude=["county"], validate_unique=False, validate_constraints=False)
    Township.objects.bulk_create(objs, batch_size=1000)
    return {"created": len(objs)}


def villages_create(*, records) -> dict[str, Any]:
    objs = [Village(township_id=r.township_id, code=r.code, name=r.name, kind=r.kind,
                    latitude=r.latitude, longitude=r.longitude, beds=r.beds)
            for r in records]
    for obj in objs:
        obj.full_clean(exclude=["township"], validate_unique=False, validate_constraints=False)
    Village.objects.bulk_create(objs, batch_size=1000)
    return {"created": len(objs)}


PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 14  # about 81 bits of randomness


def initial_password() -> str:
    """A random one-time password with letters and digits (the password validators)."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


class InitialPasswordHasher(Argon2PasswordHasher):
    """Argon2 at a lower cost, for machine-generated random passwords only.

    Argon2's full cost (about 0.25 s a hash here) protects guessable human passwords; an
    81-bit random secret needs no stretching to resist brute force, and 929 cadres at full
    cost would take minutes in one request. The hash is ordinary argon2 (checked by the
    configured hasher, which reads the cost from the hash) and Django re-hashes it at full
    cost on the first login, when ``must_update`` sees the lower parameters."""

    time_cost = 1
    memory_cost = 1024  # KiB
    parallelism = 1


def initial_password_hash(password: str) -> str:
    preferred = get_hasher("default")
    if preferred.algorithm == InitialPasswordHasher.algorithm:
        hasher = InitialPasswordHasher()
        return hasher.encode(password, hasher.salt())
    return make_password(password)


def cadres_import(*, records) -> dict[str, Any]:
    """Create new cadres (login with a one-time password, Cadre, open Station); update
    existing ones; a transfer closes the old station the day before the new start."""
    User = get_user_model()
    new = [r for r in records if r.action == CREATE]
    passwords = {r.username: initial_password() for r in new}
    users = [User(username=r.username, password=initial_password_hash(passwords[r.username]))
             for r in new]
    for user in users:
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    User.objects.bulk_create(users, batch_size=500)
    user_ids = dict(User.objects.filter(username__in=list(passwords)).values_list("username", "pk"))
    group, _created = Group.objects.get_or_create(name=Role.CADRE.value)
    group.user_set.add(*user_ids.values())  # audited as role changes by residency.audit.signals

    cadres = [Cadre(user_id=user_ids[r.username], township_id=r.township_id, name=r.name,
                    position=r.position, phone=r.phone) for r in new]
    existing = [r for r in records if r.action != CREATE]
    changed = [Cadre(pk=r.existing.cadre_id, user_id=r.existing.user_id, township_id=r.township_id,
                     name=r.name, position=r.position, phone=r.phone) for r in existing]
    for cadre in (*cadres, *changed):
        cadre.full_clean(exclude=["user", "township"], validate_unique=False,
                         validate_constraints=False)
    Cadre.objects.bulk_create(cadres, batch_size=1000)
    Cadre.objects.bulk_update(changed, ["township", "name", "position", "phone"], batch_size=500)

    closing = [Station(pk=r.existing.station_id, cadre_id=r.existing.cadre_id,
                       village_id=r.existing.station_village_id, start=r.existing.station_start,
                       end=r.start - timedelta(days=1))
               for r in existing if r.action == TRANSFER and r.existing.station_id]
    Station.objects.bulk_update(closing, ["end"], batch_size=500)
    announce_stations_ended(closing)
    cadre_of = {r.username: c.pk for r, c in zip(new, cadres, strict=True)}
    cadre_of.update({r.username: r.existing.cadre_id for r in existing})
    opening = [Station(cadre_id=cadre_of[r.username], village_id=r.village_id, start=r.start)
               for r in records if r.action in (CREATE, TRANSFER, ASSIGN)]
    for station in (*closing, *opening):
        station.full_clean(exclude=["cadre", "village"], validate_unique=False,
                           validate_constraints=False)
    Station.objects.bulk_create(opening, batch_size=1000)
    scope_cache.forget_all()  # bulk writes send no signals
    return {"passwords": [{"username": r.username, "name": r.name,
                           "password": passwords[r.username]} for r in new]}
