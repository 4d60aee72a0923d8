"""Error pages speak Chinese (Django's own are English)."""
import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_a_chinese_404(client, people):
    client.force_login(people["cadre"].user)
    response = client.get("/residency/villages/999999/")
    assert response.status_code == 404
    assert "页面不存在或无权查看" in response.content.decode()


def test_a_refused_page_answers_a_chinese_403(client, people):
    client.force_login(people["cadre"].user)
    response = client.get("/residency/townships/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_a_stale_form_answers_a_chinese_csrf_page(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["cadre"].user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    html = render_to_string("500.html")
    assert "系统出错" in html
