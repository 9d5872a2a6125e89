from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts and sessions")

    def ready(self) -> None:
        from cohorts import (
            checks,  # noqa: F401 (registers the checks)
            hooks,
        )
        from cohorts.calendar import events, feeds, group_scope, person_scope
        from cohorts.dashboard import standings
        from cohorts.models import (
            RSVP,
            CalendarFeed,
            CohortPage,
            Membership,
            Session,
            SessionSeries,
        )
        from lms.plugins import plugin_manager

        if not plugin_manager.is_registered(hooks):
            plugin_manager.register(hooks, name="cohorts")
        post_save.connect(
            _schedule_reminders, sender=Session, dispatch_uid="cohorts-reminders"
        )
        # A feed shows its owner's answers and roles and its groups' sessions:
        # nobody else's answers or memberships change it.
        feeds.invalidate_on(
            RSVP, Membership, CalendarFeed, scope=lambda i: person_scope(i.user_id)
        )
        feeds.invalidate_on(
            Session, SessionSeries, scope=lambda i: group_scope(i.cohort_id)
        )
        feeds.invalidate_on(CohortPage, scope=lambda page: group_scope(page.pk))
        events.invalidate_on(CohortPage, SessionSeries)
        standings.invalidate_on(
            Membership, Session, scope=lambda instance: str(instance.cohort_id)
        )
        feeds.invalidate_on_page_moves()
        events.invalidate_on_page_moves()


def _schedule_reminders(sender, instance, created, update_fields, **kwargs) -> None:
    # Every way a session is created or moved (admin, series, scripts) saves it.
    if created or update_fields is None or "starts_at" in update_fields:
        from cohorts.notifications import schedule_reminders

        schedule_reminders(instance)
