from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts and sessions")

    def ready(self) -> None:
        from cohorts import panels, personal_data
        from cohorts.catalogue import filter_fields
        from content.models import Topic
        from lms.plugins import plugin_manager

        # The catalogue's filter form offers the topics.
        filter_fields.invalidate_on(Topic)

        # Core's answers to the hooks plugins answer too.
        for name, answers in (
            ("cohorts", personal_data),  # "cohorts" in a person's download
            ("cohorts.panels", panels),
        ):
            if not plugin_manager.is_registered(answers):
                plugin_manager.register(answers, name=name)
