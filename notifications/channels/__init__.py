"""Real outside channels (issue 12), each behind the interface of ``notifications.sms``
(``send(*, phone, text, key) -> message id``, raising ``SmsError`` when refused):

- ``aliyun_sms.AliyunSmsBackend``: Aliyun SMS (Dysmsapi ``SendSms``, RPC signature);
- ``dingtalk.DingTalkBackend``: a 浙政钉/DingTalk work notification (``gettoken``, then
  ``topapi/message/corpconversation/asyncsend_v2``).

Both are off by default and switched on by environment variables (settings block
"Notifications and reminders"; docs/REMINDERS.md). They speak HTTP through ``http.call``
(standard library only): a 5xx or a refused connection is retried a few times, a 4xx is
final (``PermanentError``: never retried, not even by the next sweep)."""
