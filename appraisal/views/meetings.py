from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from residency import audit
from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role, role_of
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.directory.selectors import village_list
from residency.web import errors_to_form

from .. import selectors, services
from ..forms import CodesForm, MeetingForm, ReportForm
from ..models import CadreReport, PaperTally, RepresentativeKind, ReviewMeeting
from ..selectors.appraisals import weights_of
from .common import DECIDERS, READERS, int_param, parse_id, year_param

MEETING_READERS = (*READERS, Role.CADRE, Role.VILLAGE_CADRE)


def _meeting(request, pk) -> ReviewMeeting:
    """The meeting if it is in the user's scope (``meeting_list`` already applies the scope:
    a cadre reaches the meetings whose cadre list holds him), else 404."""
    try:
        return selectors.meeting_list(scope=get_scope(request)).get(pk=pk)
    except ReviewMeeting.DoesNotExist as exc:
        raise Http404 from exc


class MeetingListView(RoleRequiredMixin, View):
    allowed_roles = MEETING_READERS
    template_name = "appraisal/meeting_list.html"

    def get(self, request):
        year = year_param(request)
        qs = selectors.meeting_list(scope=get_scope(request), year=year,
                                    township_id=int_param(request, "township"))
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        return render(request, self.template_name, {
            "year": year, "page_obj": page, "object_list": page.object_list,
            "is_paginated": page.has_other_pages(), "paginator": page.paginator,
            "querystring": params.urlencode(),
            "can_create": role_of(request.user) in DECIDERS})


class MeetingCreateView(RoleRequiredMixin, View):
    allowed_roles = DECIDERS
    template_name = "appraisal/meeting_create.html"

    def _form(self, data=None):
        return MeetingForm(data, villages=village_list(scope=get_scope(self.request)))

    def get(self, request):
        return render(request, self.template_name, {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            held_on = form.cleaned_data["held_on"]
            try:
                meeting = services.meeting_create(
                    village=form.cleaned_data["village"], year=held_on.year, held_on=held_on,
                    place=form.cleaned_data["place"], attendees=form.cleaned_data["attendees"],
                    by=request.user)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("评议大会已创建。"))
                return redirect("appraisal:meeting-detail", meeting.pk)
        return render(request, self.template_name, {"form": form})


class MeetingDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = MEETING_READERS
    template_name = "appraisal/meeting_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meeting = _meeting(self.request, kwargs["pk"])
        rules = selectors.rules_for(county_id=meeting.village.township.county_id, year=meeting.year)
        role = role_of(self.request.user)
        reports = {r.cadre_id: r for r in CadreReport.objects.filter(meeting=meeting)}
        rows = selectors.meeting_results(meeting=meeting, weights=weights_of(rules))
        for row in rows:
            row["report"] = reports.get(row["cadre"].pk)
        scope = get_scope(self.request)
        # A cadre sees his or her own result only; a village cadre sees who has reported,
        # not the scores (DOMAIN.md: a cadre sees own records).
        if role == Role.CADRE:
            rows = [row for row in rows if row["cadre"].pk == scope.cadre_id]
        show_scores = role != Role.VILLAGE_CADRE
        ctx.update(meeting=meeting, rows=rows, rules=rules, show_scores=show_scores,
                   can_manage=role in DECIDERS and not meeting.is_closed,
                   my_cadre_id=scope.cadre_id,
                   codes_form=kwargs.get("codes_form") or CodesForm(),
                   used_codes=meeting.codes.filter(used=True).count(),
                   total_codes=meeting.codes.count())
        return ctx


class MeetingReportView(RoleRequiredMixin, View):
    """A cadre's 述职 (the cadre, or the organiser on his behalf with ?cadre=)."""

    allowed_roles = (Role.CADRE, *DECIDERS)
    template_name = "appraisal/meeting_report.html"

    def _cadre(self, request, meeting):
        """The cadre whose 述职 this is, or None when the organiser named no cadre of the
        meeting (he chooses one on the meeting page)."""
        if role_of(request.user) == Role.CADRE:
            cadre_id = get_scope(request).cadre_id
        else:
            cadre_id = parse_id(request.GET.get("cadre") or request.POST.get("cadre"))
        if cadre_id is None:
            return None
        return selectors.meeting_cadres(meeting=meeting).filter(pk=cadre_id).first()

    def _choose_on_the_meeting_page(self, request, meeting):
        messages.info(request, _("请在下表中点击要录入述职的干部(“录入”)。"))
        return redirect("appraisal:meeting-detail", meeting.pk)

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        cadre = self._cadre(request, meeting)
        if cadre is None:
            return self._choose_on_the_meeting_page(request, meeting)
        existing = CadreReport.objects.filter(meeting=meeting, cadre=cadre).first()
        form = ReportForm(initial={"text": existing.text if existing else ""})
        return render(request, self.template_name, {"meeting": meeting, "cadre": cadre,
                                                    "form": form, "existing": existing})

    def post(self, request, pk):
        meeting = _meeting(request, pk)
        cadre = self._cadre(request, meeting)
        if cadre is None:
            return self._choose_on_the_meeting_page(request, meeting)
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.report_submit(meeting=meeting, cadre=cadre, text=form.cleaned_data["text"],
                                       file=form.cleaned_data.get("file"), by=request.user)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("述职已保存。"))
                return redirect("appraisal:meeting-detail", meeting.pk)
        existing = CadreReport.objects.filter(meeting=meeting, cadre=cadre).first()
        return render(request, self.template_name, {"meeting": meeting, "cadre": cadre,
                                                    "form": form, "existing": existing}, status=400)


class ReportFileView(RoleRequiredMixin, View):
    """Download a 述职 attachment: the cadre's own, or those in an admin's scope; audited."""

    allowed_roles = (Role.CADRE, *READERS)

    def get(self, request, pk, report_pk):
        meeting = _meeting(request, pk)
        report = scoped_get_or_404(
            request, CadreReport.objects.filter(meeting=meeting).select_related("cadre"),
            pk=report_pk)
        if not report.file:
            raise Http404
        try:
            handle = report.file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        audit.record("report_file_view", obj=report)
        extension = os.path.splitext(report.file.name)[1]
        return FileResponse(handle, as_attachment=True,
                            filename=f"述职-{report.cadre.name}-{meeting.year}{extension}")


class MeetingTallyView(RoleRequiredMixin, View):
    """Paper ballots: the counts for every cadre and both kinds of representative at once."""

    allowed_roles = DECIDERS
    template_name = "appraisal/meeting_tally.html"

    def _rows(self, meeting, data=None):
        cadres = list(selectors.meeting_cadres(meeting=meeting))
        existing = {(t.cadre_id, t.kind): t for t in PaperTally.objects.filter(meeting=meeting)}
        rows, errors = [], []
        for cadre in cadres:
            for kind, label in RepresentativeKind.choices:
                tally = existing.get((cadre.pk, kind))
                values = {}
                for field in ("satisfied", "basic", "unsatisfied"):
                    name = f"t_{cadre.pk}_{kind}_{field}"
                    if data is not None:
                        if name not in data:
                            errors.append(_("缺少 %(cadre)s %(kind)s 的票数,请刷新页面后重新填写。")
                                          % {"cadre": cadre.name, "kind": label})
                            values[field] = 0
                            continue
                        raw = (data.get(name) or "0").strip()
                        if not (raw.isascii() and raw.isdigit()) or int(raw) > 100000:
                            errors.append(_("%(cadre)s %(kind)s 的票数须为 0 以上的整数。")
                                          % {"cadre": cadre.name, "kind": label})
                            raw = "0"
                        values[field] = int(raw)
                    else:
                        values[field] = getattr(tally, field) if tally else 0
                rows.append({"cadre": cadre, "kind": kind, "kind_label": label, "values": values,
                             "prefix": f"t_{cadre.pk}_{kind}_"})
        return rows, errors

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        rows, _errors = self._rows(meeting)
        return render(request, self.template_name, {"meeting": meeting, "rows": rows})

    def post(self, request, pk):
        meeting = _meeting(request, pk)
        rows, errors = self._rows(meeting, request.POST)
        if not errors:
            try:
                with transaction.atomic():
                    for row in rows:
                        services.tally_set(meeting=meeting, cadre=row["cadre"], kind=row["kind"],
                                           by=request.user, **row["values"])
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("纸质票统计已保存。"))
                return redirect("appraisal:meeting-detail", meeting.pk)
        return render(request, self.template_name, {"meeting": meeting, "rows": rows,
                                                    "errors": errors}, status=400)


class MeetingCodesView(RoleRequiredMixin, View):
    """Generate single-use codes and show them once, ready to print and cut."""

    allowed_roles = DECIDERS

    def post(self, request, pk):
        meeting = _meeting(request, pk)
        form = CodesForm(request.POST)
        if form.is_valid():
            try:
                codes = services.ballot_codes_generate(meeting=meeting, by=request.user,
                                                       kind=form.cleaned_data["kind"],
                                                       count=form.cleaned_data["count"])
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                kind_label = dict(RepresentativeKind.choices)[form.cleaned_data["kind"]]
                return render(request, "appraisal/meeting_codes.html",
                              {"meeting": meeting, "codes": codes, "kind_label": kind_label})
        view = MeetingDetailView()
        view.setup(request, pk=pk)
        return render(request, view.template_name, view.get_context_data(pk=pk, codes_form=form),
                      status=400)


class MeetingCloseView(RoleRequiredMixin, View):
    allowed_roles = DECIDERS
    template_name = "appraisal/meeting_close.html"

    def _render(self, request, meeting, *, reason: str = "", error: str = ""):
        gaps = [] if meeting.is_closed else selectors.meeting_gaps(meeting=meeting)
        return render(request, self.template_name, {
            "meeting": meeting, "gaps": gaps, "reason": reason, "error": error})

    def get(self, request, pk):
        return self._render(request, _meeting(request, pk))

    def post(self, request, pk):
        meeting = _meeting(request, pk)
        reason = request.POST.get("reason", "")[:2000]
        try:
            services.meeting_close(meeting=meeting, by=request.user, reason=reason)
        except ValidationError as exc:
            # The refusal (missing reports or ratings, no reason) is shown on the page.
            return self._render(request, meeting, reason=reason, error=" ".join(exc.messages))
        messages.success(request, _("评议大会已结束,结果已锁定。"))
        return redirect("appraisal:meeting-detail", meeting.pk)
