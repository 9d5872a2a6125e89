from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts and sessions")

    def ready(self) -> None:
        from cohorts import hooks
        from lms.plugins import plugin_manager

        if not plugin_manager.is_registered(hooks):
            plugin_manager.register(hooks, name="cohorts")
