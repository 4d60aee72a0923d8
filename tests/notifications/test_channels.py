"""The real outside channels against local fakes started by the test (loopback only):
Aliyun SMS (Dysmsapi SendSms, RPC signature) and 浙政钉/DingTalk work notifications over
a fake HTTP server, e-mail over Django's SMTP backend to a local aiosmtpd server. Each
checks the requests the fake received; 5xx is retried, 4xx never."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import date
from email.header import decode_header, make_header

import pytest

from notifications.channels import dingtalk
from notifications.channels.aliyun_sms import AliyunSmsBackend, signature
from notifications.kinds import Kind
from notifications.models import Channel, Delivery
from notifications.reminder import Reminder
from notifications.services import notifications_create
from notifications.sms import PermanentError, SmsError

from . import fake_http
from .factories import local

MON = date(2026, 3, 2)


@pytest.fixture
def gateway():
    fake, server = fake_http.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def aliyun(settings, gateway):
    settings.ALIYUN_SMS_ENDPOINT = gateway.url
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "testId"
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "testSecret"
    settings.ALIYUN_SMS_SIGN_NAME = "桐乡住村"
    settings.ALIYUN_SMS_TEMPLATE_CODE = "SMS_0001"
    settings.NOTIFICATIONS_HTTP_BACKOFF = 0
    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.channels.aliyun_sms.AliyunSmsBackend"
    return gateway


@pytest.fixture
def ding(settings, gateway):
    settings.NOTIFICATIONS_DINGTALK_ENDPOINT = gateway.url
    settings.NOTIFICATIONS_DINGTALK_APP_KEY = "dingkey"
    settings.NOTIFICATIONS_DINGTALK_APP_SECRET = "dingsecret"
    settings.NOTIFICATIONS_DINGTALK_AGENT_ID = "2190001"
    settings.NOTIFICATIONS_HTTP_BACKOFF = 0
    gateway.answer("/gettoken", (200, {"errcode": 0, "errmsg": "ok",
                                       "access_token": "tok1", "expires_in": 7200}))
    gateway.answer("/topapi/v2/user/getbymobile",
                   (200, {"errcode": 0, "errmsg": "ok", "result": {"userid": "u-0001"}}))
    gateway.answer("/topapi/message/corpconversation/asyncsend_v2",
                   (200, {"errcode": 0, "errmsg": "ok", "task_id": 2560001}))
    return gateway


SMS_OK = (200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0",
                "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"})


# --- Aliyun SMS -----------------------------------------------------------------------------


def test_the_rpc_signature_matches_aliyuns_documented_example():
    # The worked example of Aliyun's SMS signature documentation (SendSms, 2017-05-25).
    params = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
              "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou",
              "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
              "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
              "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
              "Version": "2017-05-25"}
    assert signature(params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_aliyun_sends_one_signed_sendsms_request(aliyun):
    aliyun.answer("/", SMS_OK)
    message_id = AliyunSmsBackend().send(phone="13800000001", text="今晚您在东村住夜。",
                                         key="delivery-7")
    assert message_id == "900619746936498440^0"
    [request] = aliyun.received
    q = request.query
    assert (request.method, request.path) == ("GET", "/")
    assert {k: q[k] for k in ("Action", "Version", "PhoneNumbers", "SignName", "TemplateCode",
                              "OutId", "AccessKeyId", "SignatureMethod", "Format")} == {
        "Action": "SendSms", "Version": "2017-05-25", "PhoneNumbers": "13800000001",
        "SignName": "桐乡住村", "TemplateCode": "SMS_0001", "OutId": "delivery-7",
        "AccessKeyId": "testId", "SignatureMethod": "HMAC-SHA1", "Format": "JSON"}
    assert json.loads(q["TemplateParam"]) == {"content": "今晚您在东村住夜。"}
    # The server can verify the signature with the shared secret.
    unsigned = {k: v for k, v in q.items() if k != "Signature"}
    assert q["Signature"] == signature(unsigned, "testSecret")


def test_aliyun_retries_a_5xx_with_a_fresh_signature(aliyun):
    aliyun.answer("/", (503, {"Code": "ServiceUnavailable"}), SMS_OK)
    assert AliyunSmsBackend().send(phone="13800000001", text="x", key="delivery-1")
    assert len(aliyun.received) == 2
    nonces = {r.query["SignatureNonce"] for r in aliyun.received}
    assert len(nonces) == 2  # Aliyun refuses a reused nonce


def test_aliyun_gives_up_after_the_retries_and_the_delivery_stays_retryable(aliyun, settings):
    settings.NOTIFICATIONS_HTTP_RETRIES = 2
    aliyun.answer("/", (500, {"Code": "InternalError"}))
    with pytest.raises(SmsError) as caught:
        AliyunSmsBackend().send(phone="13800000001", text="x", key="delivery-1")
    assert not isinstance(caught.value, PermanentError)
    assert len(aliyun.received) == 3  # the first try and two retries


def test_aliyun_never_retries_a_4xx(aliyun):
    aliyun.answer("/", (400, {"Code": "SignatureDoesNotMatch"}), SMS_OK)
    with pytest.raises(PermanentError):
        AliyunSmsBackend().send(phone="13800000001", text="x", key="delivery-1")
    assert len(aliyun.received) == 1


def test_aliyun_business_refusals_are_final_or_retryable_by_code(aliyun):
    aliyun.answer("/", (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}),
                  (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "业务限流"}))
    with pytest.raises(PermanentError):
        AliyunSmsBackend().send(phone="1", text="x", key="delivery-1")
    with pytest.raises(SmsError) as caught:
        AliyunSmsBackend().send(phone="13800000001", text="x", key="delivery-2")
    assert not isinstance(caught.value, PermanentError)
    assert len(aliyun.received) == 2  # neither retried at once


def test_aliyun_is_the_sms_backend_when_its_access_key_is_in_the_environment():
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE']='tongxiang.settings.base';"
            "from django.conf import settings; print(settings.NOTIFICATIONS_SMS_BACKEND)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIYUN_", "NOTIFICATIONS_"))}
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    on = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                        env={**env, "ALIYUN_SMS_ACCESS_KEY_ID": "LTAI-test"})
    assert off.stdout.strip() == "notifications.sms.LoggingBackend"
    assert on.stdout.strip() == "notifications.channels.aliyun_sms.AliyunSmsBackend"


# --- 浙政钉 / DingTalk ----------------------------------------------------------------------


def test_dingtalk_is_off_unless_key_secret_and_agent_are_set(settings):
    settings.NOTIFICATIONS_DINGTALK_APP_KEY = ""
    assert not dingtalk.enabled()
    settings.NOTIFICATIONS_DINGTALK_APP_KEY = "k"
    settings.NOTIFICATIONS_DINGTALK_APP_SECRET = "s"
    settings.NOTIFICATIONS_DINGTALK_AGENT_ID = "1"
    assert dingtalk.enabled()


def test_dingtalk_gets_a_token_finds_the_user_by_phone_and_sends_a_work_notification(ding):
    task = dingtalk.DingTalkBackend().send(phone="13800000001", text="今晚您在东村住夜。",
                                           key="delivery-3")
    assert task == "2560001"
    token, lookup, send = ding.received
    assert (token.method, token.path, token.query) == (
        "GET", "/gettoken", {"appkey": "dingkey", "appsecret": "dingsecret"})
    assert (lookup.method, lookup.query, lookup.json()) == (
        "POST", {"access_token": "tok1"}, {"mobile": "13800000001"})
    assert (send.method, send.path, send.query["access_token"]) == (
        "POST", "/topapi/message/corpconversation/asyncsend_v2", "tok1")
    assert send.json() == {"agent_id": 2190001, "userid_list": "u-0001",
                           "msg": {"msgtype": "text", "text": {"content": "今晚您在东村住夜。"}}}
    # The token and the account are kept: the next message is one request.
    dingtalk.DingTalkBackend().send(phone="13800000001", text="第二条", key="delivery-4")
    assert ding.paths()[3:] == ["/topapi/message/corpconversation/asyncsend_v2"]


def test_dingtalk_retries_a_5xx_but_not_a_4xx(ding):
    path = "/topapi/message/corpconversation/asyncsend_v2"
    ding.answer(path, (502, {}), (200, {"errcode": 0, "task_id": 9}))
    assert dingtalk.DingTalkBackend().send(phone="13800000001", text="x", key="k1") == "9"
    assert ding.paths().count(path) == 2
    ding.answer(path, (403, {"errcode": 403}), (200, {"errcode": 0, "task_id": 10}))
    with pytest.raises(PermanentError):
        dingtalk.DingTalkBackend().send(phone="13800000001", text="x", key="k2")
    assert ding.paths().count(path) == 3


def test_dingtalk_fetches_a_new_token_once_when_it_expired(ding):
    path = "/topapi/message/corpconversation/asyncsend_v2"
    backend = dingtalk.DingTalkBackend()
    backend.userid("13800000001")  # token and account cached
    ding.answer("/gettoken", (200, {"errcode": 0, "access_token": "tok2", "expires_in": 7200}))
    ding.answer(path, (200, {"errcode": 42001, "errmsg": "access_token expired"}),
                (200, {"errcode": 0, "task_id": 11}))
    assert backend.send(phone="13800000001", text="x", key="k") == "11"
    sends = [r for r in ding.received if r.path == path]
    assert [r.query["access_token"] for r in sends] == ["tok1", "tok2"]


def test_a_phone_without_a_dingtalk_account_is_refused_for_good(ding):
    ding.answer("/topapi/v2/user/getbymobile", (200, {"errcode": 60121, "errmsg": "找不到该用户"}))
    with pytest.raises(PermanentError):
        dingtalk.DingTalkBackend().send(phone="13800000009", text="x", key="k")


# --- through the delivery service ---------------------------------------------------------


def _create(captured, user, *, kind=Kind.STAY_TONIGHT, urgent=False):
    with captured(execute=True):
        return notifications_create(reminders=[Reminder(
            recipient_id=user.pk, kind=kind, subject="stay:1", date=MON,
            text="今晚您在东村住夜。", urgent=urgent)], at=local(2026, 3, 2, 16))


@pytest.mark.django_db
def test_tonights_stay_goes_to_dingtalk_and_aliyun_a_digest_to_neither(
        staff, ding, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.channels.aliyun_sms.AliyunSmsBackend"
    settings.ALIYUN_SMS_ENDPOINT = ding.url
    for name in ("ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "SIGN_NAME", "TEMPLATE_CODE"):
        setattr(settings, f"ALIYUN_SMS_{name}", "x")
    ding.answer("/", SMS_OK)
    user = staff["cadre"].user
    [n_id] = _create(django_capture_on_commit_callbacks, user)
    assert dict(Delivery.objects.filter(notification_id=n_id).values_list("channel", "status")) == {
        Channel.EMAIL: "sent", Channel.SMS: "sent", Channel.DINGTALK: "sent"}
    assert sorted(set(ding.paths())) == ["/", "/gettoken", "/topapi/message/corpconversation/asyncsend_v2",
                                         "/topapi/v2/user/getbymobile"]
    before = len(ding.received)
    [digest] = _create(django_capture_on_commit_callbacks, user, kind=Kind.DIGEST)
    assert set(Delivery.objects.filter(notification_id=digest).values_list("channel", flat=True)) == {
        Channel.EMAIL}
    assert len(ding.received) == before


@pytest.mark.django_db
def test_a_refused_dingtalk_message_is_given_up_not_retried(
        staff, ding, django_capture_on_commit_callbacks):
    ding.answer("/topapi/message/corpconversation/asyncsend_v2", (400, {"errcode": 400}))
    [n_id] = _create(django_capture_on_commit_callbacks, staff["cadre"].user)
    d = Delivery.objects.get(notification_id=n_id, channel=Channel.DINGTALK)
    assert (d.status, d.attempts) == ("gave_up", 1) and d.note.startswith("refused")


@pytest.mark.django_db
def test_dingtalk_respects_quiet_hours_unless_urgent(staff, ding, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [late] = notifications_create(reminders=[Reminder(
            recipient_id=staff["cadre"].user.pk, kind=Kind.STAY_TONIGHT, subject="stay:2",
            date=MON, text="x")], at=local(2026, 3, 2, 22, 30))
        [urgent] = notifications_create(reminders=[Reminder(
            recipient_id=staff["cadre"].user.pk, kind=Kind.CHECKIN_MISSING, subject="stay:2",
            date=MON, text="y", urgent=True)], at=local(2026, 3, 2, 22, 30))
    statuses = dict(Delivery.objects.filter(channel=Channel.DINGTALK).values_list(
        "notification_id", "status"))
    assert statuses == {late: "pending", urgent: "sent"}
    assert Delivery.objects.get(notification_id=late, channel=Channel.DINGTALK).not_before == \
        local(2026, 3, 3, 7, 0)


# --- e-mail over SMTP ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    controller = Controller(Keep(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, received
    controller.stop()


@pytest.mark.django_db
def test_email_goes_out_over_smtp_to_a_real_server(staff, settings, smtp_server,
                                                    django_capture_on_commit_callbacks):
    controller, received = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.NOTIFICATIONS_SITE_URL = "https://zhucun.example.gov.cn"
    [n_id] = _create(django_capture_on_commit_callbacks, staff["cadre"].user, kind=Kind.DIGEST)
    assert Delivery.objects.get(notification_id=n_id, channel=Channel.EMAIL).status == "sent"
    [message] = received
    assert message["To"] == "cadre1@example.org"
    assert str(make_header(decode_header(message["Subject"]))) == "【住村·夜班·评议】待办汇总"
    body = message.get_payload(decode=True).decode("utf-8")
    assert "今晚您在东村住夜。" in body


@pytest.mark.django_db
def test_an_smtp_server_that_is_down_leaves_the_email_to_retry(staff, settings,
                                                               django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens
    [n_id] = _create(django_capture_on_commit_callbacks, staff["cadre"].user, kind=Kind.DIGEST)
    assert Delivery.objects.get(notification_id=n_id, channel=Channel.EMAIL).status == "failed"


def test_production_settings_send_email_over_smtp_from_the_environment():
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE']='tongxiang.settings.production';"
            "from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER)")
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "example.org",
           "DJANGO_EMAIL_HOST": "smtp.example.gov.cn", "DJANGO_EMAIL_PORT": "587",
           "DJANGO_EMAIL_USE_TLS": "1", "DJANGO_EMAIL_HOST_USER": "zhucun"}
    env.pop("DJANGO_EMAIL_BACKEND", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend",
                                  "smtp.example.gov.cn", "587", "True", "zhucun"], out.stderr


@pytest.mark.django_db
def test_a_dingtalk_message_left_when_the_channel_is_switched_off_is_given_up(
        staff, ding, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # created, not yet sent
        [n_id] = notifications_create(reminders=[Reminder(
            recipient_id=staff["cadre"].user.pk, kind=Kind.STAY_TONIGHT, subject="stay:3",
            date=MON, text="x")], at=local(2026, 3, 2, 16, 0))
    settings.NOTIFICATIONS_DINGTALK_APP_KEY = ""
    from notifications.services import notification_deliver

    notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16, 1))
    d = Delivery.objects.get(notification_id=n_id, channel=Channel.DINGTALK)
    assert d.status == "gave_up" and "未启用" in d.note
    assert ding.received == []
