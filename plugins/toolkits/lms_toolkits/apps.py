from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class ToolkitsConfig(PluginConfig):
    name = "lms_toolkits"
    label = "toolkits"
    verbose_name = _("Toolkits")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"

    def ready(self) -> None:
        super().ready()
        from lms_toolkits.models import ChecklistTick, dashboard_panels

        dashboard_panels.invalidate_on(
            ChecklistTick, scope=lambda tick: str(tick.user_id)
        )
        dashboard_panels.invalidate_on_page_changes()
