"""Chinese names of the nightlog app's audit actions, registered with residency's audit page
in ``AppConfig.ready()``."""
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "household_view": _("查看农户完整信息"),
    "export_visits": _("导出走访记录"),
    "link_create": _("建立联系户"),
    "link_end": _("结束联系户"),
    "link_suggestion_apply": _("采纳联系户建议"),
    "on_site_office_record": _("登记现场办公"),
}
