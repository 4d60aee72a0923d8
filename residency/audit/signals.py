"""Audit receivers: logins, failures, lockouts, role changes; and the role groups."""
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_migrate
from django.dispatch import receiver

from residency import audit

User = get_user_model()


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record("login", request=request, user=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record("logout", request=request, user=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit.record("login_failed", request=request, success=False,
                 username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    audit.record("lockout", request=request, success=False, username=str(username or "")[:150])


@receiver(m2m_changed, sender=User.groups.through)
def audit_role_change(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from django.contrib.auth.models import Group

    if reverse:  # group.user_set changed: instance is the group
        users = User.objects.filter(pk__in=pk_set or [])
        groups = [instance.name]
    else:
        users = [instance]
        groups = list(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    for user in users:
        audit.record("role_change", obj=user, change=action.removeprefix("post_"), groups=groups)


@receiver(post_migrate)
def create_role_groups(sender, app_config=None, **kwargs):
    # Run once, after the last installed app has migrated, so every permission exists.
    from django.apps import apps

    if app_config is not None and app_config is list(apps.get_app_configs())[-1]:
        from residency.access.roles import ensure_groups

        ensure_groups()
