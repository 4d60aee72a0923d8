"""Aliyun SMS (短信服务, Dysmsapi 2017-05-25 ``SendSms``) over its RPC HTTP API.

The request is a GET with every parameter in the query string, signed with Aliyun's RPC
signature (SignatureVersion 1.0, HMAC-SHA1):

    canonical = "&".join(enc(k) + "=" + enc(v) for k, v in sorted(params))
    string_to_sign = "GET&" + enc("/") + "&" + enc(canonical)
    Signature = base64(hmac_sha1(AccessKeySecret + "&", string_to_sign))

where ``enc`` is RFC 3986 percent-encoding (UTF-8; only ``A-Za-z0-9-_.~`` unescaped, a
space is ``%20``). The reply is JSON; ``Code == "OK"`` means accepted (``BizId`` is the
message id). Another ``Code`` is a refusal: ``SmsError`` (retried later), or
``PermanentError`` for codes that retrying cannot fix (a bad number, template, signature).

Switched on by setting ``NOTIFICATIONS_SMS_BACKEND`` to this class (or setting
``ALIYUN_SMS_ACCESS_KEY_ID``, which makes it the default): see docs/REMINDERS.md."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
import uuid
from datetime import UTC, datetime

from django.conf import settings

from ..sms import BaseSmsBackend, PermanentError, SmsError
from . import http

API_VERSION = "2017-05-25"
# Refusals that the same request will meet again: not retried.
PERMANENT_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL", "isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.INVALID_PARAMETERS", "isv.TEMPLATE_MISSING_PARAMETERS", "isv.PARAM_LENGTH_LIMIT",
    "isv.INVALID_JSON_PARAM", "isv.BLACK_KEY_CONTROL_LIMIT", "isv.MOBILE_COUNT_OVER_LIMIT",
    "SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound", "isv.ACCOUNT_NOT_EXISTS",
}


def percent_encode(value: str) -> str:
    return urllib.parse.quote(str(value), safe="-_.~")


def signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """Aliyun's RPC signature of ``params`` (without ``Signature``)."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}"
                         for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _setting(name: str) -> str:
    value = getattr(settings, name, "")
    if not value:
        # Not sent, and retrying cannot help until the environment is fixed.
        raise PermanentError(f"{name} must be set to send SMS through Aliyun")
    return value


class AliyunSmsBackend(BaseSmsBackend):
    # SendSms does not de-duplicate on OutId: an ambiguous send is never repeated.
    idempotent = False

    def __init__(self):
        self.endpoint = getattr(settings, "ALIYUN_SMS_ENDPOINT", "") or "https://dysmsapi.aliyuncs.com"
        self.key_id = _setting("ALIYUN_SMS_ACCESS_KEY_ID")
        self.secret = _setting("ALIYUN_SMS_ACCESS_KEY_SECRET")
        self.sign_name = _setting("ALIYUN_SMS_SIGN_NAME")
        self.template = _setting("ALIYUN_SMS_TEMPLATE_CODE")
        # The template's variable that carries the text, e.g. "content" for 通知：${content}
        self.param = getattr(settings, "ALIYUN_SMS_TEMPLATE_PARAM", "") or "content"
        self.region = getattr(settings, "ALIYUN_SMS_REGION", "") or "cn-hangzhou"
        self.retries = int(getattr(settings, "NOTIFICATIONS_HTTP_RETRIES", 2))
        self.backoff = float(getattr(settings, "NOTIFICATIONS_HTTP_BACKOFF", 0.5))

    def params(self, *, phone: str, text: str, key: str, now: datetime | None = None,
               nonce: str | None = None) -> dict[str, str]:
        now = now or datetime.now(UTC)
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": key,
            "PhoneNumbers": phone,
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template,
            "TemplateParam": json.dumps({self.param: text}, ensure_ascii=False),
            "Timestamp": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        params["Signature"] = signature(params, self.secret)
        return params

    def send(self, *, phone: str, text: str, key: str) -> str:
        # A fresh nonce and timestamp on each try: Aliyun refuses a reused nonce.
        def url() -> str:
            query = urllib.parse.urlencode(self.params(phone=phone, text=text, key=key),
                                           quote_via=urllib.parse.quote, safe="-_.~")
            return f"{self.endpoint.rstrip('/')}/?{query}"

        reply = http.call("GET", url, retries=self.retries, backoff=self.backoff).json()
        code = reply.get("Code", "")
        if code == "OK":
            return str(reply.get("BizId", ""))
        message = f"Aliyun SMS {code}: {reply.get('Message', '')}"[:300]
        if code in PERMANENT_CODES:
            raise PermanentError(message)
        raise SmsError(message)
