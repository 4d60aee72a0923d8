from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名或手机号"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True,
                                                             "autocomplete": "username"}))
    error_messages = {
        "invalid_login": _("用户名(手机号)或密码错误。连续失败5次将锁定30分钟。"),
        "inactive": _("该账号已停用。"),
    }
