from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class SignupsConfig(PluginConfig):
    name = "lms_signups"
    label = "signups"
    verbose_name = _("Session sign-up sheets")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
    # How many of a group's next sessions the sheet shows.
    default_settings = {"sessions_on_sheet": 6}
    cohort_scoped = True
