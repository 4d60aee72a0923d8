"""Choices and scope paths shared by the appraisal tables."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

CADRE_SCOPE = {"county": "cadre__township__county", "township": "cadre__township",
               "cadre": "cadre"}


class Grade(models.TextChoices):
    """Chinese civil-servant annual grades."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class RepresentativeKind(models.TextChoices):
    PARTY = "party", _("党员代表")
    RESIDENT = "resident", _("群众代表")


# --- The violation register -------------------------------------------------------------
