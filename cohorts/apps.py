from functools import partial

from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts and sessions")

    def ready(self) -> None:
        from wagtail.models import PageViewRestriction

        from cohorts import hooks, signals
        from cohorts.calendar import events, feeds, group_scope, person_scope
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
        # Leaving is a conditional update and cancelling may be one: no model
        # signal reaches the feeds, so they listen to what is announced.
        signals.membership_left.connect(
            lambda sender, membership, **kwargs: feeds.invalidate_scope(
                person_scope(membership.user_id)
            ),
            weak=False,
            dispatch_uid="cohorts-feeds-left",
        )
        signals.session_cancelled.connect(
            lambda sender, session, **kwargs: feeds.invalidate_scope(
                group_scope(session.cohort_id)
            ),
            weak=False,
            dispatch_uid="cohorts-feeds-cancelled",
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
            dispatch_uid="cohorts-feeds-restriction-groups",
        )
        user_model = get_user_model()
        feeds.invalidate_on(user_model, scope=lambda user: person_scope(user.pk))
        m2m_changed.connect(
            partial(_invalidate_people, feeds, person_scope),
            sender=user_model.groups.through,
            weak=False,
            dispatch_uid="cohorts-feeds-user-groups",
        )
        events.invalidate_on(CohortPage, SessionSeries)
        feeds.invalidate_on_page_moves()
        events.invalidate_on_page_moves()


def _invalidate_people(
    feeds, person_scope, action, instance, reverse, pk_set, **kwargs
) -> None:
    """Groups given or taken away: from a person (`instance`), or from the
    people in `pk_set` when changed from the group's side (all of its people
    when it is emptied: every feed then)."""
    if not action.startswith("post_"):
        return
    if reverse and pk_set is None:
        feeds.invalidate()
        return
    people = pk_set if reverse else [instance.pk]
    feeds.invalidate_scope(*(person_scope(pk) for pk in people))
