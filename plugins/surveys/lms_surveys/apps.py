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

    def setting_problems(self, values):
        problems = []
        threshold = values["anonymous_threshold"]
        # Below three, each of two people could work out the other's answer.
        if type(threshold) is not int or threshold < 3:
            problems.append("'anonymous_threshold' must be a whole number, at least 3")
        days = values["link_days"]
        if type(days) is not int or days < 1:
            problems.append("'link_days' must be a whole number of days, at least 1")
        return problems

    def ready(self) -> None:
        super().ready()
        from lms_surveys import models

        models.connect_signals()
