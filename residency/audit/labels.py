"""Chinese names of the audit log's action codes and object types, for the audit page.
The codes stay as stored (stable, searchable); unknown codes are shown as they are.
Residency's codes are here; later apps register theirs (``register_labels``)."""
from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "login": _("登录"),
    "login_failed": _("登录失败"),
    "lockout": _("账号锁定"),
    "logout": _("退出登录"),
    "role_change": _("角色变更"),
    "import": _("导入"),
    "import_preview": _("导入预览"),
    "admin_view": _("后台查看完整记录"),
    "roster_plan": _("排班"),
    "roster_publish": _("发布排班"),
    "roster_export_csv": _("导出排班 (CSV)"),
    "roster_export_xlsx": _("导出排班 (Excel)"),
    "export_start": _("开始后台导出"),
    "export_finish": _("后台导出结束"),
    "export_download": _("下载导出文件"),
    "stay_assign": _("安排住夜"),
    "stay_move": _("调整住夜"),
    "stay_swap": _("对调住夜"),
    "stay_pin": _("锁定住夜"),
    "stay_delete": _("删除住夜"),
    "stay_check_in": _("住夜签到"),
    "stay_presence_correct": _("更正住夜在岗情况"),
    "village_position_set": _("设置村部位置"),
    "leave_request": _("申请请假"),
    "leave_approve": _("批准请假"),
    "leave_reject": _("驳回请假"),
    "leave_cancel": _("撤销请假"),
    "swap_request": _("申请换班"),
    "swap_approve": _("批准换班"),
    "swap_reject": _("驳回换班"),
    "swap_cancel": _("撤销换班"),
    "spot_check_record": _("记录暗访"),
    "station_end": _("结束驻村安排"),
    "station_end_links_end": _("调离驻村, 结束原村联系户"),
    "workday_override_set": _("设置工作日调整"),
    "workday_override_delete": _("删除工作日调整"),
    "preference_set": _("设置住夜偏好"),
    "calendar_feed_create": _("开通日历订阅"),
    "calendar_feed_revoke": _("停用日历订阅"),
}


def register_labels(labels: dict) -> None:
    """Later apps add their action codes' Chinese names from ``AppConfig.ready()``."""
    ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def object_type_label(object_type: str) -> str:
    """'residency.township' -> '镇(街道)'; anything unknown is shown as stored."""
    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def action_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in ACTION_LABELS.items()]
