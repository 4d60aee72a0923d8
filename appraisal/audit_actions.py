"""Chinese names of the appraisal app's audit actions, registered with residency's audit page
in ``AppConfig.ready()``."""
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
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
    "rules_update": _("修改评议规则"),
    "export_statistics_xlsx": _("导出统计 (Excel)"),
    "export_statistics_command": _("命令导出统计"),
    "export_violations_command": _("命令导出违规登记"),
}
