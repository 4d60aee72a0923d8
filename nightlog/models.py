"""Households and the people's-conditions night log (rule R2)."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.models import ApprovalRequest, Cadre, Stay, Village

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
        constraints = [
            # An ID card names one person, who heads at most one household anywhere: the import
            # checks the whole database for the same reason. Households without a number are many.
            models.UniqueConstraint(fields=["id_card"], condition=~Q(id_card=""),
                                    name="household_id_card_unique",
                                    violation_error_message=_("该身份证号的农户已存在")),
        ]

    def __str__(self) -> str:
        return f"{self.head}户"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(MustVisit.choices)
        return [str(labels[c]) for c in self.categories if c in labels]

    @property
    def must_visit(self) -> bool:
        return bool(self.categories)


# --- Ties, visits, cards, consultations, problems (issue 4) ---------------------------


class LinkedHousehold(models.Model):
    """A cadre's tie (联系) with a household of his or her station village."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="links",
                              verbose_name=_("干部"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="links",
                                  verbose_name=_("农户"))
    since = models.DateField(_("联系开始"), default=timezone.localdate)
    until = models.DateField(_("联系结束"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("指派人"))

    scope_paths = {"county": "cadre__township__county", "township": "cadre__township",
                   "village": "household__village", "cadre": "cadre"}

    class Meta:
        verbose_name = _("联系户")
        verbose_name_plural = _("联系户")
        ordering = ["cadre", "household"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "household"], condition=Q(until__isnull=True),
                                    name="one_open_link_per_cadre_household"),
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                                   name="link_until_after_since"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.household}"

    @property
    def is_open(self) -> bool:
        return self.until is None


class Visit(models.Model):
    """One household visit (进户走访) written into the night log."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="visits",
                              verbose_name=_("干部"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits",
                                  verbose_name=_("农户"))
    visited_at = models.DateTimeField(_("走访时间"), db_index=True)
    stay = models.ForeignKey(Stay, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="visits", verbose_name=_("所属住夜"))
    companions = models.CharField(_("同行人员"), max_length=200, blank=True)
    situation = models.TextField(_("家庭情况"), blank=True)
    requests = models.TextField(_("诉求"), blank=True)
    suggestions = models.TextField(_("建议"), blank=True)
    needs_follow_up = models.BooleanField(_("需要跟进"), default=False)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    # Made by the form in the browser; the same key saved twice is the same visit.
    client_key = models.UUIDField(_("提交标识"), unique=True, default=uuid.uuid4, editable=False)
    # 补记: written more than 48 hours after the visit (created_at is the entry time).
    late_entry = models.BooleanField(_("补记"), default=False)
    late_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("补记批准人"))

    scope_paths = {"county": "household__village__township__county",
                   "township": "household__village__township", "village": "household__village",
                   "cadre": "cadre"}

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(situation="") & Q(requests="") & Q(suggestions="")),
                name="visit_has_content"),
            models.CheckConstraint(condition=Q(visited_at__lte=F("created_at")),
                                   name="visit_not_after_record"),
        ]
        indexes = [models.Index(fields=["cadre", "visited_at"]),
                   models.Index(fields=["household", "visited_at"])]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.household} {timezone.localtime(self.visited_at):%Y-%m-%d %H:%M}"


class LateVisitRequest(ApprovalRequest):
    """A visit older than the late-entry limit (VISIT_LATE_ENTRY_DAYS): the cadre asks, the
    township admin approves (the visit is then written, marked 补记) or refuses."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="late_visit_requests",
                              verbose_name=_("干部"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("农户"))
    visited_at = models.DateTimeField(_("走访时间"))
    client_key = models.UUIDField(_("提交标识"), unique=True, default=uuid.uuid4, editable=False)
    content = models.JSONField(_("走访内容"), default=dict)
    visit = models.OneToOneField(Visit, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="late_request", verbose_name=_("补记的走访"))

    scope_paths = {"county": "cadre__township__county", "township": "cadre__township",
                   "village": "household__village", "cadre": "cadre"}

    class Meta:
        verbose_name = _("补记申请")
        verbose_name_plural = _("补记申请")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.household} {timezone.localtime(self.visited_at):%Y-%m-%d}"


class VisitRevision(models.Model):
    """Each saved version of a visit (number 1 = as first written): the record is
    trustworthy because no change is ever lost."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="revisions",
                              verbose_name=_("走访记录"))
    number = models.PositiveSmallIntegerField(_("版本"))
    saved_at = models.DateTimeField(_("保存时间"), default=timezone.now)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("保存人"))
    data = models.JSONField(_("内容"), default=dict)
    changed_fields = models.JSONField(_("修改的字段"), default=list, blank=True)

    class Meta:
        verbose_name = _("走访记录修改")
        verbose_name_plural = _("走访记录修改")
        ordering = ["visit", "number"]
        constraints = [models.UniqueConstraint(fields=["visit", "number"],
                                               name="one_revision_number_per_visit")]

    def __str__(self) -> str:
        return f"{self.visit_id} v{self.number}"


class ContactCard(models.Model):
    """A 民情联系卡 handed to a household."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="contact_cards",
                              verbose_name=_("干部"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT,
                                  related_name="contact_cards", verbose_name=_("农户"))
    given_on = models.DateField(_("发放日期"), default=timezone.localdate)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_paths = {"county": "cadre__township__county", "township": "cadre__township",
                   "village": "household__village", "cadre": "cadre"}

    class Meta:
        verbose_name = _("民情联系卡")
        verbose_name_plural = _("民情联系卡")
        ordering = ["-given_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["cadre", "household", "given_on"],
                                               name="one_card_per_cadre_household_day")]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.household} {self.given_on}"


class Consultation(models.Model):
    """A group consultation (集中恳谈)."""

    class Mode(models.TextChoices):
        INVITE_UP = "up", _("请上来")
        GO_DOWN = "down", _("走下去")

    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="consultations",
                                verbose_name=_("村(社区)"))
    convened_by = models.ForeignKey(Cadre, on_delete=models.PROTECT,
                                    related_name="consultations", verbose_name=_("召集干部"))
    held_on = models.DateField(_("日期"), db_index=True)
    mode = models.CharField(_("方式"), max_length=4, choices=Mode.choices)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    topics = models.TextField(_("恳谈议题"))
    measures = models.TextField(_("商定措施"), blank=True)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    scope_paths = {"county": "village__township__county", "township": "village__township",
                   "village": "village", "cadre": "convened_by"}

    class Meta:
        verbose_name = _("集中恳谈")
        verbose_name_plural = _("集中恳谈")
        ordering = ["-held_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(mode__in=["up", "down"]),
                                              name="consultation_mode_valid")]

    def __str__(self) -> str:
        return f"{self.village} {self.held_on} {self.get_mode_display()}"


class ParticipantKind(models.TextChoices):
    RESIDENTS = "residents", _("群众代表")
    PARTY_MEMBERS = "party_members", _("党员代表")
    GROUP_LEADERS = "group_leaders", _("“三小”组长代表")
    VILLAGE_CADRES = "village_cadres", _("村干部")


class ConsultationParticipant(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="participants", verbose_name=_("集中恳谈"))
    kind = models.CharField(_("类别"), max_length=20, choices=ParticipantKind.choices)
    count = models.PositiveSmallIntegerField(_("人数"), default=0)
    names = models.CharField(_("姓名"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("恳谈参加人员")
        verbose_name_plural = _("恳谈参加人员")
        ordering = ["consultation", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "kind"],
                                    name="one_participant_row_per_kind"),
            models.CheckConstraint(condition=Q(count__gt=0) | ~Q(names=""),
                                   name="participant_count_or_names"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.count}"


class Problem(models.Model):
    """A prominent problem raised in a visit or a consultation (现场破难)."""

    class Status(models.TextChoices):
        RAISED = "raised", _("已提出")
        IN_PROGRESS = "in_progress", _("办理中")
        RESOLVED = "resolved", _("已解决")
        CONFIRMED = "confirmed", _("群众已确认")
        ESCALATED = "escalated", _("已上报镇(街道)")

    class Category(models.TextChoices):
        EMPLOYMENT = "employment", _("就业增收")
        WELFARE = "welfare", _("民生救助")
        HEALTH = "health", _("医疗卫生")
        INFRASTRUCTURE = "infrastructure", _("基础设施")
        FARMING = "farming", _("农业生产")
        DISPUTE = "dispute", _("矛盾纠纷")
        ENVIRONMENT = "environment", _("环境卫生")
        OTHER = "other", _("其他")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")
        CRITICAL = "critical", _("特急")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="problems", verbose_name=_("来源走访"))
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="problems",
                                     verbose_name=_("来源恳谈"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="problems", verbose_name=_("农户"))
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="problems",
                                verbose_name=_("村(社区)"))
    raised_by = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="problems_raised",
                                  verbose_name=_("提出干部"))
    summary = models.CharField(_("问题摘要"), max_length=200)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices,
                                default=Category.OTHER)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="problems_owned", verbose_name=_("责任人"))
    due_date = models.DateField(_("办结期限"), db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.RAISED, db_index=True)
    resolution = models.TextField(_("解决办法"), blank=True)
    on_the_spot = models.BooleanField(_("现场办公解决"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    satisfied = models.BooleanField(_("群众满意"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    scope_paths = {"county": "village__township__county", "township": "village__township",
                   "village": "village", "cadre": "raised_by"}

    OPEN_STATUSES = (Status.RAISED, Status.IN_PROGRESS)
    DONE_STATUSES = (Status.RESOLVED, Status.CONFIRMED)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["due_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(visit__isnull=False, consultation__isnull=True)
                           | Q(visit__isnull=True, consultation__isnull=False)),
                name="problem_from_visit_or_consultation"),
            models.CheckConstraint(
                condition=Q(status__in=["raised", "in_progress", "resolved", "confirmed",
                                        "escalated"]),
                name="problem_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "confirmed"]) | Q(resolved_at__isnull=False),
                name="problem_resolved_has_time"),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(satisfied__isnull=False, confirmed_at__isnull=False),
                name="problem_confirmed_has_answer"),
            models.CheckConstraint(condition=~Q(summary=""), name="problem_has_summary"),
        ]
        indexes = [models.Index(fields=["owner", "status"]),
                   models.Index(fields=["village", "status"])]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())


class ProblemEvent(models.Model):
    """One step of a problem: who, when, from which status to which, and a note."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("问题"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("操作人"))
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("问题办理记录")
        verbose_name_plural = _("问题办理记录")
        ordering = ["problem", "at", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.from_status}->{self.to_status}"


class OnSiteOffice(models.Model):
    """现场办公: a session held on the spot to tackle a problem (现场破难): when, where, who
    attended and what came of it. A problem resolved with at least one of these counts as
    resolved on the spot (现场办公办结) in the statistics."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="on_site_offices",
                                verbose_name=_("问题"))
    held_on = models.DateField(_("办公日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=100)
    attendees = models.CharField(_("参加人员"), max_length=300)
    outcome = models.TextField(_("办公结果"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    scope_paths = {"county": "problem__village__township__county",
                   "township": "problem__village__township", "village": "problem__village",
                   "cadre": "problem__raised_by"}

    class Meta:
        verbose_name = _("现场办公")
        verbose_name_plural = _("现场办公")
        ordering = ["problem", "held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="") & ~Q(attendees="") & ~Q(outcome=""),
                                   name="onsiteoffice_filled_in"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"
