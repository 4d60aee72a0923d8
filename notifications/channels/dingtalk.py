"""浙政钉 / DingTalk work notifications (工作通知) over the documented HTTP API:

1. ``GET {endpoint}/gettoken?appkey=...&appsecret=...`` -> ``access_token`` (valid
   ``expires_in`` seconds, 7200; kept in the cache until a minute before it ends);
2. ``POST {endpoint}/topapi/v2/user/getbymobile?access_token=...`` ``{"mobile": phone}``
   -> ``result.userid`` (the person's account, found by the phone number we hold; kept
   in the cache for a day);
3. ``POST {endpoint}/topapi/message/corpconversation/asyncsend_v2?access_token=...``
   ``{"agent_id": ..., "userid_list": userid, "msg": {"msgtype": "text", "text":
   {"content": text}}}`` -> ``task_id`` (the message id we record).

Replies are JSON with ``errcode`` (0 = ok). An expired token (40014, 42001, 88) is
fetched again once; a person not found by the phone (60121) or another refusal that
retrying cannot fix is ``PermanentError``; anything else ``SmsError`` (retried later).
HTTP 5xx and refused connections are retried by ``http.call``; 4xx is final.

Off by default; on when ``NOTIFICATIONS_DINGTALK_APP_KEY``, ``..._APP_SECRET`` and
``..._AGENT_ID`` are set (docs/REMINDERS.md). ``NOTIFICATIONS_DINGTALK_ENDPOINT`` points
it at a 浙政钉 gateway that speaks the same API."""
from __future__ import annotations

import json
import urllib.parse

from django.conf import settings
from django.core.cache import cache

from ..sms import BaseSmsBackend, PermanentError, SmsError
from . import http

DEFAULT_ENDPOINT = "https://oapi.dingtalk.com"
TOKEN_EXPIRED = {40014, 42001, 88}
USER_NOT_FOUND = {60121, 33012, 60011}


def enabled() -> bool:
    return bool(getattr(settings, "NOTIFICATIONS_DINGTALK_APP_KEY", "")
                and getattr(settings, "NOTIFICATIONS_DINGTALK_APP_SECRET", "")
                and getattr(settings, "NOTIFICATIONS_DINGTALK_AGENT_ID", ""))


class DingTalkBackend(BaseSmsBackend):
    idempotent = False

    def __init__(self):
        if not enabled():  # switched off after the delivery was created: never sent
            raise PermanentError("浙政钉未启用 (NOTIFICATIONS_DINGTALK_* not set)")
        self.endpoint = (getattr(settings, "NOTIFICATIONS_DINGTALK_ENDPOINT", "")
                         or DEFAULT_ENDPOINT).rstrip("/")
        self.app_key = settings.NOTIFICATIONS_DINGTALK_APP_KEY
        self.app_secret = settings.NOTIFICATIONS_DINGTALK_APP_SECRET
        self.agent_id = int(settings.NOTIFICATIONS_DINGTALK_AGENT_ID)
        self.retries = int(getattr(settings, "NOTIFICATIONS_HTTP_RETRIES", 2))
        self.backoff = float(getattr(settings, "NOTIFICATIONS_HTTP_BACKOFF", 0.5))
        self._cache_key = f"dingtalk:token:{self.endpoint}:{self.app_key}"

    # --- the three calls ------------------------------------------------------------

    def _call(self, method: str, path: str, query: dict, payload: dict | None = None) -> dict:
        url = f"{self.endpoint}{path}?{urllib.parse.urlencode(query)}"
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        headers = {} if payload is None else {"Content-Type": "application/json; charset=utf-8"}
        return http.call(method, url, body=body, headers=headers, retries=self.retries,
                         backoff=self.backoff).json()

    def access_token(self, *, fresh: bool = False) -> str:
        token = None if fresh else cache.get(self._cache_key)
        if token:
            return token
        reply = self._call("GET", "/gettoken", {"appkey": self.app_key,
                                                "appsecret": self.app_secret})
        if reply.get("errcode", 0) != 0 or not reply.get("access_token"):
            raise SmsError(f"DingTalk gettoken {reply.get('errcode')}: {reply.get('errmsg', '')}")
        expires = int(reply.get("expires_in", 7200))
        cache.set(self._cache_key, reply["access_token"], max(expires - 60, 60))
        return reply["access_token"]

    def _with_token(self, path: str, payload: dict) -> dict:
        reply = self._call("POST", path, {"access_token": self.access_token()}, payload)
        if reply.get("errcode") in TOKEN_EXPIRED:
            reply = self._call("POST", path, {"access_token": self.access_token(fresh=True)},
                               payload)
        return reply

    def userid(self, phone: str) -> str:
        key = f"dingtalk:userid:{self.endpoint}:{phone}"
        found = cache.get(key)
        if found:
            return found
        reply = self._with_token("/topapi/v2/user/getbymobile", {"mobile": phone})
        code = reply.get("errcode", 0)
        userid = (reply.get("result") or {}).get("userid", "")
        if code in USER_NOT_FOUND or (code == 0 and not userid):
            raise PermanentError(f"DingTalk: no account for this phone ({code})")
        if code != 0:
            raise SmsError(f"DingTalk getbymobile {code}: {reply.get('errmsg', '')}")
        cache.set(key, userid, 24 * 3600)
        return userid

    def send(self, *, phone: str, text: str, key: str) -> str:
        userid = self.userid(phone)
        reply = self._with_token("/topapi/message/corpconversation/asyncsend_v2", {
            "agent_id": self.agent_id, "userid_list": userid,
            "msg": {"msgtype": "text", "text": {"content": text}}})
        code = reply.get("errcode", 0)
        if code != 0:
            raise SmsError(f"DingTalk asyncsend_v2 {code}: {reply.get('errmsg', '')}")
        return str(reply.get("task_id", ""))


def get_backend() -> DingTalkBackend:
    return DingTalkBackend()
