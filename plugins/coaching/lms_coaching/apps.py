from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class CoachingConfig(PluginConfig):
    name = "lms_coaching"
    label = "coaching"
    verbose_name = _("Coaching logs")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
    # Follow-up reminders go out this many days before a next step is due.
    default_settings = {"reminder_days": 2}
    cohort_scoped = True

    def ready(self) -> None:
        super().ready()
        from lms_coaching import models

        models.connect_signals()
