"""Exactly once (Visit.client_key) and late entries (补记): a key saved again returns the
visit already saved, also under concurrent requests on PostgreSQL; a visit written 48 hours
to 7 days after it is saved and marked 补记 (night log, export, appraisal figures); an older
one needs the township admin's approval."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nightlog import selectors, services
from nightlog.models import LateVisitRequest, Problem, Visit
from tests.nightlog.factories import make_visit
from tests.notifications.racing import run_concurrently

pytestmark = pytest.mark.django_db


def kwargs(people, households, **over):
    data = dict(cadre=people["cadre"], household=households["h11"],
                visited_at=timezone.now() - timedelta(hours=1), by=people["cadre"].user,
                situation="户主眼睛失明，儿子打零工", requests="找份工作")
    data.update(over)
    return data


def form(household, key, **over):
    data = {"household": household.pk, "client_key": str(key),
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "situation": "户主眼睛失明", "requests": "找工作"}
    data.update(over)
    return data


def days_ago(days, hours=0):
    return timezone.localtime() - timedelta(days=days, hours=hours)


# --- Exactly once ---------------------------------------------------------------------

def test_the_same_client_key_saved_twice_is_one_visit(people, households):
    key = uuid.uuid4()
    first = services.visit_create(**kwargs(people, households, client_key=key))
    again = services.visit_create(**kwargs(people, households, client_key=key,
                                           situation="第二次提交的文字"))
    assert again.pk == first.pk and again.already_saved
    assert Visit.objects.count() == 1 and Visit.objects.get().situation == "户主眼睛失明，儿子打零工"


def test_a_repeat_days_later_returns_the_visit_instead_of_a_late_refusal(people, households):
    key = uuid.uuid4()
    first = services.visit_create(**kwargs(people, households, client_key=key))
    again = services.visit_create(**kwargs(people, households, client_key=key),
                                  now=timezone.now() + timedelta(days=30))
    assert again.pk == first.pk and Visit.objects.count() == 1


def test_the_database_refuses_a_second_visit_with_the_same_key(people, households):
    visit = make_visit(people["cadre"], households["h11"])
    with pytest.raises(IntegrityError):
        make_visit(people["cadre"], households["h11"], client_key=visit.client_key)


def test_another_cadres_key_is_refused_never_returned(people, households, directory):
    from tests.residency.factories import make_household

    visit = services.visit_create(**kwargs(people, households, client_key=uuid.uuid4()))
    other_home = make_household(directory["v12"], head="李四")
    with pytest.raises(ValidationError):
        services.visit_create(cadre=people["cadre_other"], household=other_home,
                              visited_at=timezone.now() - timedelta(hours=1),
                              by=people["cadre_other"].user, situation="情况",
                              client_key=visit.client_key)


def test_a_double_tap_or_a_reload_of_the_form_redirects_to_the_visit_already_saved(
        client, people, households):
    client.force_login(people["cadre"].user)
    key = uuid.uuid4()
    first = client.post(reverse("nightlog:visit-create"), form(households["h11"], key))
    again = client.post(reverse("nightlog:visit-create"), form(households["h11"], key))
    visit = Visit.objects.get()
    assert first.status_code == again.status_code == 302
    assert again["Location"].startswith(reverse("nightlog:visit-detail", args=[visit.pk]))
    assert "again=1" in again["Location"]
    page = client.get(again["Location"]).content.decode()
    assert "这次走访已经保存过，没有重复记录。" in page
    assert str(visit.client_key) == str(key)


def test_the_outbox_gets_json_saved_then_saved_again_and_invalid_with_errors(
        client, people, households):
    client.force_login(people["cadre"].user)
    key = uuid.uuid4()
    url = reverse("nightlog:visit-create")
    first = client.post(url, form(households["h11"], key), HTTP_ACCEPT="application/json")
    again = client.post(url, form(households["h11"], key), HTTP_ACCEPT="application/json")
    assert first.json()["status"] == "saved" and first.json()["created"] is True
    assert again.json()["created"] is False and again.json()["visit"] == first.json()["visit"]
    bad = client.post(url, form(households["h11"], uuid.uuid4(), situation="", requests=""),
                      HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json()["status"] == "invalid"
    assert "请至少填写家庭情况、诉求或建议中的一项。" in str(bad.json()["errors"])
    assert Visit.objects.count() == 1


def test_a_record_kept_on_the_phone_for_another_user_waits_for_its_owner(
        client, people, households):
    client.force_login(people["cadre"].user)
    response = client.post(reverse("nightlog:visit-create"),
                           {**form(households["h11"], uuid.uuid4()),
                            "outbox_user": str(people["cadre_other"].user.pk)},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 409 and response.json()["status"] == "other_user"
    assert not Visit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_key_make_one_visit_on_postgresql(require_postgres, people,
                                                                  households):
    key = uuid.uuid4()
    results = []

    def save():
        results.append(services.visit_create(**kwargs(people, households, client_key=key)).pk)

    errors = run_concurrently(save, 6)
    assert errors == []
    assert Visit.objects.filter(client_key=key).count() == 1
    assert set(results) == {Visit.objects.get().pk} and len(results) == 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_form_answer_with_one_visit(require_postgres, people, households):
    key = uuid.uuid4()
    user = people["cadre"].user
    answers = []

    def post():
        c = Client()
        c.force_login(user)
        answers.append(c.post(reverse("nightlog:visit-create"), form(households["h11"], key),
                              HTTP_ACCEPT="application/json").json())

    errors = run_concurrently(post, 5)
    assert errors == []
    visit = Visit.objects.get()
    assert {a["visit"] for a in answers} == {visit.pk}
    assert sum(a["created"] for a in answers) == 1
    assert visit.revisions.count() == 1


# --- 补记 -------------------------------------------------------------------------------

def test_a_visit_written_3_days_late_is_saved_and_marked_late_with_its_entry_time(
        people, households):
    visit = services.visit_create(**kwargs(people, households, visited_at=days_ago(3)))
    assert visit.late_entry and visit.created_at - visit.visited_at > timedelta(hours=48)
    assert visit.late_approved_by is None


def test_a_visit_written_within_48_hours_is_not_marked(people, households):
    assert not services.visit_create(**kwargs(people, households, visited_at=days_ago(1))).late_entry


def test_the_limit_is_a_setting(settings, people, households):
    settings.VISIT_LATE_ENTRY_DAYS = 3
    with pytest.raises(services.LateEntryNeedsApproval):
        services.visit_create(**kwargs(people, households, visited_at=days_ago(4)))


def test_a_visit_older_than_7_days_needs_the_township_admins_approval(people, households):
    with pytest.raises(services.LateEntryNeedsApproval) as err:
        services.visit_create(**kwargs(people, households, visited_at=days_ago(8)))
    assert "需镇(街道)管理员批准" in str(err.value)
    assert not Visit.objects.exists()


def test_late_entries_are_shown_in_the_night_log_export_and_appraisal_figures(
        client, people, households, capsys):
    late = services.visit_create(**kwargs(people, households, visited_at=days_ago(3)))
    services.visit_create(**kwargs(people, households))
    client.force_login(people["cadre"].user)
    html = client.get(reverse("nightlog:night-log")).content.decode()
    entered = timezone.localtime(late.created_at).strftime("%Y-%m-%d %H:%M")
    assert 'data-testid="late-entry"' in html and f"{entered} 录入" in html
    assert html.count('data-testid="late-entry"') == 1
    detail = client.get(reverse("nightlog:visit-detail", args=[late.pk])).content.decode()
    assert "补记" in detail and f"{entered} 录入" in detail

    today = timezone.localdate()
    capsys.readouterr()
    call_command("export_visits", "--from", (today - timedelta(days=5)).isoformat(),
                 "--to", today.isoformat(), "--out", "-")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["late_entry"] for r in rows] == ["1", "0"]
    assert rows[0]["entered_at"].startswith(today.isoformat())

    year = timezone.localtime(late.visited_at).year
    stats = selectors.cadre_year_stats(cadre_ids=[people["cadre"].pk], year=year)[
        people["cadre"].pk]
    assert stats["late_visits"] == 1
    assert stats["visits"] == (2 if year == today.year else 1)  # counted all the same


def test_correcting_the_time_decides_the_mark_again_and_the_48_hour_edit_window_stays(
        people, households):
    visit = services.visit_create(**kwargs(people, households, visited_at=days_ago(0, 1)))
    visit = services.visit_update(visit=visit, by=people["cadre"].user, visited_at=days_ago(4))
    assert visit.late_entry
    with pytest.raises(ValidationError) as err:
        services.visit_update(visit=visit, by=people["cadre"].user, situation="改",
                              now=timezone.now() + timedelta(hours=49))
    assert "48 小时" in str(err.value)


# --- Approval of older ones -------------------------------------------------------------

def test_the_form_asks_for_a_reason_then_files_a_request_not_a_visit(client, people, households):
    client.force_login(people["cadre"].user)
    key = uuid.uuid4()
    old = days_ago(10).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("nightlog:visit-create"),
                           form(households["h11"], key, visited_at=old))
    html = response.content.decode()
    assert response.status_code == 200 and "需镇(街道)管理员批准" in html and "补记原因" in html
    response = client.post(reverse("nightlog:visit-create"),
                           form(households["h11"], key, visited_at=old,
                                late_reason="在村里连续三天没有信号，记在本子上"))
    assert response.status_code == 302 and response["Location"] == reverse("nightlog:late-visit-list")
    again = client.post(reverse("nightlog:visit-create"),
                        form(households["h11"], key, visited_at=old, late_reason="再次提交"))
    assert again.status_code == 302
    request = LateVisitRequest.objects.get()
    assert request.status == "pending" and request.reason.startswith("在村里")
    assert not Visit.objects.exists()


def test_a_request_is_only_for_visits_beyond_the_limit_and_needs_a_reason(people, households):
    with pytest.raises(ValidationError):
        services.late_visit_request_create(cadre=people["cadre"], household=households["h11"],
                                           visited_at=days_ago(2), reason="理由", situation="x")
    with pytest.raises(ValidationError) as err:
        services.late_visit_request_create(cadre=people["cadre"], household=households["h11"],
                                           visited_at=days_ago(9), reason=" ", situation="x")
    assert "补记原因" in str(err.value)


def file_request(people, households, days=10):
    return services.late_visit_request_create(
        cadre=people["cadre"], household=households["h11"], visited_at=days_ago(days),
        reason="纸质笔记补录", situation="户主反映路灯坏了", needs_follow_up=True)


def test_the_township_admin_approves_and_the_visit_is_written_marked_late(client, people,
                                                                         households):
    request = file_request(people, households)
    client.force_login(people["township_admin"])
    page = client.get(reverse("nightlog:late-visit-list")).content.decode()
    assert "户主反映路灯坏了" in page and "纸质笔记补录" in page
    response = client.post(reverse("nightlog:late-visit-decide", args=[request.pk]),
                           {"decision": "approve", "note": "同意"})
    assert response.status_code == 302
    request.refresh_from_db()
    visit = Visit.objects.get()
    assert request.status == "approved" and request.visit == visit
    assert visit.late_entry and visit.late_approved_by == people["township_admin"]
    assert visit.client_key == request.client_key and visit.situation == "户主反映路灯坏了"
    assert visit.needs_follow_up and visit.revisions.get().saved_by == people["cadre"].user
    again = client.post(reverse("nightlog:late-visit-decide", args=[request.pk]),
                        {"decision": "approve"}, follow=True)
    assert "已处理" in again.content.decode() and Visit.objects.count() == 1


def test_a_refused_request_writes_nothing(client, people, households):
    request = file_request(people, households)
    client.force_login(people["township_admin"])
    client.post(reverse("nightlog:late-visit-decide", args=[request.pk]), {"decision": "reject"})
    request.refresh_from_db()
    assert request.status == "rejected" and not Visit.objects.exists()


def test_only_the_township_admin_of_the_cadres_township_decides(client, people, households,
                                                               directory):
    from tests.residency.factories import make_official

    request = file_request(people, households)
    client.force_login(people["cadre"].user)
    assert client.post(reverse("nightlog:late-visit-decide", args=[request.pk]),
                       {"decision": "approve"}).status_code == 403
    other = make_official("township_admin", username="tadmin2", township=directory["t2"])
    client.force_login(other)
    assert client.post(reverse("nightlog:late-visit-decide", args=[request.pk]),
                       {"decision": "approve"}).status_code == 404
    assert not Visit.objects.exists()


# --- The visit form: one follow-up tick, the cadre is the default owner -----------------

def test_one_follow_up_tick_with_a_summary_raises_a_problem_without_only_marks(client, people,
                                                                              households):
    client.force_login(people["cadre"].user)
    client.post(reverse("nightlog:visit-create"),
                form(households["h11"], uuid.uuid4(), needs_follow_up="on"))
    marked = Visit.objects.get()
    assert marked.needs_follow_up and not Problem.objects.exists()
    client.post(reverse("nightlog:visit-create"),
                form(households["h11"], uuid.uuid4(), needs_follow_up="on",
                     problem_summary="路灯坏了", problem_owner=people["cadre"].user.pk))
    assert Problem.objects.get().owner == people["cadre"].user
    # A summary without the tick raises nothing.
    client.post(reverse("nightlog:visit-create"),
                form(households["h11"], uuid.uuid4(), problem_summary="不勾选"))
    assert Problem.objects.count() == 1


def test_the_visit_form_has_one_follow_up_box_and_no_blank_owner(client, people):
    client.force_login(people["cadre"].user)
    html = client.get(reverse("nightlog:visit-create")).content.decode()
    assert "raise_problem" not in html and "同时登记需跟进的问题" not in html
    assert html.count('name="needs_follow_up"') == 1
    assert '<option value="" selected>本人</option>' not in html and ">本人<" not in html
    assert f'<option value="{people["cadre"].user.pk}" selected>' in html


def test_the_appraisal_page_names_the_late_entries_among_the_visits(client, people, households):
    late = services.visit_create(**kwargs(people, households, visited_at=days_ago(3)))
    services.visit_create(**kwargs(people, households))
    year = timezone.localtime(late.visited_at).year
    client.force_login(people["org_department"])
    html = client.get(reverse("appraisal:appraisal-detail",
                              args=[people["cadre"].pk, year])).content.decode()
    assert "其中补记 1" in html
