from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class DiscussionsConfig(PluginConfig):
    name = "lms_discussions"
    label = "discussions"
    verbose_name = _("Discussions")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
    default_settings = {
        # A post flagged by this many different members is held back until
        # a moderator looks at it.
        "flags_to_hold": 3,
        # A member is new to a space in their first days there, and until
        # their first posts in it; a new member's post mentions few people.
        "new_member_days": 3,
        "new_member_posts": 3,
        "new_member_mentions": 2,
    }
    cohort_scoped = True

    def ready(self) -> None:
        super().ready()
        from lms_discussions import models, session_threads

        models.connect_signals()
        session_threads.connect_signals()
