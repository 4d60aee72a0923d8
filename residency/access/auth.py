"""Log in with a username or with the phone number of a cadre or official."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        username = username.strip()
        User = get_user_model()
        user = (
            User._default_manager.filter(
                Q(username=username) | Q(cadre__phone=username) | Q(official__phone=username)
            )
            .order_by("pk")
            .first()
        )
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
