from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class DiscussionsConfig(PluginConfig):
    name = "lms_discussions"
    label = "discussions"
    verbose_name = _("Discussions")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
    # A post flagged by this many different members is held back until a
    # moderator looks at it.
    default_settings = {"flags_to_hold": 3}
    cohort_scoped = True

    def ready(self) -> None:
        super().ready()
        from lms_discussions import models, session_threads

        models.connect_signals()
        session_threads.connect_signals()
