from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class SurveysConfig(PluginConfig):
    name = "lms_surveys"
    label = "surveys"
    verbose_name = _("Surveys and check-ins")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
    default_settings = {
        # Results of an anonymous survey stay hidden below this many answers,
        # so that nobody's answer can be picked out.
        "anonymous_threshold": 5,
        # How long a link in an e-mail opens the survey without a login.
        "link_days": 30,
    }
    cohort_scoped = True

    def ready(self) -> None:
        super().ready()
        from lms_surveys import models

        models.connect_signals()
