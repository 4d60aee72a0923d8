"""A multi-valued choice field stored portably (SQLite and PostgreSQL) as ``,a,b,``."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class MultiChoiceField(models.CharField):
    """Holds a list of choice codes. In the database: ``",code1,code2,"`` so that
    ``filter(field__contains=",code,")`` (see ``contains_code``) works on every backend."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple | set):
            return sorted({str(v) for v in value if v})
        return sorted({v for v in str(value).split(",") if v})

    def get_prep_value(self, value):
        if isinstance(value, str) and value.startswith(","):
            return value
        codes = self.to_python(value)
        return f",{','.join(codes)}," if codes else ""

    def validate(self, value, model_instance):
        valid = {code for code, _label in self.choices or []}
        for code in self.to_python(value):
            if code not in valid:
                raise ValidationError(_("无效的类别: %(code)s"), params={"code": code})
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        from django import forms

        return forms.TypedMultipleChoiceField(
            choices=self.choices, required=not self.blank, label=self.verbose_name,
            widget=forms.CheckboxSelectMultiple, help_text=self.help_text,
        )

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def get_choices(self, *args, **kwargs):
        return super().get_choices(include_blank=False)


def contains_code(field_name: str, code: str) -> dict:
    """``Household.objects.filter(**contains_code("categories", "hardship"))``."""
    return {f"{field_name}__contains": f",{code},"}
