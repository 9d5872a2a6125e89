from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class GrantwritingConfig(PluginConfig):
    name = "lms_grantwriting"
    label = "grantwriting"
    verbose_name = _("Grantwriting workshops")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
    # Deadline reminders go out this many hours before an assignment is due.
    default_settings = {"reminder_hours": 48}
    cohort_scoped = True

    def ready(self) -> None:
        super().ready()
        from lms_grantwriting import models

        models.connect_signals()
