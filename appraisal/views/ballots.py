"""The public, phone-first ballot page: a representative types the code printed for the
meeting and rates every cadre. No login. Failed codes are rate-limited per client address
(the real client behind a trusted proxy: ``residency.access.client_ip``); once a code names its
meeting, posts are counted per meeting and per client, so one abuser, or one busy meeting
behind a shared address, cannot stop another village's vote."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from .. import selectors
from ..forms import CodeEntryForm, ballot_form_class
from ..ratelimit import exceeded, hit
from ..services import ballot_cast
from ..services.meetings import ballot_code_check

FAILURES_PER_WINDOW = 20
POSTS_PER_WINDOW = 600  # a whole meeting can share one village Wi-Fi address
WINDOW = 10 * 60


@method_decorator(never_cache, name="dispatch")
class BallotCastView(View):
    template_name = "appraisal/ballot.html"

    def get(self, request):
        return render(request, self.template_name, {"entry_form": CodeEntryForm()})

    def _refuse(self, request, message: str, status: int = 400):
        form = CodeEntryForm(request.POST)
        form.is_valid()
        form.add_error(None, message)
        return render(request, self.template_name, {"entry_form": form}, status=status)

    def post(self, request):
        too_many = _("尝试次数过多,请 10 分钟后再试,或向会议工作人员求助。")
        if exceeded(request, "ballot-fail", limit=FAILURES_PER_WINDOW):
            return self._refuse(request, too_many, status=429)
        code = (request.POST.get("code") or "").strip()[:20]
        try:
            ballot_code = ballot_code_check(code=code)
        except ValidationError as exc:
            hit(request, "ballot-fail", limit=FAILURES_PER_WINDOW, window=WINDOW)
            return self._refuse(request, " ".join(exc.messages))
        meeting = ballot_code.meeting
        if not hit(request, f"ballot-post:{meeting.pk}", limit=POSTS_PER_WINDOW, window=WINDOW):
            return self._refuse(request, too_many, status=429)
        cadres = list(selectors.meeting_cadres(meeting=meeting))
        form_class = ballot_form_class(cadres)
        context = {"meeting": meeting, "kind_label": ballot_code.get_kind_display(),
                   "cadres": cadres}
        if "submit_ballot" not in request.POST:
            context["form"] = form_class(initial={"code": code})
            return render(request, self.template_name, context)
        form = form_class(request.POST)
        if form.is_valid():
            ratings = {c.pk: form.cleaned_data[f"cadre_{c.pk}"] for c in cadres}
            try:
                ballot_cast(code=code, ratings=ratings)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return render(request, "appraisal/ballot_done.html", {"meeting": meeting})
        context["form"] = form
        return render(request, self.template_name, context, status=400)
