"""``{% bs_field %}`` writes what crispy-bootstrap5's ``as_crispy_field`` writes for the visit
form's fields (the same elements, ids, classes, names, values and texts), bound or not, with
errors and help texts; other widgets are crispy's own."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from nightlog.forms import VisitForm
from residency.templatetags.form_fields import bs_field

pytestmark = pytest.mark.django_db


class _Shape(HTMLParser):
    """Elements as (tag, sorted attributes with class words sorted) and the text, in order."""

    def __init__(self):
        super().__init__()
        self.items: list = []

    def handle_starttag(self, tag, attrs):
        clean = []
        for name, value in attrs:
            if name == "class":
                value = " ".join(sorted((value or "").split()))
            clean.append((name, value))
        self.items.append((tag, tuple(sorted(clean))))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data.strip()))


def shape(html: str) -> list:
    parser = _Shape()
    parser.feed(str(html))
    return parser.items


FIELDS = ["visited_at", "companions", "situation", "requests", "suggestions", "needs_follow_up",
          "problem_summary", "problem_category", "problem_urgency", "problem_owner",
          "problem_due_date", "late_reason"]


@pytest.mark.parametrize("bound", [False, True])
def test_the_visit_form_fields_match_crispy(bound):
    data = {"visited_at": "not a date", "problem_summary": "x" * 5000, "needs_follow_up": "on",
            "problem_category": "nope"}
    form = VisitForm(data if bound else None, households=None, owners=None)
    if bound:
        assert not form.is_valid()
    for name in FIELDS:
        assert shape(bs_field(form[name])) == shape(as_crispy_field(form[name])), name


def test_other_widgets_are_crispys():
    class Radio(forms.Form):
        mode = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)

    field = Radio()["mode"]
    assert str(bs_field(field)) == str(as_crispy_field(field))
