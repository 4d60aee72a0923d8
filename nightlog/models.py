"""Households and the people's-conditions night log (rule R2)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from residency.models import Village

from .fields import MultiChoiceField


class MustVisit(models.TextChoices):
    """The five kinds of household that must be visited (五必访)."""

    HARDSHIP = "hardship", _("困难户")
    LARGE_FARM = "large_farm", _("种养大户")
    GROUP_LEADER = "group_leader", _("“三小”组长户")
    PRIVATE_BUSINESS = "private_business", _("个私企业户")
    KEY_PERSON = "key_person", _("重点人员户")


class Household(models.Model):
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="households",
                                verbose_name=_("村(社区)"))
    group = models.CharField(_("村民小组"), max_length=30, blank=True)
    head = models.CharField(_("户主"), max_length=30)
    address = models.CharField(_("地址"), max_length=120, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    id_card = models.CharField(_("户主身份证号"), max_length=18, blank=True)
    members = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    categories = MultiChoiceField(_("必访类别"), choices=MustVisit.choices)
    is_key = models.BooleanField(_("重点户"), default=False)

    scope_paths = {"county": "village__township__county", "township": "village__township",
                   "village": "village"}

    class Meta:
        verbose_name = _("农户")
        verbose_name_plural = _("农户")
        ordering = ["village", "group", "head"]
        indexes = [models.Index(fields=["village", "categories"])]

    def __str__(self) -> str:
        return f"{self.head}户"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(MustVisit.choices)
        return [str(labels[c]) for c in self.categories if c in labels]

    @property
    def must_visit(self) -> bool:
        return bool(self.categories)
