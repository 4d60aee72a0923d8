import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    """A password must contain at least one letter and one digit (等保 level 3)."""

    def validate(self, password, user=None):
        if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_letters_digits")

    def get_help_text(self):
        return _("密码必须同时包含字母和数字。")
