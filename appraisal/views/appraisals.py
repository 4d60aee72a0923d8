from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from residency import audit
from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role, role_of
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.bounded_input import text_param, year_in_bounds
from residency.directory.selectors import township_list
from residency.models import Cadre, County
from residency.web import errors_to_form

from .. import selectors, services
from ..forms import GradeForm, PenaltyActionForm, RulesForm
from ..models import Grade, PenaltyAction
from .common import ORG, READERS, county_scope, int_param, parse_id, year_param

SELF_AND_READERS = (*READERS, Role.CADRE)


class AppraisalListView(RoleRequiredMixin, View):
    """This year's appraisal of every cadre in scope, 50 a page, computed per page."""

    allowed_roles = READERS
    template_name = "appraisal/appraisal_list.html"

    def get(self, request):
        year = year_param(request)
        scope = get_scope(request)
        township_id = int_param(request, "township")
        q = text_param(request, "q", 30)
        cadres = selectors.appraisal_cadres(scope=scope, year=year, township_id=township_id, q=q)
        page = Paginator(cadres, 50).get_page(request.GET.get("page"))
        rows = selectors.appraisal_rows(cadres=list(page.object_list), year=year)
        params = request.GET.copy()
        params.pop("page", None)
        return render(request, self.template_name, {
            "year": year, "rows": rows, "page_obj": page, "paginator": page.paginator,
            "is_paginated": page.has_other_pages(), "querystring": params.urlencode(), "q": q,
            "townships": township_list(scope=scope), "township_id": township_id,
            "is_org": role_of(request.user) in ORG})


def _cadre(request, pk) -> Cadre:
    qs = Cadre.objects.select_related("township__county", "user")
    return scoped_get_or_404(request, qs, pk=pk)


class AppraisalDetailView(RoleRequiredMixin, View):
    """The printable appraisal page of one cadre for one year."""

    allowed_roles = SELF_AND_READERS
    template_name = "appraisal/appraisal_detail.html"

    def get(self, request, pk, year, **forms):
        return self.render_page(request, pk, year)

    def render_page(self, request, pk, year, status=200, **forms):
        cadre = _cadre(request, pk)
        year = year_param(request, year)
        row = selectors.appraisal_rows(cadres=[cadre], year=year)[0]
        violations = selectors.violation_list(scope=get_scope(request), year=year, cadre_id=cadre.pk)
        _result, actions = selectors.ladder_for(cadre_id=cadre.pk, year=year)
        rules = selectors.rules_for(county_id=cadre.township.county_id, year=year)
        is_org = role_of(request.user) in ORG
        audit.record("appraisal_view", obj=cadre, year=year)
        ctx = {"cadre": cadre, "year": year, "row": row, "violations": violations,
               "actions": actions, "rules": rules, "is_org": is_org}
        if is_org:
            ctx["grade_form"] = forms.get("grade_form") or GradeForm(
                initial={"final_grade": row.final_grade or row.proposed_grade})
            ctx["penalty_form"] = forms.get("penalty_form") or PenaltyActionForm(
                initial={"kind": PenaltyAction.Kind.HANDLING if row.ladder.handling_due
                         else PenaltyAction.Kind.TALK})
        return render(request, self.template_name, ctx, status=status)


class AppraisalGradeView(RoleRequiredMixin, View):
    allowed_roles = ORG

    def post(self, request, pk, year):
        cadre = _cadre(request, pk)
        if not year_in_bounds(year):  # a write names its year exactly: no fallback
            raise Http404
        count = selectors.standing_counts(cadre_ids=[cadre.pk], year=year)[cadre.pk]
        form = GradeForm(request.POST, standing_violations=count, year=year)
        if form.is_valid():
            try:
                services.appraisal_set_grade(cadre=cadre, year=year, by=request.user,
                                             grade=form.cleaned_data["final_grade"],
                                             note=form.cleaned_data["note"])
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("已确定 %(name)s %(year)s 年度考核等次:%(grade)s。") % {
                    "name": cadre.name, "year": year,
                    "grade": Grade(form.cleaned_data["final_grade"]).label})
                return redirect("appraisal:appraisal-detail", cadre.pk, year)
        return AppraisalDetailView().render_page(request, pk, year, status=400, grade_form=form)


class PenaltyActionCreateView(RoleRequiredMixin, View):
    allowed_roles = ORG

    def post(self, request, pk, year):
        cadre = _cadre(request, pk)
        if not year_in_bounds(year):  # a write names its year exactly: no fallback
            raise Http404
        form = PenaltyActionForm(request.POST)
        if form.is_valid():
            try:
                services.penalty_action_record(cadre=cadre, year=year, by=request.user,
                                               **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("已登记。"))
                return redirect("appraisal:appraisal-detail", cadre.pk, year)
        return AppraisalDetailView().render_page(request, pk, year, status=400, penalty_form=form)


def _county(request) -> County:
    county_id = get_scope(request).county_id
    if county_id is None:
        raise Http404
    return County.objects.get(pk=county_id)


class RulesUpdateView(RoleRequiredMixin, View):
    """The satisfaction formula and grading thresholds of the county for a year."""

    allowed_roles = ORG
    template_name = "appraisal/rules_form.html"

    def get(self, request):
        year = year_param(request)
        county = _county(request)
        rules = selectors.rules_for(county_id=county.pk, year=year)
        return render(request, self.template_name, {"form": RulesForm(instance=rules),
                                                    "year": year, "county": county})

    def post(self, request):
        year = year_param(request, request.POST.get("year"))
        county = _county(request)
        rules = selectors.rules_for(county_id=county.pk, year=year)
        form = RulesForm(request.POST, instance=rules)
        if form.is_valid():
            try:
                services.rules_update(county=county, year=year, by=request.user,
                                      **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("%(year)s 年度评议规则已保存。") % {"year": year})
                return redirect(f"{request.path}?year={year}")
        return render(request, self.template_name, {"form": form, "year": year, "county": county},
                      status=400)


class GoldenListView(RoleRequiredMixin, View):
    """金口碑: candidates ranked by satisfaction; the organisation department selects."""

    allowed_roles = (*ORG, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
    template_name = "appraisal/golden_list.html"

    def get(self, request):
        year = year_param(request)
        scope, counties, county_id = county_scope(request)
        rows = selectors.golden_candidates(scope=scope, year=year)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        querystring = f"year={year}" + (f"&county={county_id}" if county_id else "")
        return render(request, self.template_name, {
            "year": year, "rows": page.object_list, "page_obj": page, "paginator": page.paginator,
            "is_paginated": page.has_other_pages(), "querystring": querystring,
            "counties": counties, "county_id": county_id, "is_org": role_of(request.user) in ORG})

    def post(self, request):
        if role_of(request.user) not in ORG:
            raise PermissionDenied  # viewers read the list; only the department selects
        year = year_param(request, request.POST.get("year"))
        cadre = _cadre(request, parse_id(request.POST.get("cadre")) or 0)
        try:
            if request.POST.get("action") == "unselect":
                services.golden_unselect(cadre=cadre, year=year, by=request.user)
                messages.success(request, _("已取消 %(name)s 的金口碑。") % {"name": cadre.name})
            else:
                services.golden_select(cadre=cadre, year=year, by=request.user)
                messages.success(request, _("已评选 %(name)s 为金口碑。") % {"name": cadre.name})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{request.path}?year={year}")


class GoldenPublicView(View):
    """The public list of a year's winners: names, township and village only. No login."""

    template_name = "appraisal/golden_public.html"

    def get(self, request, year):
        if not year_in_bounds(year):
            raise Http404
        return render(request, self.template_name,
                      {"year": year, "winners": selectors.golden_public_list(year=year)})
