"""``{% bs_field form.x %}``: one form field in Bootstrap 5 markup, written in Python.

The same markup as crispy-bootstrap5's ``as_crispy_field`` for the widgets the phone
pages use (text, number, date and time inputs, textarea, select, checkbox), at a fraction
of the cost: crispy renders each field through about ten nested templates, which was the
largest block of the visit form's server time (docs/PERFORMANCE.md). Any other widget
(radio buttons, multiple checkboxes, files) falls back to crispy."""
from __future__ import annotations

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_PLAIN = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.PasswordInput,
          forms.DateInput, forms.DateTimeInput, forms.TimeInput, forms.Textarea, forms.Select)
_FALLBACK = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.SelectMultiple, forms.FileInput)


def _widget(bf, css: str) -> str:
    """The widget with crispy's classes: its own, the widget's class name, the Bootstrap one."""
    words = bf.field.widget.attrs.get("class", "").split()
    name = type(bf.field.widget).__name__.lower()
    for word in (name, *css.split(), *(["is-invalid"] if bf.errors else [])):
        if word not in words:
            words.append(word)
    return bf.as_widget(attrs={"class": " ".join(words)})


def _extras(bf) -> str:
    errors = ""
    if bf.errors:
        errors = format_html('<div id="{}_error" class="invalid-feedback">{}</div>', bf.auto_id,
                             format_html_join("", '<p id="error_{}_{}"><strong>{}</strong></p>',
                                              ((i, bf.auto_id, e) for i, e in enumerate(bf.errors, start=1))))
    help_text = (format_html('<div id="{}_helptext" class="form-text">{}</div>', bf.auto_id,
                             bf.help_text) if bf.help_text else "")
    return mark_safe(errors + help_text)  # both parts are escaped by format_html


@register.simple_tag
def bs_field(bf, wrapper_class: str = ""):
    widget = bf.field.widget
    if bf.is_hidden:
        return bf.as_widget()
    if isinstance(widget, _FALLBACK) or not isinstance(widget, (*_PLAIN, forms.CheckboxInput)):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bf)
    required = bf.field.required
    star = mark_safe('<span class="asteriskField">*</span>') if required else ""
    req_class = " requiredField" if required else ""
    extra = f" {wrapper_class}" if wrapper_class else ""
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}</div></div>',
            bf.auto_id, extra, _widget(bf, "form-check-input"), bf.id_for_label, req_class,
            bf.label, star, _extras(bf))
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    label = (format_html('<label for="{}" class="form-label{}">{}{}</label>', bf.id_for_label,
                         req_class, bf.label, star) if bf.label else "")
    return format_html('<div id="div_{}" class="mb-3{}">{}{}{}</div>', bf.auto_id, extra, label,
                       _widget(bf, css), _extras(bf))


__all__ = ["bs_field"]
