"""Chinese names of the audit log's action codes and object types, for the audit page.
The codes stay as stored (stable, searchable); unknown codes are shown as they are."""
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
    "household_view": _("查看农户完整信息"),
    "roster_plan": _("排班"),
    "roster_publish": _("发布排班"),
    "roster_export_csv": _("导出排班 (CSV)"),
    "roster_export_xlsx": _("导出排班 (Excel)"),
    "stay_assign": _("安排住夜"),
    "stay_move": _("调整住夜"),
    "stay_swap": _("对调住夜"),
    "stay_pin": _("锁定住夜"),
    "stay_delete": _("删除住夜"),
    "stay_check_in": _("住夜签到"),
    "leave_request": _("申请请假"),
    "leave_approve": _("批准请假"),
    "leave_reject": _("驳回请假"),
    "leave_cancel": _("撤销请假"),
    "swap_request": _("申请换班"),
    "swap_approve": _("批准换班"),
    "swap_reject": _("驳回换班"),
    "swap_cancel": _("撤销换班"),
    "spot_check_record": _("记录暗访"),
    "workday_override_set": _("设置工作日调整"),
    "workday_override_delete": _("删除工作日调整"),
    "preference_set": _("设置住夜偏好"),
    "calendar_feed_create": _("开通日历订阅"),
    "calendar_feed_revoke": _("停用日历订阅"),
    "export_visits": _("导出走访记录"),
    "link_create": _("建立联系户"),
    "link_end": _("结束联系户"),
    "link_suggestion_apply": _("采纳联系户建议"),
    "violation_create": _("登记违规"),
    "violation_confirm": _("认定违规"),
    "violation_dismiss": _("排除违规"),
    "appeal_file": _("提出申诉"),
    "appeal_overturn": _("申诉撤销违规"),
    "penalty_action_record": _("记录处理措施"),
    "appraisal_view": _("查看年度考核"),
    "appraisal_set_grade": _("确定考核等次"),
    "golden_select": _("评定金口碑"),
    "golden_unselect": _("取消金口碑"),
    "meeting_create": _("创建述职评议大会"),
    "meeting_close": _("结束述职评议大会"),
    "ballot_codes_generate": _("生成投票码"),
    "tally_set": _("录入纸质票统计"),
    "report_submit": _("提交述职"),
    "report_file_view": _("查看述职附件"),
    "export_appraisal_csv": _("导出考核 (CSV)"),
    "export_appraisal_xlsx": _("导出考核 (Excel)"),
    "export_appraisal_command": _("命令导出考核"),
    "rules_update": _("修改提醒规则"),
    "on_site_office_record": _("登记现场办公"),
    "export_statistics_xlsx": _("导出统计 (Excel)"),
    "export_statistics_command": _("命令导出统计"),
}


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
