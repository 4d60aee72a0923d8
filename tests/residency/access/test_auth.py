import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from residency.models import AuditLog
from tests.residency.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_by_username(client, people):
    response = login(client, "cadre1")
    assert response.status_code == 302 and response.url == reverse("home")


def test_login_by_phone(client, people):
    response = login(client, "13800000001")
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].username == "cadre1"


def test_login_success_and_failure_are_audited(client, people):
    login(client, "cadre1", "wrong-password1")
    login(client, "cadre1")
    actions = list(AuditLog.objects.filter(action__startswith="login").order_by("id")
                   .values_list("action", "username", "success"))
    assert actions == [("login_failed", "cadre1", False), ("login", "cadre1", True)]
    assert AuditLog.objects.get(action="login").ip == "127.0.0.1"


def test_five_failures_lock_the_account_for_thirty_minutes(client, people, settings):
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.AXES_COOLOFF_TIME == 0.5
    for _ in range(5):
        login(client, "cadre1", "wrong-password1")
    response = login(client, "cadre1")  # the right password no longer helps
    assert response.status_code == 429  # Too Many Requests
    assert "锁定30分钟" in response.content.decode()
    assert AuditLog.objects.filter(action="lockout").exists()


def test_bad_login_shows_a_chinese_message(client, people):
    response = login(client, "cadre1", "wrong-password1")
    assert response.status_code == 200
    assert "用户名(手机号)或密码错误" in response.content.decode()


def test_passwords_need_eight_characters_with_letters_and_digits():
    for weak in ["abc123", "abcdefghij", "1234567890"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Nightlog2026")


def test_passwords_are_hashed_with_argon2():
    from django.conf import settings as django_settings

    from tongxiang.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.SESSION_COOKIE_AGE == 1800
    assert "residency.access.idle.IdleSessionMiddleware" in django_settings.MIDDLEWARE


def test_role_change_is_audited(people):
    from django.contrib.auth.models import Group

    user = people["cadre"].user
    user.groups.add(Group.objects.get_or_create(name="inspector")[0])
    entry = AuditLog.objects.filter(action="role_change").latest("id")
    assert entry.object_id == str(user.pk) and entry.detail["groups"] == ["inspector"]


def test_logout_needs_post_and_ends_the_session(client, people):
    login(client, "cadre1")
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, people):
    login(client, "cadre1")
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "NewNight2026x", "new_password2": "NewNight2026x"})
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert login(client, "cadre1", "NewNight2026x").status_code == 302
