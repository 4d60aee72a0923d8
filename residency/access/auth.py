"""Log in with a username or with the phone number of a cadre or official."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


def account_for(name: str):
    """The account a typed login name (username or phone) names, or None."""
    name = (name or "").strip()
    if not name:
        return None
    User = get_user_model()
    return (
        User._default_manager.filter(
            Q(username=name) | Q(cadre__phone=name) | Q(official__phone=name)
        )
        .order_by("pk")
        .first()
    )


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        user = account_for(username)
        if user is None:
            get_user_model()().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
