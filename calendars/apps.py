from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Calendar feeds")

    def ready(self) -> None:
        from wagtail.models import PageViewRestriction

        from calendars import receivers, urls
        from calendars.ics import event_texts, feeds, group_scope, person_scope
        from calendars.models import CalendarFeed
        from calendars.personal_data import calendar_feed_created
        from cohorts import personal_data, signals
        from cohorts.models import CohortPage, Membership
        from cohorts.urls import add_patterns
        from scheduling import signals as scheduling_signals
        from scheduling.models import RSVP, Session, SessionSeries

        # Leaving is a conditional update and cancelling may be one: no model
        # signal reaches the feeds, so they listen to what is announced.
        signals.membership_left.connect(
            receivers.membership_left, dispatch_uid="calendars-feeds-left"
        )
        scheduling_signals.session_cancelled.connect(
            receivers.session_cancelled, dispatch_uid="calendars-feeds-cancelled"
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
        # Pages' privacy settings leave groups out of feeds (rarely changed:
        # every feed is rebuilt); so do the owner's groups and superuser status.
        feeds.invalidate_on(PageViewRestriction)
        m2m_changed.connect(
            feeds.invalidate,
            sender=PageViewRestriction.groups.through,
            weak=False,
            dispatch_uid="calendars-feeds-restriction-groups",
        )
        user_model = get_user_model()
        feeds.invalidate_on(user_model, scope=lambda user: person_scope(user.pk))
        m2m_changed.connect(
            receivers.people_regrouped,
            sender=user_model.groups.through,
            dispatch_uid="calendars-feeds-user-groups",
        )
        event_texts.invalidate_on(CohortPage, SessionSeries)
        feeds.invalidate_on_page_moves()
        event_texts.invalidate_on_page_moves()
        personal_data.export_sections["calendar_feed_created"] = calendar_feed_created
        # The feeds keep their addresses and names under /cohorts/.
        add_patterns(urls.urlpatterns)
