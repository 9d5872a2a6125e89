from django.utils.translation import gettext_lazy as _

from lms.plugins import PluginConfig


class ToolkitsConfig(PluginConfig):
    name = "lms_toolkits"
    label = "toolkits"
    verbose_name = _("Toolkits")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
