from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = _("Sessions and attendance")

    def ready(self) -> None:
        from cohorts import signals
        from cohorts.urls import add_patterns
        from scheduling import receivers, urls

        # Whoever leaves a group gives up their seats at its coming sessions
        # (the waiting lists move up).
        signals.membership_left.connect(
            receivers.membership_left, dispatch_uid="scheduling-seats-left"
        )
        signals.membership_lapsed.connect(
            receivers.membership_lapsed, dispatch_uid="scheduling-seats-lapsed"
        )
        # The RSVP and attendance pages keep their addresses and names under
        # /cohorts/.
        add_patterns(urls.urlpatterns)
